import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link IsolationLevels} to what its page says H2 2.4.240 does: the exact matrix of anomalies per
 * level, each anomaly level by level with the observation that decided it, the dirty write that every
 * level blocks, the two remedies, and a printout that is the same on every run.
 */
class IsolationLevelsTest {

    private static final IsolationLevels.Level RU = IsolationLevels.Level.READ_UNCOMMITTED;
    private static final IsolationLevels.Level RC = IsolationLevels.Level.READ_COMMITTED;
    private static final IsolationLevels.Level RR = IsolationLevels.Level.REPEATABLE_READ;
    private static final IsolationLevels.Level SNAPSHOT = IsolationLevels.Level.SNAPSHOT;
    private static final IsolationLevels.Level SERIALIZABLE = IsolationLevels.Level.SERIALIZABLE;

    private static IsolationLevels.Outcome run(IsolationLevels.Scenario scenario, IsolationLevels.Level level)
            throws SQLException {
        return IsolationLevels.run(scenario, level);
    }

    /* --------------- The matrix --------------- */

    @Test
    void theMatrixIsExactlyWhatThePageDescribes() throws SQLException {
        // Columns: dirty read, non-repeatable read, phantom read, lost update, read skew, write skew.
        Map<IsolationLevels.Level, List<Boolean>> expected = new EnumMap<>(IsolationLevels.Level.class);
        expected.put(RU, List.of(true, true, true, true, true, true));
        expected.put(RC, List.of(false, true, true, true, true, true));
        expected.put(RR, List.of(false, false, false, false, true, true));
        expected.put(SNAPSHOT, List.of(false, false, false, false, false, true));
        expected.put(SERIALIZABLE, List.of(false, false, false, false, false, true));

        Map<IsolationLevels.Level, List<Boolean>> actual = new EnumMap<>(IsolationLevels.Level.class);
        IsolationLevels.matrix().forEach((level, row) ->
                actual.put(level, row.values().stream().map(IsolationLevels.Outcome::anomaly).toList()));
        assertEquals(expected, actual);
    }

    @Test
    void theColumnsAreTheSixAnomaliesInOrder() throws SQLException {
        List<String> columns = new ArrayList<>(IsolationLevels.matrix().get(RC).keySet());
        assertEquals(List.of("dirty read", "non-repeatable read", "phantom read", "lost update", "read skew",
                "write skew"), columns);
    }

    @Test
    void aStrongerLevelNeverLetsThroughAnAnomalyThatAWeakerOneStopped() throws SQLException {
        var matrix = IsolationLevels.matrix();
        IsolationLevels.Level[] levels = IsolationLevels.Level.values();
        for (int i = 1; i < levels.length; i++) {
            var weaker = matrix.get(levels[i - 1]);
            var stronger = matrix.get(levels[i]);
            for (String anomaly : stronger.keySet()) {
                if (stronger.get(anomaly).anomaly()) {
                    assertTrue(weaker.get(anomaly).anomaly(),
                            anomaly + " passes " + levels[i] + " but not " + levels[i - 1]);
                }
            }
        }
    }

    /* --------------- Each anomaly, level by level --------------- */

    @Test
    void dirtyReadOnlyAtReadUncommittedWhereT2SeesTheValueThatIsRolledBack() throws SQLException {
        assertEquals(new IsolationLevels.Outcome(true, "read 50"), run(new IsolationLevels.DirtyRead(), RU));
        for (var level : List.of(RC, RR, SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "read 100"),
                    run(new IsolationLevels.DirtyRead(), level), level.sql());
        }
    }

    @Test
    void nonRepeatableReadUpToReadCommitted() throws SQLException {
        for (var level : List.of(RU, RC)) {
            assertEquals(new IsolationLevels.Outcome(true, "100->50"),
                    run(new IsolationLevels.NonRepeatableRead(), level), level.sql());
        }
        for (var level : List.of(RR, SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "100->100"),
                    run(new IsolationLevels.NonRepeatableRead(), level), level.sql());
        }
    }

    @Test
    void phantomUpToReadCommittedButNotAtH2RepeatableRead() throws SQLException {
        for (var level : List.of(RU, RC)) {
            assertEquals(new IsolationLevels.Outcome(true, "1->2"),
                    run(new IsolationLevels.PhantomRead(), level), level.sql());
        }
        // The SQL standard and H2's own documentation allow a phantom here; H2 2.4.240 does not show one.
        for (var level : List.of(RR, SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "1->1"),
                    run(new IsolationLevels.PhantomRead(), level), level.sql());
        }
    }

    @Test
    void lostUpdateUpToReadCommittedAndASerializationFailureAbove() throws SQLException {
        for (var level : List.of(RU, RC)) {
            // 100 + 20 (T2) + 10 (T1) should be 130; T1 wrote 100 + 10 over T2's 120.
            assertEquals(new IsolationLevels.Outcome(true, "final 110"),
                    run(new IsolationLevels.LostUpdate(), level), level.sql());
        }
        for (var level : List.of(RR, SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "aborted"),
                    run(new IsolationLevels.LostUpdate(), level), level.sql());
        }
    }

    @Test
    void readSkewAcrossTwoTablesPassesH2RepeatableReadButNotSnapshot() throws SQLException {
        for (var level : List.of(RU, RC, RR)) {
            assertEquals(new IsolationLevels.Outcome(true, "sum 140"),
                    run(new IsolationLevels.ReadSkew(), level), level.sql());
        }
        for (var level : List.of(SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "sum 100"),
                    run(new IsolationLevels.ReadSkew(), level), level.sql());
        }
    }

    /** The same transfer with both balances in one table: H2's REPEATABLE READ then reads one snapshot. */
    static final class ReadSkewInOneTable implements IsolationLevels.Scenario {
        public String name() {
            return "read skew, one table";
        }

        public List<String> schema() {
            return List.of("CREATE TABLE account(id INT PRIMARY KEY, balance INT)",
                    "INSERT INTO account VALUES (1, 50), (2, 50)");
        }

        public IsolationLevels.Outcome run(IsolationLevels.Tx t1, IsolationLevels.Tx t2, Connection db)
                throws SQLException {
            int x = t1.queryInt("SELECT balance FROM account WHERE id = 1");
            t2.execute("UPDATE account SET balance = balance - 40 WHERE id = 1");
            t2.execute("UPDATE account SET balance = balance + 40 WHERE id = 2");
            t2.commit();
            int y = t1.queryInt("SELECT balance FROM account WHERE id = 2");
            t1.commit();
            return new IsolationLevels.Outcome(x + y != 100, "sum " + (x + y));
        }
    }

    @Test
    void h2RepeatableReadSnapshotsATableAtItsFirstUseNotTheWholeDatabase() throws SQLException {
        assertEquals(new IsolationLevels.Outcome(false, "sum 100"), run(new ReadSkewInOneTable(), RR));
        assertEquals(new IsolationLevels.Outcome(true, "sum 140"), run(new ReadSkewInOneTable(), RC));
        assertEquals(new IsolationLevels.Outcome(true, "sum 140"), run(new IsolationLevels.ReadSkew(), RR));
    }

    @ParameterizedTest
    @EnumSource(IsolationLevels.Level.class)
    void writeSkewPassesEveryH2LevelIncludingSerializable(IsolationLevels.Level level) throws SQLException {
        assertEquals(new IsolationLevels.Outcome(true, "0 on call"), run(new IsolationLevels.WriteSkew(), level));
    }

    @Test
    void serializablePreventsDirtyReadNonRepeatableReadPhantomAndLostUpdate() throws SQLException {
        for (var scenario : List.of(new IsolationLevels.DirtyRead(), new IsolationLevels.NonRepeatableRead(),
                new IsolationLevels.PhantomRead(), new IsolationLevels.LostUpdate(), new IsolationLevels.ReadSkew())) {
            assertFalse(run(scenario, SERIALIZABLE).anomaly(), scenario.name());
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationLevels.Level.class)
    void everyLevelBlocksADirtyWrite(IsolationLevels.Level level) throws SQLException {
        assertEquals(new IsolationLevels.Outcome(false, "blocked"), run(new IsolationLevels.DirtyWrite(), level));
    }

    /* --------------- Remedies --------------- */

    @Test
    void anAtomicIncrementKeepsBothDepositsAtReadCommitted() throws SQLException {
        assertEquals(new IsolationLevels.Outcome(false, "final 130"),
                run(new IsolationLevels.AtomicDeposit(), RC));
    }

    @Test
    void underH2SnapshotLevelsEvenAnAtomicIncrementIsRefusedAndMustBeRetried() throws SQLException {
        for (var level : List.of(RR, SNAPSHOT, SERIALIZABLE)) {
            assertEquals(new IsolationLevels.Outcome(false, "aborted"),
                    run(new IsolationLevels.AtomicDeposit(), level), level.sql());
        }
    }

    @ParameterizedTest
    @EnumSource(IsolationLevels.Level.class)
    void lockingTheRowsTheRuleReadsKeepsADoctorOnCall(IsolationLevels.Level level) throws SQLException {
        assertEquals(new IsolationLevels.Outcome(false, "T2 blocked, retried; 1 on call"),
                run(new IsolationLevels.LockTheRowsRead(), level));
    }

    /* --------------- Harness --------------- */

    @Test
    void anErrorThatIsNeitherASerializationFailureNorALockTimeoutIsThrown() throws SQLException {
        String url = "jdbc:h2:mem:isolation_levels_test_errors";
        try (Connection db = DriverManager.getConnection(url, "sa", "");
             IsolationLevels.Tx tx = new IsolationLevels.Tx(url, RC)) {
            assertThrows(SQLException.class, () -> tx.execute("UPDATE no_such_table SET x = 1"));
            assertEquals("open", tx.fate());
            assertTrue(db.isValid(1));
        }
    }

    @Test
    void aRefusedTransactionDoesNothingMoreUntilItIsRetried() throws SQLException {
        String url = "jdbc:h2:mem:isolation_levels_test_refused;LOCK_TIMEOUT=" + IsolationLevels.LOCK_TIMEOUT_MS;
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            db.createStatement().execute("CREATE TABLE t(id INT PRIMARY KEY, v INT)");
            db.createStatement().execute("INSERT INTO t VALUES (1, 0)");
            try (IsolationLevels.Tx t1 = new IsolationLevels.Tx(url, RC);
                 IsolationLevels.Tx t2 = new IsolationLevels.Tx(url, RC)) {
                assertTrue(t1.execute("UPDATE t SET v = 1 WHERE id = 1"));
                assertFalse(t2.execute("UPDATE t SET v = 2 WHERE id = 1"));
                assertEquals("blocked", t2.fate());
                assertFalse(t2.execute("UPDATE t SET v = 3 WHERE id = 1"), "skipped after the refusal");
                assertFalse(t2.commit());
                assertTrue(t1.commit());
                t2.retry();
                assertTrue(t2.execute("UPDATE t SET v = v + 10 WHERE id = 1"));
                assertTrue(t2.commit());
                assertEquals(11, IsolationLevels.queryInt(db, "SELECT v FROM t WHERE id = 1"));
            }
        }
    }

    @Test
    void everyDatabaseIsGoneAfterItsRun() throws SQLException {
        IsolationLevels.run(new IsolationLevels.WriteSkew(), SERIALIZABLE);
        String url = "jdbc:h2:mem:isolation_SERIALIZABLE_WriteSkew;IFEXISTS=TRUE";
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "").close());
    }

    private static String printout() throws SQLException {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            IsolationLevels.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePrintoutShowsTheMatrixAndIsTheSameOnEveryRun() throws SQLException {
        String first = printout();
        assertEquals(first, printout());
        List<String> lines = first.lines().toList();
        assertTrue(lines.contains("READ UNCOMMITTED  yes       yes       yes       yes       yes       yes"), first);
        assertTrue(lines.contains("READ COMMITTED    no        yes       yes       yes       yes       yes"), first);
        assertTrue(lines.contains("REPEATABLE READ   no        no        no        no        yes       yes"), first);
        assertTrue(lines.contains("SNAPSHOT          no        no        no        no        no        yes"), first);
        assertTrue(lines.contains("SERIALIZABLE      no        no        no        no        no        yes"), first);
        assertTrue(lines.contains("Dirty write (T2 updates a row T1 has not committed): T2 blocked at every level"),
                first);
        assertTrue(lines.stream().allMatch(line -> line.length() <= 80), "lines fit the page");
        assertTrue(lines.size() <= 35, "output stays short");
    }
}
