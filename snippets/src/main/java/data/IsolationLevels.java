// requires: com.h2database:h2:2.4.240
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Transaction isolation levels measured on a real database. {@link #main} stages six
 * classic anomalies (dirty read, non-repeatable read, phantom read, lost update, read
 * skew and write skew) as fixed interleavings of two transactions on an embedded H2
 * database, runs every one at every isolation level H2 offers, and prints which
 * anomalies each level let through. No cell is typed in: each is decided by what a
 * transaction read or by the state the database was left in.
 *
 * <p>Both transactions are JDBC connections with autocommit off, driven step by step
 * from one thread, so the interleaving is exactly the one written down and never
 * depends on scheduling. A step that has to wait for a row lock held by the other
 * connection can never be released (the same thread would have to release it), so
 * H2's lock timeout is set short and such a wait is reported as "blocked".
 *
 * <p>The trade-off the levels encode: each stronger level removes anomalies by making
 * transactions wait (locks) or fail and retry (serialization failures, SQLState
 * 40001). Which anomalies remain at a level depends on the database, not only on the
 * level's name, which is why it is worth running.
 *
 * <p>Sources: H. Berenson, P. Bernstein, J. Gray, J. Melton, E. O'Neil, P. O'Neil,
 * "A Critique of ANSI SQL Isolation Levels", SIGMOD 1995 (phenomena P0 to P4, read
 * skew A5A, write skew A5B, snapshot isolation); ANSI X3.135-1992 / ISO/IEC 9075:1992
 * (the four levels and three phenomena); H2 documentation, "Advanced: Transaction
 * Isolation"; M. J. Cahill, U. Röhm, A. D. Fekete, "Serializable Isolation for
 * Snapshot Databases", SIGMOD 2008; D. R. K. Ports, K. Grittner, "Serializable
 * Snapshot Isolation in PostgreSQL", PVLDB 5(12), 2012.
 */
public class IsolationLevels {

    /** The database that all runs use; printed so the reader knows what produced it. */
    static final String DATABASE = "H2 2.4.240";

    /** How long H2 lets a statement wait for a row lock before giving up (ms). */
    static final int LOCK_TIMEOUT_MS = 50;

    // tag::levels[]
    /** H2's levels, weakest first; SNAPSHOT is H2's addition to SQL's four. */
    enum Level {
        READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, SNAPSHOT, SERIALIZABLE;

        String sql() {
            return name().replace('_', ' ');
        }
    }
    // end::levels[]

    /* --------------- Two transactions, driven by hand --------------- */

    // tag::tx[]
    /**
     * One transaction on its own JDBC connection, autocommit off, at one level. If the
     * database refuses a statement with a serialization failure (SQLState 40001) or a
     * lock timeout (HYT00), the transaction is rolled back and the call returns false.
     * Any other error is a bug and is thrown.
     */
    static final class Tx implements AutoCloseable {
        private final Connection connection;
        private String fate = "open";   // committed, aborted (40001), blocked (HYT00)

        Tx(String url, Level level) throws SQLException {
            connection = DriverManager.getConnection(url, "sa", "");
            try (Statement s = connection.createStatement()) {
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
                        + level.sql());
            }
            connection.setAutoCommit(false);
        }

        int queryInt(String sql) throws SQLException {
            return IsolationLevels.queryInt(connection, sql);
        }

        boolean execute(String sql, Object... parameters) throws SQLException {
            if (!fate.equals("open")) {
                return false;           // rolled back earlier: later steps do nothing
            }
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                s.execute();
                return true;
            } catch (SQLException e) {
                return refused(e);
            }
        }

        boolean commit() throws SQLException {
            if (!fate.equals("open")) {
                return false;
            }
            try {
                connection.commit();
                fate = "committed";
                return true;
            } catch (SQLException e) {
                return refused(e);
            }
        }

        void rollback() throws SQLException {
            connection.rollback();
            fate = "rolled back";
        }

        private boolean refused(SQLException e) throws SQLException {
            fate = switch (e.getSQLState()) {
                case "40001" -> "aborted";  // serialization failure: retry it all
                case "HYT00" -> "blocked";  // waited for a row lock, timed out
                default -> throw e;
            };
            connection.rollback();
            return false;
        }
        // end::tx[]

        /** What became of the transaction: open, committed, rolled back, aborted, blocked. */
        String fate() {
            return fate;
        }

        /** Starts a new transaction on the same connection, after this one ended. */
        void retry() {
            if (fate.equals("open")) {
                throw new IllegalStateException("the transaction is still open");
            }
            fate = "open";
        }

        @Override
        public void close() throws SQLException {
            try {
                if (fate.equals("open")) {
                    connection.rollback();
                }
            } finally {
                connection.close();
            }
        }
    // tag::tx[]
    }
    // end::tx[]

    static int queryInt(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException("no row from " + sql);
            }
            return rows.getInt(1);
        }
    }

    // tag::scenario[]
    /**
     * One anomaly as a fixed history of two transactions, in the notation of Berenson
     * et al.: w1[x] is a write of item x by T1, r2[x] a read by T2, c1 and a1 are T1's
     * commit and abort.
     */
    interface Scenario {
        String name();

        /** Tables and rows, created before the two transactions start. */
        List<String> schema();

        /** Runs the history; {@code db} autocommits, to check the state at the end. */
        Outcome run(Tx t1, Tx t2, Connection db) throws SQLException;
    }

    /** Whether the anomaly happened, and the observation that decided it. */
    record Outcome(boolean anomaly, String evidence) {
    }
    // end::scenario[]

    /* --------------- The anomalies --------------- */

    // tag::account[]
    static final List<String> ONE_ACCOUNT = List.of(
            "CREATE TABLE account(id INT PRIMARY KEY, balance INT)",
            "INSERT INTO account VALUES (1, 100)");
    static final String BALANCE = "SELECT balance FROM account WHERE id = 1";
    // end::account[]

    // tag::dirty-read[]
    /** P1, dirty read: w1[x] r2[x] a1. T2 reads a balance that is never committed. */
    static final class DirtyRead implements Scenario {
        public String name() {
            return "dirty read";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            t1.execute("UPDATE account SET balance = 50 WHERE id = 1");   // w1[x]
            int seen = t2.queryInt(BALANCE);                              // r2[x]
            t1.rollback();                                                // a1
            t2.commit();
            int committed = queryInt(db, BALANCE);
            return new Outcome(seen != committed, "read " + seen);
        }
    }
    // end::dirty-read[]

    // tag::non-repeatable-read[]
    /** P2, non-repeatable read: r1[x] w2[x] c2 r1[x]. T1 reads one row twice. */
    static final class NonRepeatableRead implements Scenario {
        public String name() {
            return "non-repeatable read";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            int first = t1.queryInt(BALANCE);                             // r1[x]
            t2.execute("UPDATE account SET balance = 50 WHERE id = 1");   // w2[x]
            t2.commit();                                                  // c2
            int second = t1.queryInt(BALANCE);                            // r1[x]
            t1.commit();
            return new Outcome(first != second, first + "->" + second);
        }
    }
    // end::non-repeatable-read[]

    // tag::phantom[]
    /** P3, phantom: r1[P] w2[y in P] c2 r1[P]. T1 counts the rows matching P twice. */
    static final class PhantomRead implements Scenario {
        public String name() {
            return "phantom read";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            String p = "SELECT COUNT(*) FROM account WHERE balance >= 100";
            int first = t1.queryInt(p);                                   // r1[P]
            t2.execute("INSERT INTO account VALUES (2, 200)");            // w2[y in P]
            t2.commit();                                                  // c2
            int second = t1.queryInt(p);                                  // r1[P]
            t1.commit();
            return new Outcome(first != second, first + "->" + second);
        }
    }
    // end::phantom[]

    // tag::lost-update[]
    /**
     * P4, lost update: r1[x] r2[x] w2[x] c2 w1[x] c1. Two deposits into one account,
     * each a SELECT of the balance and an UPDATE to read + deposit. If both commit, the
     * balance must show both deposits; if not, one was silently overwritten.
     */
    static final class LostUpdate implements Scenario {
        public String name() {
            return "lost update";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            String write = "UPDATE account SET balance = ? WHERE id = 1";
            int read1 = t1.queryInt(BALANCE);                             // r1[x]
            int read2 = t2.queryInt(BALANCE);                             // r2[x]
            t2.execute(write, read2 + 20);                                // w2[x]
            boolean committed2 = t2.commit();                             // c2
            boolean committed1 = t1.execute(write, read1 + 10)            // w1[x]
                    && t1.commit();                                       // c1
            int balance = queryInt(db, BALANCE);
            int expected = 100 + (committed1 ? 10 : 0) + (committed2 ? 20 : 0);
            return new Outcome(balance != expected,
                    committed1 ? "final " + balance : t1.fate());
        }
    }
    // end::lost-update[]

    // tag::read-skew[]
    /**
     * A5A, read skew: r1[x] w2[x] w2[y] c2 r1[y]. T2 moves 40 from checking to savings;
     * T1 reads one balance before the move and the other after it. The balances are in
     * two tables because H2's REPEATABLE READ snapshots a table at its first use.
     */
    static final class ReadSkew implements Scenario {
        public String name() {
            return "read skew";
        }

        public List<String> schema() {
            return List.of(
                    "CREATE TABLE checking(id INT PRIMARY KEY, balance INT)",
                    "CREATE TABLE savings(id INT PRIMARY KEY, balance INT)",
                    "INSERT INTO checking VALUES (1, 50)",
                    "INSERT INTO savings VALUES (1, 50)");
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            int checking = t1.queryInt("SELECT balance FROM checking");   // r1[x]
            t2.execute("UPDATE checking SET balance = balance - 40");     // w2[x]
            t2.execute("UPDATE savings SET balance = balance + 40");      // w2[y]
            t2.commit();                                                  // c2
            int savings = t1.queryInt("SELECT balance FROM savings");     // r1[y]
            t1.commit();
            int total = checking + savings;           // 100 in every committed state
            return new Outcome(total != 100, "sum " + total);
        }
    }
    // end::read-skew[]

    static final List<String> TWO_DOCTORS_ON_CALL = List.of(
            "CREATE TABLE doctor(name VARCHAR(20) PRIMARY KEY, on_call BOOLEAN)",
            "INSERT INTO doctor VALUES ('alice', TRUE), ('bob', TRUE)");

    // tag::write-skew[]
    /**
     * A5B, write skew: r1[x, y] r2[x, y] w1[x] w2[y] c1 c2. The rule: at least one
     * doctor on call. Each doctor checks that two are on call and goes off call. Alone,
     * each transaction keeps the rule; together they write different rows, so there is
     * no write-write conflict to detect.
     */
    static final class WriteSkew implements Scenario {
        public String name() {
            return "write skew";
        }

        public List<String> schema() {
            return TWO_DOCTORS_ON_CALL;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            String onCall = "SELECT COUNT(*) FROM doctor WHERE on_call";
            String offCall = "UPDATE doctor SET on_call = FALSE WHERE name = ?";
            int seen1 = t1.queryInt(onCall);                              // r1[x, y]
            int seen2 = t2.queryInt(onCall);                              // r2[x, y]
            if (seen1 >= 2) {
                t1.execute(offCall, "alice");                             // w1[x]
            }
            if (seen2 >= 2) {
                t2.execute(offCall, "bob");                               // w2[y]
            }
            t1.commit();                                                  // c1
            t2.commit();                                                  // c2
            int left = queryInt(db, onCall);
            return new Outcome(left == 0, left + " on call");
        }
    }
    // end::write-skew[]

    // tag::dirty-write[]
    /**
     * P0, dirty write: w1[x] w2[x] a1. T2 overwrites a row that T1 changed and has not
     * committed. Berenson et al. require every level to forbid it; a database does so
     * by making T2 wait for T1's row lock.
     */
    static final class DirtyWrite implements Scenario {
        public String name() {
            return "dirty write";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            t1.execute("UPDATE account SET balance = 50 WHERE id = 1");   // w1[x]
            boolean wrote = t2.execute(
                    "UPDATE account SET balance = 70 WHERE id = 1");      // w2[x]
            t1.rollback();                                                // a1
            t2.commit();
            return new Outcome(wrote, wrote ? "wrote" : t2.fate());
        }
    }
    // end::dirty-write[]

    /** The anomalies of the matrix, in column order. */
    static final List<Scenario> ANOMALIES = List.of(new DirtyRead(), new NonRepeatableRead(),
            new PhantomRead(), new LostUpdate(), new ReadSkew(), new WriteSkew());

    /* --------------- Remedies --------------- */

    // tag::remedies[]
    /** The lost-update history, but each deposit adds to the balance in one UPDATE. */
    static final class AtomicDeposit implements Scenario {
        public String name() {
            return "lost update, atomic UPDATE";
        }

        public List<String> schema() {
            return ONE_ACCOUNT;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            String deposit = "UPDATE account SET balance = balance + ? WHERE id = 1";
            t1.queryInt(BALANCE);
            t2.queryInt(BALANCE);
            t2.execute(deposit, 20);
            boolean committed2 = t2.commit();
            boolean committed1 = t1.execute(deposit, 10) && t1.commit();
            int balance = queryInt(db, BALANCE);
            int expected = 100 + (committed1 ? 10 : 0) + (committed2 ? 20 : 0);
            return new Outcome(balance != expected,
                    committed1 ? "final " + balance : t1.fate());
        }
    }

    /**
     * The write skew, but each doctor first locks the rows the rule reads. T2 has to
     * wait for T1; here it times out, rolls back and retries after T1 commits.
     */
    static final class LockTheRowsRead implements Scenario {
        public String name() {
            return "write skew, SELECT ... FOR UPDATE";
        }

        public List<String> schema() {
            return TWO_DOCTORS_ON_CALL;
        }

        public Outcome run(Tx t1, Tx t2, Connection db) throws SQLException {
            String lock = "SELECT name FROM doctor WHERE on_call FOR UPDATE";
            String onCall = "SELECT COUNT(*) FROM doctor WHERE on_call";
            String offCall = "UPDATE doctor SET on_call = FALSE WHERE name = ?";
            t1.execute(lock);
            int seen1 = t1.queryInt(onCall);
            boolean t2Locked = t2.execute(lock);      // waits for T1's row locks
            String t2First = t2.fate();
            if (seen1 >= 2) {
                t1.execute(offCall, "alice");
            }
            t1.commit();
            if (!t2Locked) {
                t2.retry();                           // a new transaction
                t2.execute(lock);
            }
            if (t2.queryInt(onCall) >= 2) {
                t2.execute(offCall, "bob");
            }
            t2.commit();
            int left = queryInt(db, onCall);
            String how = t2Locked ? "locked" : t2First + ", retried";
            return new Outcome(left == 0, "T2 " + how + "; " + left + " on call");
        }
    }
    // end::remedies[]

    /* --------------- Running a history on a fresh database --------------- */

    // tag::lab[]
    /**
     * Runs one scenario at one level on a new in-memory database. The database lives as
     * long as its first connection, {@code db}, so it is gone when this method returns.
     */
    static Outcome run(Scenario scenario, Level level) throws SQLException {
        String url = "jdbc:h2:mem:isolation_" + level + "_"
                + scenario.getClass().getSimpleName()
                + ";LOCK_TIMEOUT=" + LOCK_TIMEOUT_MS;
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = db.createStatement()) {
                for (String sql : scenario.schema()) {
                    s.execute(sql);
                }
            }
            try (Tx t1 = new Tx(url, level); Tx t2 = new Tx(url, level)) {
                return scenario.run(t1, t2, db);
            }
        }
    }

    /** Every anomaly at every level: a row per level, a column per anomaly. */
    static Map<Level, Map<String, Outcome>> matrix() throws SQLException {
        Map<Level, Map<String, Outcome>> matrix = new EnumMap<>(Level.class);
        for (Level level : Level.values()) {
            Map<String, Outcome> row = new LinkedHashMap<>();
            for (Scenario scenario : ANOMALIES) {
                row.put(scenario.name(), run(scenario, level));
            }
            matrix.put(level, row);
        }
        return matrix;
    }
    // end::lab[]

    /* --------------- Printing --------------- */

    private static final String COLUMNS = "%-18s" + "%-10s".repeat(6);

    private static void printTable(Map<Level, Map<String, Outcome>> matrix,
                                   Function<Outcome, String> cell) {
        System.out.println(line("", List.of("dirty", "non-rep.", "phantom", "lost", "read",
                "write")));
        System.out.println(line("level", List.of("read", "read", "read", "update", "skew",
                "skew")));
        for (var row : matrix.entrySet()) {
            System.out.println(line(row.getKey().sql(),
                    row.getValue().values().stream().map(cell).toList()));
        }
    }

    private static String line(String first, List<String> cells) {
        Object[] values = new Object[cells.size() + 1];
        values[0] = first;
        for (int i = 0; i < cells.size(); i++) {
            values[i + 1] = cells.get(i);
        }
        return String.format(Locale.ROOT, COLUMNS, values).stripTrailing();
    }

    public static void main(String[] args) throws SQLException {
        Map<Level, Map<String, Outcome>> matrix = matrix();

        System.out.println("Two transactions on " + DATABASE + ", stepped from one thread;");
        System.out.println("a fresh in-memory database for every cell.");
        System.out.println();
        System.out.println("Did the anomaly happen?");
        printTable(matrix, outcome -> outcome.anomaly() ? "yes" : "no");
        System.out.println();
        System.out.println("What decided it (the value read, or the state after both ended):");
        printTable(matrix, Outcome::evidence);

        System.out.println();
        Set<String> dirtyWrites = new TreeSet<>();
        for (Level level : Level.values()) {
            dirtyWrites.add(run(new DirtyWrite(), level).evidence());
        }
        System.out.println("Dirty write (T2 updates a row T1 has not committed): T2 "
                + (dirtyWrites.size() == 1
                        ? dirtyWrites.iterator().next() + " at every level"
                        : "varies " + dirtyWrites));

        System.out.println();
        System.out.println("Remedies:");
        Outcome deposit = run(new AtomicDeposit(), Level.READ_COMMITTED);
        System.out.println("  lost update, READ COMMITTED, balance = balance + n: "
                + deposit.evidence());
        Outcome locked = run(new LockTheRowsRead(), Level.SERIALIZABLE);
        System.out.println("  write skew, SERIALIZABLE, FOR UPDATE first: " + locked.evidence());

        if (deposit.anomaly() || locked.anomaly()) {
            throw new IllegalStateException("a remedy let the anomaly through");
        }
    }
}
