import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Acid} to every claim its page makes, on the real H2 database: balances, ledger row
 * counts and SQLStates for atomicity and consistency, the values a second connection reads for
 * isolation, and which rows a crashed and reopened file database still holds for durability. Every
 * scenario starts from alice=100, bob=100 and a transfer of 30; the expected numbers follow from that.
 */
class AcidTest {

    /** SQL's class 23 is "integrity constraint violation"; the subclass after it is vendor-specific. */
    private static void assertConstraintViolation(String sqlState) {
        assertTrue(sqlState != null && sqlState.startsWith("23"), () -> "expected SQLState class 23, got " + sqlState);
    }

    @Nested
    @DisplayName("atomicity: a transfer that fails half-way")
    class Atomicity {

        @Test
        void aTransferThatSucceedsMovesTheMoneyAndWritesOneLedgerRow() throws SQLException {
            // Guards the failing cases below: a transfer that never changed anything would also "roll back".
            assertEquals(new Acid.Outcome(70, 130, 1, null), Acid.successfulTransfer());
        }

        @Test
        void withoutATransactionTheDebitStaysAndMoneyDisappears() throws SQLException {
            Acid.Outcome o = Acid.crashWithoutTransaction();
            assertEquals(new Acid.Outcome(70, 100, 0, "-"), o);
            assertEquals(170, o.total());
        }

        @Test
        void insideATransactionTheCrashRollsBackTheDebit() throws SQLException {
            assertEquals(new Acid.Outcome(100, 100, 0, "-"), Acid.crashInsideTransaction());
        }

        @Test
        void aConstraintViolatedByTheLastStatementUndoesTheEarlierOnes() throws SQLException {
            Acid.Outcome o = Acid.creditToMissingAccount();
            assertConstraintViolation(o.sqlState());
            assertEquals("23506", o.sqlState(), "H2's code for a foreign key whose parent row is missing");
            assertEquals(100, o.alice(), "the debit, which had succeeded, is undone");
            assertEquals(100, o.bob());
            assertEquals(0, o.ledgerRows());
        }

        @Test
        void anUpdateThatMatchesNoRowIsNotAnError() throws SQLException {
            try (Acid.Bank bank = new Acid.Bank("test-no-row")) {
                assertEquals(0, Acid.update(bank.db,
                        "UPDATE accounts SET balance = balance + ? WHERE id = ?", 30, "carol"));
                assertEquals(200, bank.total());
            }
        }

        @Test
        void jdbcReportsClass23AsAnIntegrityConstraintException() throws SQLException {
            try (Acid.Bank bank = new Acid.Bank("test-exception-type")) {
                SQLException e = assertThrows(SQLException.class, () -> Acid.inTransaction(bank.db,
                        tx -> Acid.transferSteps(tx, "alice", "carol", 30, Acid.AfterDebit.NOTHING)));
                assertTrue(e instanceof SQLIntegrityConstraintViolationException, e.getClass().getName());
                assertTrue(bank.db.getAutoCommit(), "inTransaction restores auto-commit after a failure");
                assertEquals(100, bank.balance("alice"));
            }
        }

        @Test
        void restoringAutoCommitWithoutARollbackWouldCommitTheHalfDoneWork() throws SQLException {
            // The pitfall inTransaction avoids: JDBC commits the open transaction when auto-commit is turned on.
            try (Acid.Bank bank = new Acid.Bank("test-autocommit-commits")) {
                bank.db.setAutoCommit(false);
                Acid.update(bank.db, "UPDATE accounts SET balance = balance - ? WHERE id = ?", 30, "alice");
                bank.db.setAutoCommit(true);
                bank.db.rollback(); // too late: nothing left to roll back
                assertEquals(70, bank.balance("alice"));
            }
        }

        @Test
        void closingAConnectionWithAnOpenTransactionRollsItBackInH2() throws SQLException {
            try (Acid.Bank bank = new Acid.Bank("test-close-rolls-back")) {
                Connection other = bank.connect();
                other.setAutoCommit(false);
                Acid.update(other, "UPDATE accounts SET balance = balance - ? WHERE id = ?", 30, "alice");
                other.close();
                assertEquals(100, bank.balance("alice"));
            }
        }
    }

    @Nested
    @DisplayName("consistency: constraints, and the application's own invariant")
    class Consistency {

        @Test
        void checkRefusesAnOverdraft() throws SQLException {
            Acid.Outcome o = Acid.overdraft();
            assertConstraintViolation(o.sqlState());
            assertEquals("23513", o.sqlState(), "H2's code for a CHECK violation");
            assertEquals(new Acid.Outcome(100, 100, 0, o.sqlState()), o);
        }

        @Test
        void primaryKeyRefusesASecondAccountWithTheSameId() throws SQLException {
            String[] r = Acid.duplicateAccount();
            assertConstraintViolation(r[0]);
            assertEquals("23505", r[0]);
            assertEquals("2", r[1]);
        }

        @Test
        void aBuggyTransferSatisfiesEveryConstraintAndCommits() throws SQLException {
            Acid.Outcome o = Acid.buggyTransfer(false);
            assertNull(o.sqlState(), "no constraint objects");
            assertEquals(70, o.alice());
            assertEquals(103, o.bob());
            assertEquals(173, o.total());
        }

        @Test
        void theApplicationsInvariantCheckRollsTheBuggyTransferBack() throws SQLException {
            Acid.Outcome o = Acid.buggyTransfer(true);
            assertEquals("-", o.sqlState(), "stopped by the application, not by SQL");
            assertEquals(new Acid.Outcome(100, 100, 0, "-"), o);
        }

        @Test
        void theInvariantCheckLetsACorrectTransferThrough() throws SQLException {
            try (Acid.Bank bank = new Acid.Bank("test-invariant-ok")) {
                Acid.inTransaction(bank.db, Acid.conservingMoney(
                        tx -> Acid.transferSteps(tx, "alice", "bob", 30, Acid.AfterDebit.NOTHING)));
                assertEquals(70, bank.balance("alice"));
                assertEquals(130, bank.balance("bob"));
            }
        }

        @Test
        void h2HasNoCreateAssertion() throws SQLException {
            // The SQL standard's cross-row constraint; the page says H2 does not implement it.
            try (Acid.Bank bank = new Acid.Bank("test-assertion")) {
                SQLException e = assertThrows(SQLException.class, () -> Acid.exec(bank.db,
                        "CREATE ASSERTION conserved CHECK ((SELECT SUM(balance) FROM accounts) = 200)"));
                assertTrue(e.getSQLState().startsWith("42"), "a syntax error, got " + e.getSQLState());
            }
        }
    }

    @Nested
    @DisplayName("isolation: what B reads while A's debit is uncommitted, then committed")
    class Isolation {

        @Test
        void h2DefaultsToReadCommitted() throws SQLException {
            try (Acid.Bank bank = new Acid.Bank("test-default-level")) {
                assertEquals(Connection.TRANSACTION_READ_COMMITTED, bank.db.getTransactionIsolation());
            }
        }

        @Test
        void readCommittedHidesTheUncommittedDebitButNotTheCommittedOne() throws SQLException {
            assertEquals(new Acid.Reads(100, 70), Acid.readTwice(Connection.TRANSACTION_READ_COMMITTED));
        }

        @Test
        void repeatableReadKeepsTheFirstValue() throws SQLException {
            assertEquals(new Acid.Reads(100, 100), Acid.readTwice(Connection.TRANSACTION_REPEATABLE_READ));
        }

        @Test
        void readUncommittedShowsTheDirtyValue() throws SQLException {
            assertEquals(new Acid.Reads(70, 70), Acid.readTwice(Connection.TRANSACTION_READ_UNCOMMITTED));
        }
    }

    @Nested
    @DisplayName("durability: a file database crashed and reopened")
    class Durability {

        private Set<String> leftovers() throws IOException {
            try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("acid-durability-"))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }

        @Test
        void committedAndWrittenRowsSurviveTheOthersDoNot() throws Exception {
            Acid.Survival s = Acid.crashAndReopen();
            assertEquals(List.of(1, 2), s.rowsAfterReopen(),
                    "1 and 2 committed and written; 3 never committed; 4 committed but not yet written");
        }

        @Test
        void theUncommittedRowWasOnDiskAndRecoveryRolledItBack() throws Exception {
            Acid.Survival s = Acid.crashAndReopen();
            assertTrue(s.uncommittedBytesWereInFile(), "row 3 reached the file with row 2's write");
            assertFalse(s.rowsAfterReopen().contains(3));
        }

        @Test
        void noTemporaryFilesAreLeftBehind() throws Exception {
            Set<String> before = leftovers();
            Acid.Survival s = Acid.crashAndReopen();
            assertTrue(s.tempDirRemoved());
            assertEquals(before, leftovers());
        }
    }

    @Test
    void theDemoPrintsEveryPropertyAndPassesItsOwnChecks() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Acid.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        for (String section : List.of("Atomicity:", "Consistency:", "Isolation:", "Durability:")) {
            assertTrue(out.contains(section), section);
        }
        assertTrue(out.lines().count() <= 35, "output stays short");
    }
}
