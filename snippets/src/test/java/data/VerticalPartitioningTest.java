import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link VerticalPartitioning} to what the page says. The oracle is the generated data
 * itself: row counts and column bytes are recomputed here in Java from the accounts (8 bytes per
 * BIGINT, the UTF-8 length of a text, the length of a binary value) and compared with what the
 * example measured through H2. Every expected work count follows from the access path: a full scan
 * reads every row of its table, a primary-key lookup reads the one row with that key or none.
 */
class VerticalPartitioningTest {

    private static final List<VerticalPartitioning.Account> ACCOUNTS =
            VerticalPartitioning.accounts(VerticalPartitioning.ACCOUNTS, VerticalPartitioning.SEED);
    private static final int N = ACCOUNTS.size();
    private static final List<String> PARTITIONS = List.of("ACCOUNT_APAC", "ACCOUNT_EU", "ACCOUNT_LATAM", "ACCOUNT_US");

    private static VerticalPartitioning.Demo demo;
    private static VerticalPartitioning.Db db;

    @BeforeAll
    static void load() throws SQLException {
        demo = new VerticalPartitioning.Demo("vertical_partitioning_test", ACCOUNTS);
        db = demo.db;
    }

    @AfterAll
    static void close() throws SQLException {
        demo.close();
    }

    // ---------------------------------------------------------------- oracle

    private static long hotWidth(VerticalPartitioning.Account a) {
        return 8 + a.region().getBytes(StandardCharsets.UTF_8).length + 8;
    }

    private static long coldWidth(VerticalPartitioning.Account a) {
        return 8 + a.bio().getBytes(StandardCharsets.UTF_8).length + a.photo().length;
    }

    private static long wideWidth(VerticalPartitioning.Account a) {
        return hotWidth(a) + coldWidth(a) - 8; // the key once
    }

    private static long sum(List<VerticalPartitioning.Account> accounts, ToLongFunction<VerticalPartitioning.Account> width) {
        return accounts.stream().mapToLong(width).sum();
    }

    private static List<VerticalPartitioning.Account> inRegion(String region) {
        return ACCOUNTS.stream().filter(a -> a.region().equals(region)).toList();
    }

    private static String partitionOf(String region) {
        return "ACCOUNT_" + region;
    }

    /** What the meter charges for reading one row by key: the table's average row width, rounded down. */
    private static long oneRow(List<VerticalPartitioning.Account> table, ToLongFunction<VerticalPartitioning.Account> width) {
        return sum(table, width) / table.size();
    }

    private static List<String> sorted(List<String> tables) {
        List<String> copy = new ArrayList<>(tables);
        Collections.sort(copy);
        return copy;
    }

    private static void assertWork(int statements, List<String> tables, long rows, long bytes, VerticalPartitioning.Work work) {
        assertEquals(statements, work.statements(), "statements");
        assertEquals(sorted(tables), sorted(work.tables()), "tables read");
        assertEquals(rows, work.rows(), "rows read");
        assertEquals(bytes, work.bytes(), "bytes read");
    }

    // ---------------------------------------------------------------- the data as stored

    @Test
    void measuredTableSizesMatchTheData() {
        assertArrayEquals(new long[] {N, sum(ACCOUNTS, VerticalPartitioningTest::wideWidth)}, db.size("account_wide"));
        assertArrayEquals(new long[] {N, sum(ACCOUNTS, VerticalPartitioningTest::hotWidth)}, db.size("account_hot"));
        assertArrayEquals(new long[] {N, sum(ACCOUNTS, VerticalPartitioningTest::coldWidth)}, db.size("account_cold"));
        for (String region : VerticalPartitioning.RegionPartitions.PARTITIONS.keySet()) {
            List<VerticalPartitioning.Account> rows = inRegion(region);
            assertArrayEquals(new long[] {rows.size(), sum(rows, VerticalPartitioningTest::wideWidth)},
                    db.size(partitionOf(region)), region);
        }
    }

    @Test
    void theVerticalSplitStoresTheKeyTwiceAndNothingElseExtra() {
        assertEquals(db.size("account_wide")[1] + 8L * N, db.size("account_hot")[1] + db.size("account_cold")[1]);
    }

    @Test
    void everyRowLandsInExactlyOnePartitionAndPartitionsAreUneven() {
        long total = 0;
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        for (String table : PARTITIONS) {
            long rows = db.size(table)[0];
            total += rows;
            smallest = Math.min(smallest, rows);
            largest = Math.max(largest, rows);
        }
        assertEquals(N, total);
        // Region weights 40 % and 10 %: expected 800 and 200 rows, standard deviations about 22
        // and 13. Four of them either way still leaves the largest above 2.8 times the smallest.
        assertTrue(largest > 2 * smallest, largest + " vs " + smallest);
    }

    // ---------------------------------------------------------------- query shapes

    @Test
    void hotColumnQueryOnTheVerticalSplitReadsOnlyTheNarrowTable() throws SQLException {
        long wideBytes = sum(ACCOUNTS, VerticalPartitioningTest::wideWidth);
        assertWork(1, List.of("ACCOUNT_WIDE"), N, wideBytes, demo.wide.balanceByRegion(db).work());
        assertWork(1, List.of("ACCOUNT_HOT"), N, sum(ACCOUNTS, VerticalPartitioningTest::hotWidth),
                demo.vertical.balanceByRegion(db).work());
        // Every query that needs no cold column leaves the cold table alone.
        for (String region : VerticalPartitioning.RegionPartitions.PARTITIONS.keySet()) {
            assertFalse(demo.vertical.balanceIn(db, region).work().tables().contains("ACCOUNT_COLD"));
        }
        assertTrue(demo.vertical.balanceByRegion(db).work().bytes() * 50 < wideBytes,
                "the hot columns are a small fraction of the row");
    }

    @Test
    void aQueryOverAllRegionsScattersToEveryPartition() throws SQLException {
        assertWork(PARTITIONS.size(), PARTITIONS, N, sum(ACCOUNTS, VerticalPartitioningTest::wideWidth),
                demo.horizontal.balanceByRegion(db).work());
    }

    @Test
    void aQueryNamingTheRegionIsPrunedToThatPartition() throws SQLException {
        for (String region : VerticalPartitioning.RegionPartitions.PARTITIONS.keySet()) {
            List<VerticalPartitioning.Account> rows = inRegion(region);
            assertWork(1, List.of(partitionOf(region)), rows.size(), sum(rows, VerticalPartitioningTest::wideWidth),
                    demo.horizontal.balanceIn(db, region).work());
            // Without partitions (and with no index on region) the same question reads every row.
            assertWork(1, List.of("ACCOUNT_WIDE"), N, sum(ACCOUNTS, VerticalPartitioningTest::wideWidth),
                    demo.wide.balanceIn(db, region).work());
        }
    }

    @Test
    void aUnionAllViewOverThePartitionsIsNotPrunedByH2() throws SQLException {
        for (String region : VerticalPartitioning.RegionPartitions.PARTITIONS.keySet()) {
            VerticalPartitioning.Measured<Long> viaView = demo.horizontal.balanceInThroughView(db, region);
            assertWork(1, PARTITIONS, N, sum(ACCOUNTS, VerticalPartitioningTest::wideWidth), viaView.work());
            assertEquals(demo.horizontal.balanceIn(db, region).value(), viaView.value());
        }
    }

    @Test
    void aWholeRowByKeyCostsAJoinOnTheVerticalSplitAndAScatterOnTheHorizontalOne() throws SQLException {
        VerticalPartitioning.Account a = ACCOUNTS.get((int) VerticalPartitioning.SOME_ID - 1);
        assertEquals(VerticalPartitioning.SOME_ID, a.id());
        assertWork(1, List.of("ACCOUNT_WIDE"), 1, oneRow(ACCOUNTS, VerticalPartitioningTest::wideWidth),
                demo.wide.account(db, a.id()).work());
        assertWork(1, List.of("ACCOUNT_HOT", "ACCOUNT_COLD"), 2,
                oneRow(ACCOUNTS, VerticalPartitioningTest::hotWidth) + oneRow(ACCOUNTS, VerticalPartitioningTest::coldWidth),
                demo.vertical.account(db, a.id()).work());
        // Four probes, three of which find nothing: only the row's own partition reads a row.
        assertWork(PARTITIONS.size(), PARTITIONS, 1, oneRow(inRegion(a.region()), VerticalPartitioningTest::wideWidth),
                demo.horizontal.account(db, a.id()).work());
    }

    @Test
    void aMissingKeyReadsNoRowsInAnyLayout() throws SQLException {
        long missing = N + 1;
        for (VerticalPartitioning.Layout layout : demo.layouts) {
            VerticalPartitioning.Measured<Optional<VerticalPartitioning.Account>> m = layout.account(db, missing);
            assertTrue(m.value().isEmpty(), layout.name());
            assertEquals(0, m.work().rows(), layout.name());
        }
    }

    @Test
    void measuringTheSameQueryTwiceGivesTheSameWork() throws SQLException {
        for (VerticalPartitioning.Layout layout : demo.layouts) {
            assertEquals(layout.balanceByRegion(db).work(), layout.balanceByRegion(db).work(), layout.name());
            assertEquals(layout.account(db, 7).work(), layout.account(db, 7).work(), layout.name());
        }
    }

    // ---------------------------------------------------------------- same answers

    @Test
    void everyLayoutAnswersExactlyAsTheDataSays() throws SQLException {
        SortedMap<String, Long> expected = new TreeMap<>();
        ACCOUNTS.forEach(a -> expected.merge(a.region(), a.balanceCents(), Long::sum));
        for (VerticalPartitioning.Layout layout : demo.layouts) {
            assertEquals(expected, layout.balanceByRegion(db).value(), layout.name());
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                assertEquals(e.getValue(), layout.balanceIn(db, e.getKey()).value(), layout.name() + " " + e.getKey());
            }
            for (int i = 0; i < N; i += 7) { // every seventh account, photo bytes included
                VerticalPartitioning.Account a = ACCOUNTS.get(i);
                assertEquals(Optional.of(a), layout.account(db, a.id()).value(), layout.name() + " id " + a.id());
            }
        }
    }

    @Test
    void theDemoChecksAnswersAcrossLayoutsAndCatchesADifference() throws SQLException {
        List<Long> ids = VerticalPartitioning.sampleIds();
        assertTrue(ids.contains((long) N + 1), "the sample includes a missing id");
        demo.checkSameAnswers(ids);
        // Let the hot table drift from the wide one by one cent: the check must notice.
        db.execute("UPDATE account_hot SET balance_cents = balance_cents + 1 WHERE id = 1");
        try {
            assertThrows(IllegalStateException.class, () -> demo.checkSameAnswers(ids));
        } finally {
            db.execute("UPDATE account_hot SET balance_cents = balance_cents - 1 WHERE id = 1");
        }
        demo.checkSameAnswers(ids);
    }

    // ---------------------------------------------------------------- what H2 does and does not do

    @Test
    void h2RejectsDeclarativePartitioning() {
        assertFalse(demo.acceptsPartitionBy());
    }

    @Test
    void perPartitionPrimaryKeysDoNotPreventTheSameIdInTwoPartitions() throws SQLException {
        assertTrue(demo.duplicateIdAcrossPartitions());
        // The probe removed its duplicate: every partition holds its own rows again.
        for (String region : VerticalPartitioning.RegionPartitions.PARTITIONS.keySet()) {
            assertEquals(inRegion(region).size(), countRows(partitionOf(region)), region);
        }
        assertEquals(Optional.of(ACCOUNTS.get(0)), demo.horizontal.account(db, ACCOUNTS.get(0).id()).value());
        assertEquals(1, demo.horizontal.account(db, ACCOUNTS.get(0).id()).work().rows());
    }

    @Test
    void theWideTableRefusesADuplicateKey() {
        assertFalse(insertSucceeds("account_wide", ACCOUNTS.get(0)));
    }

    private static boolean insertSucceeds(String table, VerticalPartitioning.Account a) {
        try {
            VerticalPartitioning.insertInto(db, table, List.of(a));
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static long countRows(String table) throws SQLException {
        return db.query("SELECT COUNT(*) FROM " + table, VerticalPartitioning::singleLong).value();
    }

    // ---------------------------------------------------------------- the printed run

    @Test
    void mainPrintsTheWorkTableAndItsChecks() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            VerticalPartitioning.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Same answers from all three layouts, every query: yes"), out);
        assertTrue(out.contains("H2 accepts PARTITION BY: no"), out);
        assertTrue(out.contains("Same id accepted in two partitions: yes"), out);
        assertEquals(11, out.lines().filter(l -> l.matches(".*\\s(wide|horizontal|vertical)\\s.*\\d$")).count(), out);
    }
}
