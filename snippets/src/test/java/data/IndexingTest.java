import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Indexing} to the page's claims: the B+tree keeps its invariants and answers like a
 * {@link TreeMap}; a lookup reads exactly height pages and height stays within the Bayer-McCreight
 * style bounds for its fan-out; a secondary lookup costs its own range scan plus one clustered
 * descent per row, and a covering index skips the second part; every extra index adds read and
 * write work to an insert; H2 uses an index only once it exists and only for a left prefix.
 */
class IndexingTest {

    private static final long SEED = 7;

    /* --------------- B+tree structure and answers --------------- */

    /** Distinct even keys in random order, so odd keys are known to be absent. */
    private static List<Long> evenKeys(int n, long seed) {
        List<Long> keys = new ArrayList<>();
        for (long k : Indexing.shuffledKeys(n, seed)) {
            keys.add(2 * k);
        }
        return keys;
    }

    private static Indexing.BPlusTree<Long, Long> build(int fanout, List<Long> keys, TreeMap<Long, Long> oracle) {
        Indexing.BPlusTree<Long, Long> tree = new Indexing.BPlusTree<>(fanout);
        for (long k : keys) {
            tree.insert(k, k + 1);
            oracle.put(k, k + 1);
        }
        return tree;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 8, 16, 101})
    void invariantsHoldAfterManyRandomInserts(int fanout) {
        Indexing.BPlusTree<Long, Long> tree = build(fanout, evenKeys(20_000, SEED), new TreeMap<>());
        Indexing.BPlusTree.Shape s = tree.shape();
        assertTrue(s.ordered(), "keys strictly ascending in every node and within their separators");
        assertTrue(s.chainMatchesTree(), "the leaf chain visits the leaves in tree order");
        assertEquals(Set.of(tree.height()), s.leafDepths(), "all leaves at the same depth, the height");
        assertEquals(20_000, s.entries());
        // Occupancy: a split leaves floor(f/2) and ceil(f/2) entries in leaves, and ceil(f/2) and
        // floor(f/2)+1 children in internal nodes; inserts never shrink a node.
        assertTrue(s.minLeafEntries() >= fanout / 2, "leaf at least half full: " + s);
        assertTrue(s.maxLeafEntries() <= fanout - 1, "leaf within capacity: " + s);
        if (tree.height() > 2) {
            assertTrue(s.minChildren() >= (fanout + 1) / 2, "internal node at least half full: " + s);
            assertTrue(s.maxChildren() <= fanout, "internal node within fan-out: " + s);
        }
        tree.checkInvariants();
    }

    @Test
    void leavesFromAScanAreSortedAndHoldExactlyTheInsertedKeys() {
        TreeMap<Long, Long> oracle = new TreeMap<>();
        Indexing.BPlusTree<Long, Long> tree = build(5, evenKeys(5_000, SEED), oracle);
        List<Map.Entry<Long, Long>> all = tree.scanAll();
        assertEquals(new ArrayList<>(oracle.entrySet()), all);
        assertEquals(tree.leafCount(), tree.shape().leaves());
    }

    @Test
    void lookupFindsEveryInsertedKeyAndNoOther() {
        TreeMap<Long, Long> oracle = new TreeMap<>();
        Indexing.BPlusTree<Long, Long> tree = build(4, evenKeys(10_000, SEED), oracle);
        for (long k = -3; k < 20_003; k++) {
            Long expected = oracle.get(k);
            if (expected == null) {
                assertNull(tree.get(k), "absent key " + k);
            } else {
                assertEquals(expected, tree.get(k), "key " + k);
            }
        }
    }

    @Test
    void duplicateKeyIsRejectedAndLeavesTheTreeUnchanged() {
        Indexing.BPlusTree<Long, Long> tree = build(4, evenKeys(100, SEED), new TreeMap<>());
        assertThrows(IllegalArgumentException.class, () -> tree.insert(10L, 0L));
        assertEquals(11L, tree.get(10L));
        assertEquals(100, tree.shape().entries());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 16})
    void rangeScanEqualsTreeMapSubMap(int fanout) {
        TreeMap<Long, Long> oracle = new TreeMap<>();
        Indexing.BPlusTree<Long, Long> tree = build(fanout, evenKeys(10_000, SEED), oracle);
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            long from = random.nextInt(20_100) - 50;
            long to = from + random.nextInt(i % 10 == 0 ? 5_000 : 200) - 3; // includes empty ranges
            NavigableMap<Long, Long> expected = from <= to ? oracle.subMap(from, true, to, true) : new TreeMap<>();
            assertEquals(new ArrayList<>(expected.entrySet()), tree.range(from, to), "range " + from + ".." + to);
        }
    }

    /* --------------- Cost in pages --------------- */

    @Test
    void everyPointLookupReadsExactlyHeightPages() {
        Indexing.BPlusTree<Long, Long> tree = build(8, evenKeys(30_000, SEED), new TreeMap<>());
        for (long k = 0; k < 60_002; k += 7) {   // present and absent keys alike
            long before = tree.pages().reads();
            tree.get(k);
            assertEquals(tree.height(), tree.pages().reads() - before, "key " + k);
        }
    }

    /**
     * Height bounds from occupancy alone. At most f-1 entries per leaf and f children per node give
     * n <= (f-1) f^(h-1). At least floor(f/2) entries per non-root leaf, ceil(f/2) children per
     * non-root internal node and 2 children at the root give n >= 2 floor(f/2) ceil(f/2)^(h-2).
     */
    private static void assertHeightWithinBounds(int n, int fanout, int height) {
        assertTrue(n <= (fanout - 1) * Math.pow(fanout, height - 1), "too tall to hold n: h=" + height);
        if (height >= 2) {
            assertTrue(n >= 2.0 * (fanout / 2) * Math.pow((fanout + 1) / 2, height - 2),
                    "too tall for n: h=" + height);
        }
    }

    @Test
    void theScalingTableGrowsWithLogFanoutOfRows() {
        for (int rows : Indexing.SCALING_ROWS) {
            Indexing.Scaling s = Indexing.scaling(rows, Indexing.FANOUT, 1_000, Indexing.SEED);
            assertEquals(s.height(), s.pagesPerLookup(), 0.0, "pages per lookup is the height");
            assertHeightWithinBounds(rows, Indexing.FANOUT, s.height());
            assertEquals(Math.log(rows) / Math.log(16), s.logFanoutRows(), 1e-12);
            // What the page says of this output: the height is log16(rows) rounded up.
            assertEquals((int) Math.ceil(s.logFanoutRows()), s.height(), "rows " + rows);
            // A full scan reads the leftmost path and then every leaf: at least n/(f-1) leaves.
            assertTrue(s.scanPages() >= Math.ceil(rows / (Indexing.FANOUT - 1.0)) + s.height() - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, 16, 64})
    void heightStaysWithinTheOccupancyBounds(int fanout) {
        for (int n : new int[] {1, 10, 1_000, 50_000}) {
            Indexing.BPlusTree<Long, Long> tree = build(fanout, evenKeys(n, SEED + n), new TreeMap<>());
            assertHeightWithinBounds(n, fanout, tree.height());
        }
    }

    @Test
    void rangeScanReadsTheDescentPlusOnePagePerFurtherLeaf() {
        int fanout = 16;
        Indexing.BPlusTree<Long, Long> tree = build(fanout, evenKeys(50_000, SEED), new TreeMap<>());
        Random random = new Random(SEED);
        for (int i = 0; i < 200; i++) {
            long from = random.nextInt(90_000);
            long to = from + random.nextInt(5_000);
            long before = tree.pages().reads();
            int m = tree.range(from, to).size();
            long leavesAfterFirst = tree.pages().reads() - before - tree.height();
            // The m rows sit in at least ceil(m/(f-1)) and at most ceil(m/floor(f/2)) + 1 leaves;
            // the scan may read one more leaf to see that the range has ended.
            assertTrue(leavesAfterFirst >= Math.ceil(m / (fanout - 1.0)) - 1, "too few leaves: " + leavesAfterFirst);
            assertTrue(leavesAfterFirst <= Math.ceil(m / (double) (fanout / 2)) + 1, "too many leaves: " + leavesAfterFirst);
        }
    }

    /* --------------- Clustered and secondary indexes --------------- */

    private static final List<Indexing.Order> ROWS = Indexing.orders(20_000, SEED);

    private static List<Long> bruteForce(Predicate<Indexing.Order> where) {
        return ROWS.stream().filter(where).map(Indexing.Order::id).sorted().toList();
    }

    private static List<Long> sorted(List<Long> ids) {
        return ids.stream().sorted().toList();
    }

    @Test
    void primaryKeyLookupIsOneClusteredDescent() {
        Indexing.Table table = Indexing.tableWith(3, ROWS);
        for (long id : new long[] {1, 4242, 20_000}) {
            Indexing.Result r = table.byPrimaryKey(id);
            assertEquals(List.of(id), r.ids());
            assertEquals(0, r.indexPages());
            assertEquals(table.clustered.height(), r.tablePages());
        }
        assertEquals(List.of(), table.byPrimaryKey(20_001).ids());
    }

    @Test
    void secondaryLookupCostsItsRangeScanPlusOnePrimaryDescentPerRow() {
        Indexing.Table table = Indexing.tableWith(3, ROWS);
        for (long customer = 0; customer < Indexing.CUSTOMERS; customer += 37) {
            long c = customer;
            Indexing.Result r = table.byIndex("idx_customer", c);
            assertEquals(bruteForce(o -> o.customerId() == c), sorted(r.ids()));
            assertEquals((long) r.ids().size() * table.clustered.height(), r.tablePages(),
                    "one clustered descent per row found");
            // The secondary part is one range scan of that index: a descent plus further leaves.
            Indexing.BPlusTree<Indexing.Tuple, Long> idx = table.indexes.get("idx_customer").tree();
            long before = idx.pages().reads();
            idx.range(new Indexing.Tuple(c), new Indexing.Tuple(c, Long.MAX_VALUE));
            assertEquals(idx.pages().reads() - before, r.indexPages());
            assertTrue(r.indexPages() >= idx.height());
            assertEquals(r.indexPages() + r.tablePages(), r.totalPages());
        }
    }

    @Test
    void coveringIndexAnswersFromItsLeavesWithoutTheSecondDescent() {
        Indexing.Table table = Indexing.tableWith(3, ROWS);
        for (long customer = 0; customer < Indexing.CUSTOMERS; customer += 53) {
            long c = customer;
            Indexing.Result covering = table.indexOnly("idx_customer_total", c);
            Indexing.Result twoStep = table.byIndex("idx_customer", c);
            assertEquals(bruteForce(o -> o.customerId() == c), sorted(covering.ids()));
            assertEquals(0, covering.tablePages());
            assertTrue(covering.totalPages() < twoStep.totalPages() || twoStep.ids().isEmpty());
        }
        // The covering index's entries really carry the total: (customer_id, total, id).
        for (Map.Entry<Indexing.Tuple, Long> e : table.indexes.get("idx_customer_total").tree()
                .range(new Indexing.Tuple(42), new Indexing.Tuple(42, Long.MAX_VALUE))) {
            Indexing.Order row = ROWS.stream().filter(o -> o.id() == e.getValue()).findFirst().orElseThrow();
            assertEquals(row.total(), e.getKey().part(1));
            assertEquals(row.id(), e.getKey().part(2));
        }
    }

    @Test
    void selectiveIndexBeatsAFullScanAndUnselectiveIndexLosesToIt() {
        Indexing.Table table = Indexing.tableWith(3, ROWS);
        Indexing.Result selective = table.byIndex("idx_customer", 42);
        Indexing.Result selectiveScan = table.fullScan(o -> o.customerId() == 42);
        Indexing.Result unselective = table.byIndex("idx_status", 0);
        Indexing.Result unselectiveScan = table.fullScan(o -> o.status() == 0);
        assertEquals(sorted(selective.ids()), selectiveScan.ids());
        assertEquals(sorted(unselective.ids()), unselectiveScan.ids());
        // A full scan reads the leftmost path plus every leaf of the clustered index.
        assertEquals(table.clustered.height() - 1 + table.clustered.leafCount(), selectiveScan.tablePages());
        assertTrue(selective.totalPages() * 5 < selectiveScan.totalPages(), "selective: index wins");
        // A third of the rows, each costing a clustered descent, outweighs reading every leaf once.
        assertTrue(unselective.totalPages() > 5 * unselectiveScan.totalPages(), "unselective: scan wins");
    }

    @Test
    void theDemoQueriesReturnWhatTheyClaim() {
        List<Indexing.Order> rows = Indexing.orders(Indexing.TABLE_ROWS, Indexing.SEED);
        // status is uniform over 3 values: a third of the rows, within 5 binomial standard deviations.
        double fraction = rows.stream().filter(o -> o.status() == 0).count() / (double) rows.size();
        assertEquals(1.0 / 3, fraction, 5 * Math.sqrt((1.0 / 3) * (2.0 / 3) / rows.size()));
        Indexing.Table table = Indexing.tableWith(3, rows);
        Indexing.Result byIndex = table.byIndex("idx_customer", 42);
        Indexing.Result scan = table.fullScan(o -> o.customerId() == 42);
        assertEquals(sorted(byIndex.ids()), scan.ids());
        assertTrue(byIndex.totalPages() < scan.totalPages());
        assertTrue(table.indexOnly("idx_customer_total", 42).totalPages() < byIndex.totalPages());
        assertTrue(table.byIndex("idx_status", 0).totalPages() > table.fullScan(o -> o.status() == 0).totalPages());
    }

    @Test
    void createIndexOnALoadedTableFindsTheSameRows() {
        Indexing.Table late = Indexing.tableWith(0, ROWS);
        Indexing.addIndex(late, "idx_customer");
        Indexing.Table early = Indexing.tableWith(1, ROWS);
        assertEquals(sorted(early.byIndex("idx_customer", 42).ids()), sorted(late.byIndex("idx_customer", 42).ids()));
        late.indexes.get("idx_customer").tree().checkInvariants();
        assertEquals(ROWS.size(), late.indexes.get("idx_customer").tree().size());
    }

    /* --------------- Write work --------------- */

    @Test
    void writeWorkGrowsWithEveryIndex() {
        List<Indexing.Order> rows = ROWS.subList(0, 5_000);
        long[] previous = null;
        List<long[]> separately = new ArrayList<>();
        for (int k = 0; k <= Indexing.INDEX_NAMES.size(); k++) {
            long[] totals = Indexing.tableWith(k, rows).pageTotals();
            separately.add(totals);
            if (previous != null) {
                // Each index insert descends its tree (>= 1 read) and changes its leaf (>= 1 write).
                assertTrue(totals[0] - previous[0] >= rows.size(), "reads grow by at least one per row");
                assertTrue(totals[1] - previous[1] >= rows.size(), "writes grow by at least one per row");
            }
            previous = totals;
        }
        // The demo reads the same numbers from one table with all indexes.
        List<Indexing.WriteCost> costs = Indexing.writeCosts(Indexing.tableWith(3, rows), rows.size());
        for (int k = 0; k < costs.size(); k++) {
            assertEquals(k, costs.get(k).indexes());
            assertEquals((double) separately.get(k)[0] / rows.size(), costs.get(k).readsPerRow(), 1e-9);
            assertEquals((double) separately.get(k)[1] / rows.size(), costs.get(k).writesPerRow(), 1e-9);
        }
    }

    /**
     * Every insert writes its leaf; every split adds two pages (the new sibling and the parent that
     * receives the separator, or the new root). Splits create every node but the first leaf and the
     * h-1 roots added on top, so writes = n + 2 (nodes - h).
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4, 16})
    void pagesWrittenAreOnePerInsertPlusTwoPerSplit(int fanout) {
        Indexing.BPlusTree<Long, Long> tree = build(fanout, evenKeys(20_000, SEED), new TreeMap<>());
        Indexing.BPlusTree.Shape s = tree.shape();
        long nodes = s.leaves() + s.internalNodes();
        assertEquals(20_000 + 2 * (nodes - tree.height()), tree.pages().writes());
    }

    @Test
    void eachDemoIndexAddsAboutOneDescentAndALittleOverOnePageWrittenPerInsert() {
        List<Indexing.Order> rows = Indexing.orders(Indexing.TABLE_ROWS, Indexing.SEED);
        Indexing.Table table = Indexing.tableWith(Indexing.INDEX_NAMES.size(), rows);
        List<Indexing.WriteCost> costs = Indexing.writeCosts(table, rows.size());
        for (int k = 1; k < costs.size(); k++) {
            Indexing.BPlusTree<Indexing.Tuple, Long> tree = table.indexes.get(Indexing.INDEX_NAMES.get(k - 1)).tree();
            double reads = costs.get(k).readsPerRow() - costs.get(k - 1).readsPerRow();
            double writes = costs.get(k).writesPerRow() - costs.get(k - 1).writesPerRow();
            // One descent per insert, as deep as the tree is at the time: never more than the final
            // height, and at least height - 1 here, because the last level is added early in the load.
            assertTrue(reads >= tree.height() - 1 && reads <= tree.height(), "reads added: " + reads);
            // One leaf per insert, plus two pages per split. Splits create the nodes: at most
            // n / floor(f/2) leaves, and fewer internal nodes than leaves, so below 2n / floor(f/2).
            assertTrue(writes > 1 && writes < 1 + 2.0 * 2 / (Indexing.FANOUT / 2), "writes added: " + writes);
        }
    }

    @Test
    void anInsertWithoutASplitWritesOnePageAndASplitWritesThree() {
        Indexing.BPlusTree<Long, Long> tree = new Indexing.BPlusTree<>(4);
        tree.insert(1L, 1L);
        tree.insert(2L, 2L);
        tree.insert(3L, 3L);
        assertEquals(3, tree.pages().writes(), "three inserts into the root leaf");
        tree.insert(4L, 4L);   // the leaf overflows: left leaf, new right leaf, new root
        assertEquals(6, tree.pages().writes());
        assertEquals(2, tree.height());
    }

    /* --------------- H2 --------------- */

    @Test
    void h2UsesTheIndexOnlyAfterCreateIndexAndOnlyForALeftPrefix() throws SQLException {
        List<Indexing.Order> rows = ROWS.subList(0, 3_000);
        List<Indexing.Plan> plans = Indexing.h2Plans(rows);
        assertEquals(2 * Indexing.H2_QUERIES.size(), plans.size());
        for (Indexing.Plan p : plans) {
            boolean before = p.stage().equals(Indexing.NO_INDEX);
            boolean leftPrefix = p.where().startsWith("customer_id");
            if (before || !leftPrefix) {
                assertEquals("ORDERS.tableScan", p.accessPath(), p.toString());
                assertTrue(p.rowsScanned() >= rows.size(), "a table scan visits every row: " + p);
            } else {
                assertTrue(p.accessPath().startsWith("IDX_CUSTOMER_STATUS: CUSTOMER_ID = 42"), p.toString());
                assertTrue(p.rowsScanned() <= p.rowsReturned() + 1, "the index visits only matching rows: " + p);
                assertTrue(p.rowsScanned() >= p.rowsReturned(), p.toString());
                assertEquals(p.where().contains("status"), p.accessPath().contains("STATUS ="), "columns bound: " + p);
            }
        }
        Indexing.Plan both = plans.stream()
                .filter(p -> p.stage().equals(Indexing.WITH_INDEX) && p.where().contains("AND")).findFirst().orElseThrow();
        assertTrue(both.accessPath().contains("STATUS = 'NEW'"), "both columns bound: " + both);
        long expected = rows.stream().filter(o -> o.customerId() == 42 && o.status() == 0).count();
        assertEquals(expected, both.rowsReturned());
    }

    @Test
    void h2PlansAreTheSameOnEveryRun() throws SQLException {
        List<Indexing.Order> rows = ROWS.subList(0, 1_000);
        assertEquals(Indexing.h2Plans(rows), Indexing.h2Plans(rows));
    }

    @Test
    void tupleOrderIsLexicographicWithPrefixesFirst() {
        assertTrue(new Indexing.Tuple(1, 5).compareTo(new Indexing.Tuple(2, 0)) < 0);
        assertTrue(new Indexing.Tuple(1).compareTo(new Indexing.Tuple(1, Long.MIN_VALUE)) < 0);
        assertTrue(new Indexing.Tuple(1, 9, 9).compareTo(new Indexing.Tuple(1, Long.MAX_VALUE)) < 0);
        assertFalse(new Indexing.Tuple(2).compareTo(new Indexing.Tuple(1, Long.MAX_VALUE)) < 0);
    }
}
