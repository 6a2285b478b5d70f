// requires: com.h2database:h2:2.4.240

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * ACID checked on a real embedded H2 database, one property at a time, with a bank transfer as the
 * transaction: debit one account, credit another, record the transfer in a ledger.
 *
 * <p>Atomicity. A transfer that fails after its debit is undone entirely by a rollback, whether the
 * failure is a crash injected between debit and credit or a constraint the last statement violates.
 * Without a transaction (JDBC's default auto-commit mode) the debit stays and money disappears.
 *
 * <p>Consistency. CHECK, PRIMARY KEY and FOREIGN KEY constraints make the database refuse states they
 * forbid, with an SQLState of class 23. An invariant no constraint states, such as "a transfer
 * conserves money", is the application's job: it must check it inside the transaction and roll back.
 *
 * <p>Isolation. Two connections driven step by step from one thread show that H2's default level,
 * READ COMMITTED, hides uncommitted changes but lets a second read see a newer committed value, while
 * REPEATABLE READ keeps the first value for the whole transaction.
 *
 * <p>Durability. A file database in a temporary directory is crashed with {@code SHUTDOWN IMMEDIATELY},
 * which closes the files without writing anything more, and reopened. Committed and written rows
 * survive; an uncommitted row whose bytes had reached the file is rolled back on open; a committed row
 * still waiting in H2's write delay is lost. Durability is only as good as the write behind the commit.
 *
 * <p>Trade-off. Every guarantee costs something: a transaction holds locks or versions until it ends,
 * constraints are checked on every write, stronger isolation blocks or aborts more, and a commit that
 * waits for the disk is far slower than one that does not.
 *
 * <p>Sources. T. Haerder, A. Reuter, "Principles of transaction-oriented database recovery", ACM
 * Computing Surveys 15(4), 1983 (the ACID properties; UNDO and REDO). H2 documentation: "ACID" and
 * "Durability Problems" (advanced.html), MVStore (mvstore.html), SET WRITE_DELAY, CHECKPOINT SYNC and
 * SHUTDOWN (commands.html). M. Kleppmann, Designing Data-Intensive Applications, O'Reilly 2017, ch. 7.
 */
public class Acid {

    // tag::schema[]
    /** No negative balance; every ledger row names two real accounts. */
    static final String[] SCHEMA = {
        """
        CREATE TABLE accounts (
          id      VARCHAR(20) PRIMARY KEY,
          balance BIGINT NOT NULL CHECK (balance >= 0))""",
        """
        CREATE TABLE transfers (
          id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          from_id VARCHAR(20) NOT NULL REFERENCES accounts,
          to_id   VARCHAR(20) NOT NULL REFERENCES accounts,
          amount  BIGINT NOT NULL CHECK (amount > 0))""",
        "INSERT INTO accounts VALUES ('alice', 100), ('bob', 100)"
    };
    // end::schema[]

    /** A fresh in-memory bank; it lives while {@link #db} (or any other connection to it) is open. */
    static final class Bank implements AutoCloseable {
        final String url;
        final Connection db;

        Bank(String name) throws SQLException {
            url = "jdbc:h2:mem:acid-" + name;
            db = DriverManager.getConnection(url, "sa", "");
            try (Statement s = db.createStatement()) {
                s.execute("DROP ALL OBJECTS"); // in case a caller left one of the same name open
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
        }

        /** Another session on the same database, as a second client would have. */
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, "sa", "");
        }

        long balance(String id) throws SQLException {
            return balance(db, id);
        }

        long total() throws SQLException {
            return total(db);
        }

        long count(String table) throws SQLException {
            return longQuery(db, "SELECT COUNT(*) FROM " + table);
        }

        static long balance(Connection c, String id) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalStateException("no account " + id);
                    }
                    return r.getLong(1);
                }
            }
        }

        static long total(Connection c) throws SQLException {
            return longQuery(c, "SELECT COALESCE(SUM(balance), 0) FROM accounts");
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    // tag::transfer[]
    /** Work done on a connection; what a transaction wraps. */
    @FunctionalInterface
    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    /** Runs between debit and credit, so a transfer can be made to fail half-way. */
    @FunctionalInterface
    interface AfterDebit {
        void run() throws SQLException;

        AfterDebit NOTHING = () -> { };
        AfterDebit CRASH = () -> {
            throw new IllegalStateException("crash between debit and credit");
        };
    }

    static final String DEBIT = "UPDATE accounts SET balance = balance - ? WHERE id = ?";
    static final String CREDIT = "UPDATE accounts SET balance = balance + ? WHERE id = ?";
    static final String RECORD =
            "INSERT INTO transfers (from_id, to_id, amount) VALUES (?, ?, ?)";

    /** The three statements of a transfer, in the connection's current transaction. */
    static void transferSteps(Connection c, String from, String to, long amount,
                              AfterDebit afterDebit) throws SQLException {
        update(c, DEBIT, amount, from);
        afterDebit.run();
        update(c, CREDIT, amount, to);
        try (PreparedStatement p = c.prepareStatement(RECORD)) {
            p.setString(1, from);
            p.setString(2, to);
            p.setLong(3, amount);
            p.executeUpdate();
        }
    }

    /** Runs work as one transaction: commit if it completes, roll back if it throws. */
    static void inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback(); // first: setAutoCommit(true) would commit what is pending
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
    // end::transfer[]

    /** What a scenario left behind: balances, ledger rows, and the SQLState that stopped it, if any. */
    record Outcome(long alice, long bob, long ledgerRows, String sqlState) {
        long total() {
            return alice + bob;
        }
    }

    static Outcome outcome(Bank bank, String sqlState) throws SQLException {
        return new Outcome(bank.balance("alice"), bank.balance("bob"), bank.count("transfers"), sqlState);
    }

    /** Runs a step that is expected to fail and returns its SQLState; a failure that is not SQL is "-". */
    static String failure(SqlWork step, Connection c) {
        try {
            step.run(c);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        } catch (RuntimeException e) {
            return "-";
        }
    }

    // ---------------------------------------------------------------- atomicity

    // tag::atomicity[]
    /** Auto-commit: each statement commits by itself, the debit before the crash. */
    static Outcome crashWithoutTransaction() throws SQLException {
        try (Bank bank = new Bank("atomicity-autocommit")) {
            String state = failure(
                    c -> transferSteps(c, "alice", "bob", 30, AfterDebit.CRASH), bank.db);
            return outcome(bank, state);
        }
    }

    /** The same crash inside one transaction: the rollback undoes the debit. */
    static Outcome crashInsideTransaction() throws SQLException {
        try (Bank bank = new Bank("atomicity-crash")) {
            String state = failure(c -> inTransaction(c,
                    tx -> transferSteps(tx, "alice", "bob", 30, AfterDebit.CRASH)),
                    bank.db);
            return outcome(bank, state);
        }
    }

    /**
     * To an account that does not exist. The debit succeeds, the credit matches no
     * row (not an error in SQL), and the ledger's foreign key rejects the last
     * statement: all three are undone.
     */
    static Outcome creditToMissingAccount() throws SQLException {
        try (Bank bank = new Bank("atomicity-constraint")) {
            String state = failure(c -> inTransaction(c,
                    tx -> transferSteps(tx, "alice", "carol", 30, AfterDebit.NOTHING)),
                    bank.db);
            return outcome(bank, state);
        }
    }
    // end::atomicity[]

    /** A transfer that goes through, so the failing ones are seen against a working one. */
    static Outcome successfulTransfer() throws SQLException {
        try (Bank bank = new Bank("atomicity-ok")) {
            String state = failure(c -> inTransaction(c,
                    tx -> transferSteps(tx, "alice", "bob", 30, AfterDebit.NOTHING)), bank.db);
            return outcome(bank, state);
        }
    }

    // ---------------------------------------------------------------- consistency

    /** A transfer larger than the balance: the debit breaks CHECK (balance >= 0). */
    static Outcome overdraft() throws SQLException {
        try (Bank bank = new Bank("consistency-check")) {
            String state = failure(c -> inTransaction(c,
                    tx -> transferSteps(tx, "alice", "bob", 500, AfterDebit.NOTHING)), bank.db);
            return outcome(bank, state);
        }
    }

    /** A second account with an existing id: the primary key refuses it. Returns the SQLState and the row count. */
    static String[] duplicateAccount() throws SQLException {
        try (Bank bank = new Bank("consistency-unique")) {
            String state = failure(c -> exec(c, "INSERT INTO accounts VALUES ('bob', 5)"), bank.db);
            return new String[] {state, Long.toString(bank.count("accounts"))};
        }
    }

    // tag::invariant[]
    /** A buggy transfer: it debits 30 and credits 3. Every constraint still holds. */
    static void buggyTransfer(Connection c) throws SQLException {
        update(c, DEBIT, 30, "alice");
        update(c, CREDIT, 3, "bob");
    }

    /** The application's invariant, checked in the transaction: money is conserved. */
    static SqlWork conservingMoney(SqlWork work) {
        return c -> {
            long before = Bank.total(c);
            work.run(c);
            long after = Bank.total(c);
            if (after != before) {
                throw new IllegalStateException("total " + before + " became " + after);
            }
        };
    }
    // end::invariant[]

    static Outcome buggyTransfer(boolean checkInvariant) throws SQLException {
        try (Bank bank = new Bank("consistency-invariant-" + checkInvariant)) {
            SqlWork work = checkInvariant ? conservingMoney(Acid::buggyTransfer) : Acid::buggyTransfer;
            String state = failure(c -> inTransaction(c, work), bank.db);
            return outcome(bank, state);
        }
    }

    // ---------------------------------------------------------------- isolation

    /** What connection B read for alice's balance before and after A committed its debit. */
    record Reads(long beforeCommit, long afterCommit) {
    }

    // tag::isolation[]
    /** A debits alice 30, then commits; B, in one transaction, reads alice twice. */
    static Reads readTwice(int isolationLevel) throws SQLException {
        try (Bank bank = new Bank("isolation-" + isolationLevel);
             Connection a = bank.connect();
             Connection b = bank.connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            b.setTransactionIsolation(isolationLevel);
            update(a, DEBIT, 30, "alice");           // A debits, not committed
            long first = Bank.balance(b, "alice");   // B reads
            a.commit();                              // A commits
            long second = Bank.balance(b, "alice");  // B reads again
            b.commit();
            return new Reads(first, second);
        }
    }
    // end::isolation[]

    // ---------------------------------------------------------------- durability

    /** Which ledger rows a reopened file database still holds, and what the crash left on disk. */
    record Survival(List<Integer> rowsAfterReopen, boolean uncommittedBytesWereInFile, boolean tempDirRemoved) {
    }

    static final String NEVER_COMMITTED = "never committed";

    // tag::durability[]
    /**
     * Row 1 is committed before a clean close. Row 2 is committed and written at
     * once (WRITE_DELAY=0). Row 3 is never committed. Row 4 is committed while H2
     * may delay the write by up to 60 s. Then the database "crashes": SHUTDOWN
     * IMMEDIATELY closes the files with no rollback and no final write.
     */
    static Survival crashAndReopen() throws SQLException, IOException {
        Path dir = Files.createTempDirectory("acid-durability-");
        try {
            String url = "jdbc:h2:file:" + dir.resolve("bank") + ";WRITE_DELAY=0";
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                exec(c, "CREATE TABLE ledger (id INT PRIMARY KEY, note VARCHAR(40))");
                insertLedger(c, 1, "committed, then clean close");
            } // the last connection closed: a normal close

            boolean uncommittedInFile;
            try (Connection a = DriverManager.getConnection(url, "sa", "");
                 Connection b = DriverManager.getConnection(url, "sa", "")) {
                b.setAutoCommit(false);
                insertLedger(b, 3, NEVER_COMMITTED);      // b never commits
                insertLedger(a, 2, "committed, written"); // written with b's row
                Path file = dir.resolve("bank.mv.db");
                uncommittedInFile = fileContains(file, NEVER_COMMITTED);
                exec(a, "SET WRITE_DELAY 60000");
                insertLedger(a, 4, "committed, write delayed");
                exec(a, "SHUTDOWN IMMEDIATELY");          // the crash
            }

            List<Integer> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url, "sa", "");
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT id FROM ledger ORDER BY id")) {
                while (r.next()) {
                    rows.add(r.getInt(1));
                }
            }
            deleteRecursively(dir);
            return new Survival(rows, uncommittedInFile, !Files.exists(dir));
        } finally {
            deleteRecursively(dir);
        }
    }
    // end::durability[]

    static void insertLedger(Connection c, int id, String note) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO ledger VALUES (?, ?)")) {
            p.setInt(1, id);
            p.setString(2, note);
            p.executeUpdate();
        }
    }

    /** Whether the file's raw bytes contain the text: did the row reach the file before the crash? */
    static boolean fileContains(Path file, String text) throws IOException {
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return raw.contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ---------------------------------------------------------------- JDBC helpers

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int update(Connection c, String sql, long amount, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, amount);
            p.setString(2, id);
            return p.executeUpdate();
        }
    }

    static long longQuery(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    // ---------------------------------------------------------------- report

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    static String balances(Outcome o) {
        return String.format(Locale.ROOT, "alice=%d bob=%d total=%d ledger=%d",
                o.alice(), o.bob(), o.total(), o.ledgerRows());
    }

    static void line(String label, String result) {
        System.out.println(String.format(Locale.ROOT, "  %-28s %s", label, result));
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Two accounts, alice=100 and bob=100; a transfer moves 30 from alice to bob.");

        System.out.println("Atomicity: the transfer fails after the debit");
        Outcome ok = successfulTransfer();
        Outcome auto = crashWithoutTransaction();
        Outcome rolledBack = crashInsideTransaction();
        Outcome missing = creditToMissingAccount();
        line("succeeds (for comparison)", balances(ok));
        line("crash, auto-commit", balances(auto) + "  debit kept");
        line("crash, one transaction", balances(rolledBack) + "  rolled back");
        line("credit to missing 'carol'", balances(missing) + "  rolled back: " + missing.sqlState());
        check(ok.total() == 200 && ok.ledgerRows() == 1, "a transfer that succeeds conserves money");
        check(auto.total() == 170, "auto-commit loses the debited money");
        check(rolledBack.equals(new Outcome(100, 100, 0, "-")), "rollback restores both balances");
        check(missing.alice() == 100 && missing.sqlState().startsWith("23"), "constraint failure rolls back");

        System.out.println("Consistency: constraints the database enforces");
        Outcome overdraft = overdraft();
        String[] duplicate = duplicateAccount();
        line("overdraft (debit 500)", "SQLState " + overdraft.sqlState() + " CHECK, alice=" + overdraft.alice());
        line("second account 'bob'", "SQLState " + duplicate[0] + " PRIMARY KEY, accounts=" + duplicate[1]);
        check(overdraft.sqlState().startsWith("23") && overdraft.alice() == 100, "CHECK refuses an overdraft");
        check(duplicate[0].startsWith("23") && duplicate[1].equals("2"), "PRIMARY KEY refuses a duplicate");

        System.out.println("Consistency: an invariant only the application knows (money is conserved)");
        Outcome unchecked = buggyTransfer(false);
        Outcome checked = buggyTransfer(true);
        line("buggy transfer, no check", (unchecked.sqlState() == null ? "committed" : "rolled back")
                + ", total=" + unchecked.total());
        line("buggy transfer, app checks", (checked.sqlState() == null ? "committed" : "rolled back")
                + ", total=" + checked.total());
        check(unchecked.total() == 173 && checked.total() == 200, "only the application's check catches it");

        System.out.println("Isolation: A debits alice and commits later; B reads alice twice");
        Reads readCommitted = readTwice(Connection.TRANSACTION_READ_COMMITTED);
        Reads repeatableRead = readTwice(Connection.TRANSACTION_REPEATABLE_READ);
        line("B at READ COMMITTED", String.format(Locale.ROOT, "%d before A commits, %d after",
                readCommitted.beforeCommit(), readCommitted.afterCommit()));
        line("B at REPEATABLE READ", String.format(Locale.ROOT, "%d before A commits, %d after",
                repeatableRead.beforeCommit(), repeatableRead.afterCommit()));
        check(readCommitted.equals(new Reads(100, 70)) && repeatableRead.equals(new Reads(100, 100)),
                "no dirty read at either level; only READ COMMITTED sees the new value");

        System.out.println("Durability: a file database crashed with SHUTDOWN IMMEDIATELY, then reopened");
        Survival s = crashAndReopen();
        String[] rowNames = {"", "1 committed, clean close", "2 committed, written",
            "3 " + NEVER_COMMITTED, "4 committed, write delayed"};
        for (int id = 1; id <= 4; id++) {
            line(rowNames[id], s.rowsAfterReopen().contains(id) ? "survived" : "gone");
        }
        line("row 3's bytes in the file", s.uncommittedBytesWereInFile() ? "yes" : "no");
        line("temp directory deleted", s.tempDirRemoved() ? "yes" : "no");
        check(s.rowsAfterReopen().equals(List.of(1, 2)), "committed and written rows survive, others do not");
    }
}
