// requires: com.h2database:h2:2.4.240
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Horizontal and vertical partitioning of one logical table, run on a real embedded H2 database,
 * with the work each query makes the database do counted from H2's own execution statistics.
 *
 * <p>Algorithm. The logical table is {@code account(id, region, balance_cents, bio, photo)}. It is
 * stored three ways. {@link WideTable} keeps it as one table. {@link RegionPartitions} splits its
 * ROWS by list partitioning on {@code region}: one table per region, every table with every column,
 * and a router that sends a query naming a region to that region's table only (partition pruning)
 * and any other query to every table, merging the answers (scatter-gather). {@link HotColdSplit}
 * splits its COLUMNS: a narrow "hot" table with the small, often-read columns and a wide "cold"
 * table with the large, rarely-read ones, both keyed by {@code id} and joined 1:1 to rebuild a row.
 * H2 has no declarative partitioning (it rejects {@code PARTITION BY}), so both splits are done by
 * hand, as an application would do on a database without it.
 *
 * <p>Trade-off. Pruning reads one partition instead of the whole table, but a query that does not
 * name the partition key must visit every partition. The hot table lets a scan of the small columns
 * skip the bytes of the large ones, but a query that needs both halves pays a join: two key lookups
 * per row instead of one.
 *
 * <p>Sources. PostgreSQL documentation, "Table Partitioning" (declarative range, list and hash
 * partitioning; partition pruning). MySQL Reference Manual, "Partitioning" (horizontal only; no
 * vertical partitioning). S. Navathe, S. Ceri, G. Wiederhold, J. Dou, "Vertical partitioning
 * algorithms for database design", ACM TODS 9(4), 1984. S. Agrawal, V. Narasayya, B. Yang,
 * "Integrating vertical and horizontal partitioning into automated physical database design",
 * SIGMOD 2004. M. Stonebraker et al., "C-Store: a column-oriented DBMS", VLDB 2005. D. Abadi,
 * S. Madden, N. Hachem, "Column-stores vs. row-stores: how different are they really?", SIGMOD 2008.
 */
public class VerticalPartitioning {

    // tag::model[]
    /** One row of the logical table. The photo is a large binary value, the bio a long text. */
    record Account(long id, String region, long balanceCents, String bio, byte[] photo) {
        // equals and hashCode compare the photo's bytes, not the array reference
        // end::model[]
        @Override
        public boolean equals(Object o) {
            return o instanceof Account a && id == a.id && balanceCents == a.balanceCents
                    && region.equals(a.region) && bio.equals(a.bio) && Arrays.equals(photo, a.photo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, region, balanceCents, bio, Arrays.hashCode(photo));
        }
        // tag::model[]
    }

    /** The same logical table stored one way. Every layout must give the same answers. */
    interface Layout {
        String name();

        void create(Db db) throws SQLException;

        void load(Db db, List<Account> accounts) throws SQLException;

        /** Total balance per region, over all accounts: reads only small columns. */
        Measured<SortedMap<String, Long>> balanceByRegion(Db db) throws SQLException;

        /** Total balance of one region: the query names the partition key. */
        Measured<Long> balanceIn(Db db, String region) throws SQLException;

        /** The whole account, all five columns, by its id. */
        Measured<Optional<Account>> account(Db db, long id) throws SQLException;
    }
    // end::model[]

    // tag::work[]
    /**
     * The work one query made the database do. statements: SQL statements sent (round trips, if
     * the tables sat on different servers). tables: the tables read, in plan order. rows: rows the
     * database's cursors read, whether or not they matched. bytes: column bytes in those rows; a
     * row store reads whole rows, so each row read counts the average row width of its table
     * (for a full scan that sum is exact).
     */
    record Work(int statements, List<String> tables, long rows, long bytes) {
        static final Work NONE = new Work(0, List.of(), 0, 0);

        Work plus(Work o) {
            List<String> both = new ArrayList<>(tables);
            both.addAll(o.tables);
            return new Work(statements + o.statements, List.copyOf(both), rows + o.rows, bytes + o.bytes);
        }
    }

    record Measured<T>(T value, Work work) {}
    // end::work[]

    /** Maps a whole result set to a value. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    // tag::meter[]
    /**
     * One H2 connection plus the meter. The meter runs each query once for its answer and once
     * under {@code EXPLAIN ANALYZE}, whose plan reports, per table read, H2's {@code scanCount}:
     * the steps its cursor took. The last step of a cursor finds no further row, so a table read
     * by one cursor, as every table is here, read {@code scanCount - 1} rows.
     */
    static final class Db implements AutoCloseable {
        private static final Pattern TABLE = Pattern.compile("(?:FROM|JOIN)\\s+\"?PUBLIC\"?\\.\"?(\\w+)\"?");
        private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

        final Connection connection;
        private final Map<String, long[]> sizes = new TreeMap<>(); // table -> {rows, column bytes}

        <T> Measured<T> query(String sql, Reader<T> reader) throws SQLException {
            T value;
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                value = reader.read(rs);
            }
            StringBuilder plan = new StringBuilder();
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            Work work = new Work(1, List.of(), 0, 0);
            String table = null; // the base table the next scanCount belongs to
            for (String line : plan.toString().split("\n")) {
                Matcher t = TABLE.matcher(line);
                if (t.find()) {
                    table = sizes.containsKey(t.group(1)) ? t.group(1) : null; // views have no size
                }
                Matcher c = SCAN_COUNT.matcher(line);
                if (c.find() && table != null) {
                    long rows = Long.parseLong(c.group(1)) - 1;
                    long[] size = sizes.get(table);
                    long bytes = size[0] == 0 ? 0 : rows * size[1] / size[0];
                    work = work.plus(new Work(0, List.of(table), rows, bytes));
                    table = null;
                }
            }
            return new Measured<>(value, work);
        }

        /** Row count and column bytes of every base table: 8 per BIGINT, the octets of the rest. */
        void measureTables() throws SQLException {
            Map<String, StringBuilder> widths = new TreeMap<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS c"
                            + " JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA"
                            + " AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = 'PUBLIC'"
                            + " AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")) {
                while (rs.next()) {
                    String width = rs.getString(3).equals("BIGINT") ? "8" : "OCTET_LENGTH(" + rs.getString(2) + ")";
                    widths.computeIfAbsent(rs.getString(1), k -> new StringBuilder("0")).append(" + ").append(width);
                }
            }
            for (Map.Entry<String, StringBuilder> e : widths.entrySet()) {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*), COALESCE(SUM(" + e.getValue() + "), 0) FROM " + e.getKey())) {
                    rs.next();
                    sizes.put(e.getKey(), new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        // end::meter[]

        Db(String name) throws SQLException {
            connection = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        }

        void execute(String sql) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        }

        /** {rows, column bytes} of a base table, as measured after loading. */
        long[] size(String table) {
            return sizes.get(table.toUpperCase(Locale.ROOT)).clone();
        }

        @Override
        public void close() throws SQLException {
            try (connection) {
                execute("SHUTDOWN");
            }
        }
    }

    // ---------------------------------------------------------------- shared SQL

    static final String COLUMNS = "id BIGINT PRIMARY KEY, region VARCHAR(8) NOT NULL,"
            + " balance_cents BIGINT NOT NULL, bio VARCHAR(4000) NOT NULL, photo VARBINARY(8192) NOT NULL";

    /** Inserts whole rows into one table, in one batch. */
    static void insertInto(Db db, String table, List<Account> accounts) throws SQLException {
        try (PreparedStatement p = db.connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
            for (Account a : accounts) {
                p.setLong(1, a.id());
                p.setString(2, a.region());
                p.setLong(3, a.balanceCents());
                p.setString(4, a.bio());
                p.setBytes(5, a.photo());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static SortedMap<String, Long> regionSums(ResultSet rs) throws SQLException {
        SortedMap<String, Long> sums = new TreeMap<>();
        while (rs.next()) {
            sums.put(rs.getString(1), rs.getLong(2));
        }
        return sums;
    }

    static long singleLong(ResultSet rs) throws SQLException {
        rs.next();
        return rs.getLong(1); // SUM over no rows is NULL, read as 0
    }

    static Optional<Account> singleAccount(ResultSet rs) throws SQLException {
        return rs.next()
                ? Optional.of(new Account(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getBytes(5)))
                : Optional.empty();
    }

    /** Region names are spliced into SQL, so only known ones pass. */
    static String checkedRegion(String region) {
        if (!RegionPartitions.PARTITIONS.containsKey(region)) {
            throw new IllegalArgumentException("no partition holds region " + region);
        }
        return region;
    }

    // ---------------------------------------------------------------- layouts

    // tag::wide[]
    /** The baseline: one table with every column. */
    static final class WideTable implements Layout {
        public String name() {
            return "wide";
        }

        public void create(Db db) throws SQLException {
            db.execute("CREATE TABLE account_wide(" + COLUMNS + ")");
        }

        public void load(Db db, List<Account> accounts) throws SQLException {
            insertInto(db, "account_wide", accounts);
        }

        public Measured<SortedMap<String, Long>> balanceByRegion(Db db) throws SQLException {
            return db.query("SELECT region, SUM(balance_cents) FROM account_wide GROUP BY region",
                    VerticalPartitioning::regionSums);
        }

        public Measured<Long> balanceIn(Db db, String region) throws SQLException {
            return db.query("SELECT SUM(balance_cents) FROM account_wide WHERE region = '"
                    + checkedRegion(region) + "'", VerticalPartitioning::singleLong);
        }

        public Measured<Optional<Account>> account(Db db, long id) throws SQLException {
            return db.query("SELECT id, region, balance_cents, bio, photo FROM account_wide WHERE id = " + id,
                    VerticalPartitioning::singleAccount);
        }
    }
    // end::wide[]

    // tag::horizontal[]
    /**
     * Horizontal partitioning by list: the rows of each region go to their own table with the same
     * columns. The router prunes when the query names a region and scatters when it does not.
     * Trade-off: reads confined to one region get cheaper; lookups by any other column visit every
     * partition, and each partition's primary key is unique only within that partition.
     */
    static final class RegionPartitions implements Layout {
        /** The partitioning rule: region -> partition table (list partitioning). */
        static final SortedMap<String, String> PARTITIONS = new TreeMap<>(Map.of(
                "APAC", "account_apac", "EU", "account_eu", "LATAM", "account_latam", "US", "account_us"));

        static String partitionFor(String region) {
            return PARTITIONS.get(checkedRegion(region));
        }

        public void create(Db db) throws SQLException {
            for (Map.Entry<String, String> p : PARTITIONS.entrySet()) {
                db.execute("CREATE TABLE " + p.getValue() + "(" + COLUMNS + ", CHECK (region = '" + p.getKey() + "'))");
            }
        }

        public void load(Db db, List<Account> accounts) throws SQLException {
            Map<String, List<Account>> byPartition = new TreeMap<>();
            for (Account a : accounts) { // each row goes to exactly one partition
                byPartition.computeIfAbsent(partitionFor(a.region()), t -> new ArrayList<>()).add(a);
            }
            for (Map.Entry<String, List<Account>> p : byPartition.entrySet()) {
                insertInto(db, p.getKey(), p.getValue());
            }
        }

        /** Pruning: the query names the partition key, so one partition is read. */
        public Measured<Long> balanceIn(Db db, String region) throws SQLException {
            return db.query("SELECT SUM(balance_cents) FROM " + partitionFor(region), VerticalPartitioning::singleLong);
        }

        /** Scatter-gather: one query per partition, answers merged by the router. */
        public Measured<SortedMap<String, Long>> balanceByRegion(Db db) throws SQLException {
            SortedMap<String, Long> merged = new TreeMap<>();
            Work work = Work.NONE;
            for (String table : PARTITIONS.values()) {
                Measured<SortedMap<String, Long>> part = db.query(
                        "SELECT region, SUM(balance_cents) FROM " + table + " GROUP BY region",
                        VerticalPartitioning::regionSums);
                part.value().forEach((region, sum) -> merged.merge(region, sum, Long::sum));
                work = work.plus(part.work());
            }
            return new Measured<>(merged, work);
        }

        /** The id does not say which region holds it, so every partition is probed. */
        public Measured<Optional<Account>> account(Db db, long id) throws SQLException {
            Optional<Account> found = Optional.empty();
            Work work = Work.NONE;
            for (String table : PARTITIONS.values()) {
                Measured<Optional<Account>> part = db.query(
                        "SELECT id, region, balance_cents, bio, photo FROM " + table + " WHERE id = " + id,
                        VerticalPartitioning::singleAccount);
                found = found.or(part::value);
                work = work.plus(part.work());
            }
            return new Measured<>(found, work);
        }
        // end::horizontal[]

        public String name() {
            return "horizontal";
        }

        // tag::view[]
        /** The same partitions behind one UNION ALL view, queried without the router. */
        Measured<Long> balanceInThroughView(Db db, String region) throws SQLException {
            db.execute("CREATE VIEW IF NOT EXISTS account_all AS "
                    + String.join(" UNION ALL ", PARTITIONS.values().stream().map(t -> "SELECT * FROM " + t).toList()));
            return db.query("SELECT SUM(balance_cents) FROM account_all WHERE region = '" + checkedRegion(region) + "'",
                    VerticalPartitioning::singleLong);
        }
        // end::view[]
    }

    // tag::vertical[]
    /**
     * Vertical partitioning: the small, hot columns in one table, the large, cold ones in another,
     * both keyed by id. Trade-off: scans of hot columns skip the cold bytes; a query needing both
     * halves joins them, reading two rows by key for each logical row, and every insert writes two
     * tables (done here in one transaction).
     */
    static final class HotColdSplit implements Layout {
        public void create(Db db) throws SQLException {
            db.execute("CREATE TABLE account_hot(id BIGINT PRIMARY KEY, region VARCHAR(8) NOT NULL,"
                    + " balance_cents BIGINT NOT NULL)");
            db.execute("CREATE TABLE account_cold(id BIGINT PRIMARY KEY REFERENCES account_hot(id),"
                    + " bio VARCHAR(4000) NOT NULL, photo VARBINARY(8192) NOT NULL)");
        }

        public void load(Db db, List<Account> accounts) throws SQLException {
            db.connection.setAutoCommit(false); // both halves of every row, or neither
            try (PreparedStatement hot = db.connection.prepareStatement("INSERT INTO account_hot VALUES (?, ?, ?)");
                    PreparedStatement cold = db.connection.prepareStatement("INSERT INTO account_cold VALUES (?, ?, ?)")) {
                for (Account a : accounts) {
                    hot.setLong(1, a.id());
                    hot.setString(2, a.region());
                    hot.setLong(3, a.balanceCents());
                    hot.addBatch();
                    cold.setLong(1, a.id());
                    cold.setString(2, a.bio());
                    cold.setBytes(3, a.photo());
                    cold.addBatch();
                }
                hot.executeBatch();
                cold.executeBatch();
                db.connection.commit();
            } catch (SQLException e) {
                db.connection.rollback();
                throw e;
            } finally {
                db.connection.setAutoCommit(true);
            }
        }

        /** Only small columns are needed: the cold table is never read. */
        public Measured<SortedMap<String, Long>> balanceByRegion(Db db) throws SQLException {
            return db.query("SELECT region, SUM(balance_cents) FROM account_hot GROUP BY region",
                    VerticalPartitioning::regionSums);
        }

        public Measured<Long> balanceIn(Db db, String region) throws SQLException {
            return db.query("SELECT SUM(balance_cents) FROM account_hot WHERE region = '" + checkedRegion(region) + "'",
                    VerticalPartitioning::singleLong);
        }

        /** Both halves are needed: the row is rebuilt by a 1:1 join on the key. */
        public Measured<Optional<Account>> account(Db db, long id) throws SQLException {
            return db.query("SELECT h.id, h.region, h.balance_cents, c.bio, c.photo FROM account_hot h"
                    + " JOIN account_cold c ON c.id = h.id WHERE h.id = " + id, VerticalPartitioning::singleAccount);
        }
        // end::vertical[]

        public String name() {
            return "vertical";
        }
    }

    // ---------------------------------------------------------------- data and harness

    static final int ACCOUNTS = 2_000;
    static final long SEED = 42;
    static final String ONE_REGION = "LATAM";
    static final long SOME_ID = 1_234;

    /** Accounts with skewed regions (EU 40 %, US 30 %, APAC 20 %, LATAM 10 %), a bio and a photo. */
    static List<Account> accounts(int count, long seed) {
        Random random = new Random(seed);
        String[] regions = {"EU", "EU", "EU", "EU", "US", "US", "US", "APAC", "APAC", "LATAM"};
        List<Account> accounts = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            char[] bio = new char[300 + random.nextInt(401)];
            for (int i = 0; i < bio.length; i++) {
                bio[i] = random.nextInt(6) == 0 ? ' ' : (char) ('a' + random.nextInt(26));
            }
            byte[] photo = new byte[1_024 + random.nextInt(2_049)];
            random.nextBytes(photo);
            accounts.add(new Account(id, regions[random.nextInt(regions.length)], random.nextInt(1_000_000),
                    new String(bio), photo));
        }
        return accounts;
    }

    /** Three layouts of the same accounts in one fresh in-memory database. */
    static final class Demo implements AutoCloseable {
        final Db db;
        final WideTable wide = new WideTable();
        final RegionPartitions horizontal = new RegionPartitions();
        final HotColdSplit vertical = new HotColdSplit();
        final List<Layout> layouts = List.of(wide, horizontal, vertical);
        final List<Account> accounts;

        Demo(String dbName, List<Account> accounts) throws SQLException {
            this.db = new Db(dbName);
            this.accounts = accounts;
            for (Layout layout : layouts) {
                layout.create(db);
                layout.load(db, accounts);
            }
            db.measureTables();
        }

        /** Throws unless every layout answers every query exactly as the wide table does. */
        void checkSameAnswers(List<Long> ids) throws SQLException {
            for (Layout layout : layouts) {
                require(layout.balanceByRegion(db).value().equals(wide.balanceByRegion(db).value()), layout, "by region");
                for (String region : RegionPartitions.PARTITIONS.keySet()) {
                    require(layout.balanceIn(db, region).value().equals(wide.balanceIn(db, region).value()), layout, region);
                }
                for (long id : ids) {
                    require(layout.account(db, id).value().equals(wide.account(db, id).value()), layout, "id " + id);
                }
            }
        }

        private static void require(boolean ok, Layout layout, String what) {
            if (!ok) {
                throw new IllegalStateException(layout.name() + " answers differently: " + what);
            }
        }

        /** True if H2 accepts a declarative PARTITION BY clause (it does not). */
        boolean acceptsPartitionBy() {
            try {
                db.execute("CREATE TABLE probe(id BIGINT, region VARCHAR(8)) PARTITION BY LIST (region)");
                db.execute("DROP TABLE probe");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        /** True if the same id can live in two partitions: per-partition keys are not global. */
        boolean duplicateIdAcrossPartitions() throws SQLException {
            Account a = accounts.get(0);
            String other = RegionPartitions.PARTITIONS.keySet().stream()
                    .filter(r -> !r.equals(a.region())).findFirst().orElseThrow();
            Account clash = new Account(a.id(), other, a.balanceCents(), a.bio(), a.photo());
            try {
                insertInto(db, RegionPartitions.partitionFor(other), List.of(clash));
            } catch (SQLException e) {
                return false;
            }
            db.execute("DELETE FROM " + RegionPartitions.partitionFor(other) + " WHERE id = " + a.id());
            return true;
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    static String row(String query, String layout, Work w) {
        return String.format(Locale.ROOT, "%-30s %-10s %5d %6d %6d %,11d", query, layout, w.statements(), w.tables().size(),
                w.rows(), w.bytes());
    }

    static List<Long> sampleIds() {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= ACCOUNTS; id += 97) {
            ids.add(id);
        }
        ids.add((long) ACCOUNTS + 1); // absent from every layout
        return ids;
    }

    public static void main(String[] args) throws SQLException {
        try (Demo demo = new Demo("vertical_partitioning", accounts(ACCOUNTS, SEED))) {
            Db db = demo.db;
            Map<String, Long> sizes = new LinkedHashMap<>();
            RegionPartitions.PARTITIONS.forEach((region, table) -> sizes.put(region, db.size(table)[0]));
            System.out.println(ACCOUNTS + " accounts; rows per region partition: " + sizes);
            System.out.println(String.format(Locale.ROOT, "Average column bytes per row: wide %,d, hot %,d, cold %,d",
                    db.size("account_wide")[1] / ACCOUNTS, db.size("account_hot")[1] / ACCOUNTS,
                    db.size("account_cold")[1] / ACCOUNTS));
            System.out.println();
            System.out.println(String.format(Locale.ROOT, "%-30s %-10s %5s %6s %6s %11s", "query", "layout",
                    "stmts", "tables", "rows", "bytes"));
            for (Layout layout : demo.layouts) {
                System.out.println(row("balance per region, all rows", layout.name(), layout.balanceByRegion(db).work()));
            }
            for (Layout layout : demo.layouts) {
                System.out.println(row("balance of " + ONE_REGION + " only", layout.name(),
                        layout.balanceIn(db, ONE_REGION).work()));
            }
            System.out.println(row("  same, via a UNION ALL view", "horizontal",
                    demo.horizontal.balanceInThroughView(db, ONE_REGION).work()));
            for (Layout layout : demo.layouts) {
                System.out.println(row("whole account, by id", layout.name(), layout.account(db, SOME_ID).work()));
            }
            System.out.println();
            demo.checkSameAnswers(sampleIds());
            System.out.println("Same answers from all three layouts, every query: yes");
            System.out.println("H2 accepts PARTITION BY: " + (demo.acceptsPartitionBy() ? "yes" : "no, so the splits are by hand"));
            System.out.println("Same id accepted in two partitions: " + (demo.duplicateIdAcrossPartitions() ? "yes" : "no"));
        }
    }
}
