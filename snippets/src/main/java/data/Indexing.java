// requires: com.h2database:h2:2.4.240
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database indexing measured in the unit a disk-based index pays in: pages (tree nodes) read and
 * written. A from-scratch B+tree, a table made of a clustered index plus secondary indexes laid
 * out as InnoDB lays them out, and the same questions put to a real H2 database.
 *
 * <p>Algorithm. A B+tree of fan-out f keeps every key and value in its leaves, sorted, and links
 * each leaf to its right neighbour. Internal nodes hold only separator keys and at most f
 * children. An insert descends to the leaf that owns the key; a leaf that overflows splits in two
 * and copies its right half's first key up as a separator; an internal node that overflows splits
 * and pushes its middle key up; a root that splits gives the tree a new root, which is the only
 * way the tree grows taller. Every leaf is therefore at the same depth, and every node but the
 * root is at least half full, so a point lookup reads exactly height = O(log_f n) pages.
 *
 * <p>Trade-off. Lookups and range scans cost a handful of pages instead of the whole table, but
 * every index must be updated by every insert: each extra index adds one more descent and at least
 * one more page written. A secondary index whose leaves hold the primary key (InnoDB, H2) costs a
 * second descent, through the clustered index, for every row it finds, which makes it worse than a
 * full scan when it matches a large fraction of the table.
 *
 * <p>Sources. R. Bayer, E. McCreight, "Organization and maintenance of large ordered indexes",
 * Acta Informatica 1(3), 1972. D. Comer, "The ubiquitous B-tree", ACM Computing Surveys 11(2),
 * 1979. MySQL Reference Manual, "Clustered and Secondary Indexes". PostgreSQL documentation,
 * chapter 11 "Indexes" ("Multicolumn Indexes", "Index-Only Scans and Covering Indexes"). H2
 * documentation, "Performance" ("How Data is Stored Internally", "Statement Execution Plans").
 */
public final class Indexing {

    private Indexing() {
    }

    /* --------------- The B+tree --------------- */

    // tag::index[]
    /** Counts page (node) reads and writes: the cost of an index operation on disk. */
    static final class PageCounter {
        private long reads;
        private long writes;

        void read() {
            reads++;
        }

        void wrote(int pages) {
            writes += pages;
        }

        long reads() {
            return reads;
        }

        long writes() {
            return writes;
        }
    }

    /** An ordered map from unique keys to values, whose operations are costed in pages. */
    interface OrderedIndex<K, V> {
        /** Adds a key that is not present yet. */
        void insert(K key, V value);

        /** The value stored under key, or null. */
        V get(K key);

        /** All entries with from <= key <= to, in key order. */
        List<Map.Entry<K, V>> range(K from, K to);

        /** Every entry, in key order: what a full scan reads. */
        List<Map.Entry<K, V>> scanAll();

        /** Levels from the root to the leaves; a tree that is one leaf has height 1. */
        int height();

        PageCounter pages();
    }
    // end::index[]

    /**
     * A B+tree of fixed fan-out (order) f: internal nodes have at most f children, leaves at most
     * f - 1 entries. Insert-only: deletion, which merges or redistributes nodes that fall below
     * half full, is left out. Not thread-safe.
     */
    static final class BPlusTree<K extends Comparable<? super K>, V> implements OrderedIndex<K, V> {

        // tag::node[]
        /** One page. A leaf holds keys and values; an internal node holds separators and children. */
        private static final class Node<K, V> {
            final boolean leaf;
            final List<K> keys = new ArrayList<>();
            final List<V> values;          // leaf only: values.get(i) belongs to keys.get(i)
            final List<Node<K, V>> children; // internal only: keys.size() + 1 children
            Node<K, V> next;               // leaf only: the right neighbour, for range scans

            Node(boolean leaf) {
                this.leaf = leaf;
                this.values = leaf ? new ArrayList<>() : null;
                this.children = leaf ? null : new ArrayList<>();
            }
        }

        private final int fanout;
        private final PageCounter pages = new PageCounter();
        private Node<K, V> root = new Node<>(true);
        private int height = 1;
        private int size;
        // end::node[]

        BPlusTree(int fanout) {
            if (fanout < 3) {
                throw new IllegalArgumentException("fan-out must be at least 3, got " + fanout);
            }
            this.fanout = fanout;
        }

        // tag::lookup[]
        @Override
        public V get(K key) {
            Node<K, V> leaf = descend(key);
            int i = Collections.binarySearch(leaf.keys, key);
            return i >= 0 ? leaf.values.get(i) : null;
        }

        /** Reads one page per level, root to leaf: exactly height pages. */
        private Node<K, V> descend(K key) {
            Node<K, V> node = root;
            pages.read();
            while (!node.leaf) {
                node = node.children.get(childFor(node, key));
                pages.read();
            }
            return node;
        }

        /** Child i holds the keys k with keys[i-1] <= k < keys[i]. */
        private static <K extends Comparable<? super K>> int childFor(Node<K, ?> node, K key) {
            int i = Collections.binarySearch(node.keys, key);
            return i >= 0 ? i + 1 : -i - 1;
        }

        @Override
        public List<Map.Entry<K, V>> range(K from, K to) {
            List<Map.Entry<K, V>> out = new ArrayList<>();
            Node<K, V> leaf = descend(from);
            int i = Collections.binarySearch(leaf.keys, from);
            i = i >= 0 ? i : -i - 1;
            while (true) {
                for (; i < leaf.keys.size(); i++) {
                    if (leaf.keys.get(i).compareTo(to) > 0) {
                        return out;
                    }
                    out.add(Map.entry(leaf.keys.get(i), leaf.values.get(i)));
                }
                leaf = leaf.next;     // follow the leaf chain: no trip back up the tree
                if (leaf == null) {
                    return out;
                }
                pages.read();
                i = 0;
            }
        }
        // end::lookup[]

        @Override
        public List<Map.Entry<K, V>> scanAll() {
            Node<K, V> node = root;
            pages.read();
            while (!node.leaf) {      // the leftmost path down to the first leaf
                node = node.children.get(0);
                pages.read();
            }
            List<Map.Entry<K, V>> out = new ArrayList<>();
            for (Node<K, V> leaf = node; leaf != null; leaf = leaf.next) {
                if (leaf != node) {
                    pages.read();
                }
                for (int i = 0; i < leaf.keys.size(); i++) {
                    out.add(Map.entry(leaf.keys.get(i), leaf.values.get(i)));
                }
            }
            return out;
        }

        // tag::insert[]
        /** What a split hands to the parent: a separator key and the new right sibling. */
        private record Split<K, V>(K separator, Node<K, V> right) {
        }

        @Override
        public void insert(K key, V value) {
            List<Node<K, V>> dirty = new ArrayList<>(4);   // pages changed by this insert
            Split<K, V> split = insert(root, key, value, dirty);
            if (split != null) {      // the root split: the tree grows by one level, at the top
                Node<K, V> newRoot = new Node<>(false);
                newRoot.keys.add(split.separator());
                newRoot.children.add(root);
                newRoot.children.add(split.right());
                root = newRoot;
                height++;
                markDirty(dirty, newRoot);
            }
            pages.wrote(dirty.size());  // every page this insert changed or created, once
            size++;
        }

        private Split<K, V> insert(Node<K, V> node, K key, V value, List<Node<K, V>> dirty) {
            pages.read();
            if (node.leaf) {
                int i = Collections.binarySearch(node.keys, key);
                if (i >= 0) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                node.keys.add(-i - 1, key);
                node.values.add(-i - 1, value);
                markDirty(dirty, node);
                return node.keys.size() < fanout ? null : splitLeaf(node, dirty);
            }
            int c = childFor(node, key);
            Split<K, V> split = insert(node.children.get(c), key, value, dirty);
            if (split == null) {
                return null;
            }
            node.keys.add(c, split.separator());
            node.children.add(c + 1, split.right());
            markDirty(dirty, node);
            return node.children.size() <= fanout ? null : splitInternal(node, dirty);
        }

        /** A leaf with f entries keeps the lower floor(f/2); the first key of the rest is copied up. */
        private Split<K, V> splitLeaf(Node<K, V> leaf, List<Node<K, V>> dirty) {
            int mid = leaf.keys.size() / 2;
            Node<K, V> right = new Node<>(true);
            moveTail(leaf.keys, mid, right.keys);
            moveTail(leaf.values, mid, right.values);
            right.next = leaf.next;
            leaf.next = right;
            markDirty(dirty, right);
            return new Split<>(right.keys.get(0), right);
        }

        /** A node with f + 1 children splits around its middle key, which moves up to the parent. */
        private Split<K, V> splitInternal(Node<K, V> node, List<Node<K, V>> dirty) {
            int mid = node.keys.size() / 2;
            K up = node.keys.get(mid);
            Node<K, V> right = new Node<>(false);
            moveTail(node.keys, mid + 1, right.keys);
            moveTail(node.children, mid + 1, right.children);
            node.keys.remove(mid);
            markDirty(dirty, right);
            return new Split<>(up, right);
        }
        // end::insert[]

        /** Counts a page once per insert, however many times the insert touches it. */
        private static <N> void markDirty(List<N> dirty, N page) {
            for (N seen : dirty) {
                if (seen == page) {
                    return;
                }
            }
            dirty.add(page);
        }

        private static <T> void moveTail(List<T> from, int start, List<T> to) {
            List<T> tail = from.subList(start, from.size());
            to.addAll(tail);
            tail.clear();
        }

        @Override
        public int height() {
            return height;
        }

        @Override
        public PageCounter pages() {
            return pages;
        }

        int fanout() {
            return fanout;
        }

        /** Entries stored. */
        int size() {
            return size;
        }

        /** Pages at the leaf level: the data pages a full scan reads. */
        int leafCount() {
            return shape().leaves();
        }

        /** The tree's structure, for invariant checks: depths, occupancy, order. */
        record Shape(int height, Set<Integer> leafDepths, int leaves, int internalNodes, int entries,
                     int minLeafEntries, int maxLeafEntries, int minChildren, int maxChildren,
                     boolean ordered, boolean chainMatchesTree) {
        }

        /** Walks every node without counting pages (a check, not a query). */
        Shape shape() {
            Set<Integer> depths = new TreeSet<>();
            // leaves, entries, min and max entries per leaf, min and max children per internal node,
            // internal nodes
            int[] stats = {0, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 0, 0};
            List<Node<K, V>> leavesInOrder = new ArrayList<>();
            boolean ordered = walk(root, 1, null, null, depths, stats, leavesInOrder);
            List<Node<K, V>> chain = new ArrayList<>();
            Node<K, V> first = root;
            while (!first.leaf) {
                first = first.children.get(0);
            }
            for (Node<K, V> leaf = first; leaf != null; leaf = leaf.next) {
                chain.add(leaf);
            }
            boolean chainOk = chain.size() == leavesInOrder.size();
            for (int i = 0; chainOk && i < chain.size(); i++) {
                chainOk = chain.get(i) == leavesInOrder.get(i);
            }
            return new Shape(height, depths, stats[0], stats[6], stats[1],
                    stats[2] == Integer.MAX_VALUE ? 0 : stats[2], stats[3],
                    stats[4] == Integer.MAX_VALUE ? 0 : stats[4], stats[5], ordered, chainOk);
        }

        /** In-order walk; true if keys are strictly ascending and inside their separators' bounds. */
        private boolean walk(Node<K, V> node, int depth, K low, K high, Set<Integer> depths,
                             int[] stats, List<Node<K, V>> leaves) {
            boolean ok = true;
            for (int i = 0; i < node.keys.size(); i++) {
                K k = node.keys.get(i);
                ok &= i == 0 || node.keys.get(i - 1).compareTo(k) < 0;
                ok &= (low == null || low.compareTo(k) <= 0) && (high == null || k.compareTo(high) < 0);
            }
            if (node.leaf) {
                depths.add(depth);
                leaves.add(node);
                stats[0]++;
                stats[1] += node.keys.size();
                if (node != root) {
                    stats[2] = Math.min(stats[2], node.keys.size());
                    stats[3] = Math.max(stats[3], node.keys.size());
                }
                return ok;
            }
            stats[6]++;
            if (node != root) {
                stats[4] = Math.min(stats[4], node.children.size());
                stats[5] = Math.max(stats[5], node.children.size());
            }
            ok &= node.children.size() == node.keys.size() + 1;
            for (int i = 0; i < node.children.size(); i++) {
                K childLow = i == 0 ? low : node.keys.get(i - 1);
                K childHigh = i == node.keys.size() ? high : node.keys.get(i);
                ok &= walk(node.children.get(i), depth + 1, childLow, childHigh, depths, stats, leaves);
            }
            return ok;
        }

        /** Fails if a B+tree invariant does not hold; the demo calls it after building each tree. */
        void checkInvariants() {
            Shape s = shape();
            boolean leavesOk = s.leaves() == 1
                    || (s.minLeafEntries() >= fanout / 2 && s.maxLeafEntries() <= fanout - 1);
            boolean nodesOk = s.height() <= 2
                    || (s.minChildren() >= (fanout + 1) / 2 && s.maxChildren() <= fanout);
            if (!s.ordered() || !s.chainMatchesTree() || !s.leafDepths().equals(Set.of(height))
                    || !leavesOk || !nodesOk) {
                throw new IllegalStateException("B+tree invariant broken: " + s);
            }
        }
    }

    /* --------------- A table: clustered index plus secondary indexes --------------- */

    /** A row of orders(id PRIMARY KEY, customer_id, status, total); status is a code 0..2. */
    record Order(long id, long customerId, long status, long total) {
    }

    static final String[] STATUS = {"NEW", "PAID", "SHIPPED"};

    /** An index key: column values compared left to right; a prefix sorts before its extensions. */
    static final class Tuple implements Comparable<Tuple> {
        private final long[] parts;

        Tuple(long... parts) {
            this.parts = parts.clone();
        }

        long part(int i) {
            return parts[i];
        }

        @Override
        public int compareTo(Tuple other) {
            return Arrays.compare(parts, other.parts);
        }

        @Override
        public String toString() {
            return Arrays.toString(parts);
        }
    }

    // tag::table[]
    /**
     * A secondary index: its key is the indexed columns followed by the primary key (which makes
     * every entry unique) and its value is the primary key. No row data lives in it.
     */
    record SecondaryIndex(String name, Function<Order, long[]> columns, BPlusTree<Tuple, Long> tree) {
        Tuple keyOf(Order row) {
            long[] cols = columns.apply(row);
            long[] key = Arrays.copyOf(cols, cols.length + 1);
            key[cols.length] = row.id();
            return new Tuple(key);
        }
    }

    /** What a query returned and what it cost, split by tree. */
    record Result(List<Long> ids, long indexPages, long tablePages) {
        long totalPages() {
            return indexPages + tablePages;
        }
    }

    /** A table stored as InnoDB stores it: rows live in the leaves of the primary-key B+tree. */
    static final class Table {
        final BPlusTree<Long, Order> clustered;
        final Map<String, SecondaryIndex> indexes = new LinkedHashMap<>();
        private final int fanout;

        Table(int fanout) {
            this.fanout = fanout;
            this.clustered = new BPlusTree<>(fanout);
        }

        void createIndex(String name, Function<Order, long[]> columns) {
            SecondaryIndex index = new SecondaryIndex(name, columns, new BPlusTree<>(fanout));
            if (clustered.size() > 0) {   // CREATE INDEX on a loaded table: scan it once
                for (Map.Entry<Long, Order> e : clustered.scanAll()) {
                    index.tree().insert(index.keyOf(e.getValue()), e.getKey());
                }
            }
            indexes.put(name, index);
        }

        /** One insert writes the row into the clustered index and one entry into every index. */
        void insert(Order row) {
            clustered.insert(row.id(), row);
            for (SecondaryIndex index : indexes.values()) {
                index.tree().insert(index.keyOf(row), row.id());
            }
        }
        // end::table[]

        // tag::queries[]
        /** WHERE id = ?: one descent of the clustered index, and the row is in the leaf. */
        Result byPrimaryKey(long id) {
            long before = clustered.pages().reads();
            Order row = clustered.get(id);
            List<Long> ids = row == null ? List.of() : List.of(row.id());
            return new Result(ids, 0, clustered.pages().reads() - before);
        }

        /** WHERE leading columns = prefix: scan the index range, then descend the clustered index. */
        Result byIndex(String name, long... prefix) {
            BPlusTree<Tuple, Long> tree = indexes.get(name).tree();
            long indexBefore = tree.pages().reads();
            long tableBefore = clustered.pages().reads();
            List<Long> ids = new ArrayList<>();
            for (var entry : tree.range(new Tuple(prefix), upperBound(prefix))) {
                Order row = clustered.get(entry.getValue());   // the second descent, by primary key
                ids.add(row.id());                             // (SELECT * would return the row)
            }
            return new Result(ids, tree.pages().reads() - indexBefore,
                    clustered.pages().reads() - tableBefore);
        }

        /** Same search when the index holds every column the query needs: no clustered descent. */
        Result indexOnly(String name, long... prefix) {
            BPlusTree<Tuple, Long> tree = indexes.get(name).tree();
            long before = tree.pages().reads();
            List<Long> ids = new ArrayList<>();
            for (var entry : tree.range(new Tuple(prefix), upperBound(prefix))) {
                ids.add(entry.getValue());
            }
            return new Result(ids, tree.pages().reads() - before, 0);
        }

        /** No usable index: read every leaf of the clustered index and test each row. */
        Result fullScan(Predicate<Order> where) {
            long before = clustered.pages().reads();
            List<Long> ids = new ArrayList<>();
            for (Map.Entry<Long, Order> e : clustered.scanAll()) {
                if (where.test(e.getValue())) {
                    ids.add(e.getKey());
                }
            }
            return new Result(ids, 0, clustered.pages().reads() - before);
        }
        // end::queries[]

        /** A key above every key that starts with prefix (column values stay below MAX_VALUE). */
        private static Tuple upperBound(long[] prefix) {
            long[] high = Arrays.copyOf(prefix, prefix.length + 1);
            high[prefix.length] = Long.MAX_VALUE;
            return new Tuple(high);
        }

        /** Page reads and writes over the clustered index and every secondary index. */
        long[] pageTotals() {
            long reads = clustered.pages().reads();
            long writes = clustered.pages().writes();
            for (SecondaryIndex index : indexes.values()) {
                reads += index.tree().pages().reads();
                writes += index.tree().pages().writes();
            }
            return new long[] {reads, writes};
        }
    // tag::queries[]
    }
    // end::queries[]

    /* --------------- Workloads --------------- */

    static final int FANOUT = 16;
    static final int CUSTOMERS = 1_000;
    static final long SEED = 42;

    /** Keys 0 .. n-1 in a seeded random order. */
    static List<Long> shuffledKeys(int n, long seed) {
        List<Long> keys = new ArrayList<>(n);
        for (long k = 0; k < n; k++) {
            keys.add(k);
        }
        Collections.shuffle(keys, new Random(seed));
        return keys;
    }

    static BPlusTree<Long, Long> treeOf(int n, int fanout, long seed) {
        BPlusTree<Long, Long> tree = new BPlusTree<>(fanout);
        for (long k : shuffledKeys(n, seed)) {
            tree.insert(k, k * 10);
        }
        tree.checkInvariants();
        return tree;
    }

    /** One line of the scaling table: the cost of a point lookup against a full scan. */
    record Scaling(int rows, int height, double pagesPerLookup, double logFanoutRows, long scanPages) {
    }

    static Scaling scaling(int rows, int fanout, int lookups, long seed) {
        BPlusTree<Long, Long> tree = treeOf(rows, fanout, seed);
        Random random = new Random(seed + 1);
        long before = tree.pages().reads();
        for (int i = 0; i < lookups; i++) {
            tree.get((long) random.nextInt(rows));
        }
        double perLookup = (double) (tree.pages().reads() - before) / lookups;
        before = tree.pages().reads();
        tree.scanAll();
        long scanPages = tree.pages().reads() - before;
        return new Scaling(rows, tree.height(), perLookup, Math.log(rows) / Math.log(fanout), scanPages);
    }

    /** Orders with ids 1..n in random order; customer, status and total from a seeded generator. */
    static List<Order> orders(int n, long seed) {
        Random random = new Random(seed);
        List<Order> rows = new ArrayList<>(n);
        for (long id = 1; id <= n; id++) {
            rows.add(new Order(id, random.nextInt(CUSTOMERS), random.nextInt(STATUS.length),
                    1 + random.nextInt(500)));
        }
        Collections.shuffle(rows, random);
        return rows;
    }

    /** The demo's secondary indexes, in the order they are added. */
    static final List<String> INDEX_NAMES = List.of("idx_customer", "idx_status", "idx_customer_total");

    static void addIndex(Table table, String name) {
        switch (name) {
            case "idx_customer" -> table.createIndex(name, o -> new long[] {o.customerId()});
            case "idx_status" -> table.createIndex(name, o -> new long[] {o.status()});
            case "idx_customer_total" -> table.createIndex(name, o -> new long[] {o.customerId(), o.total()});
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** A table with the first k demo indexes, loaded row by row. */
    static Table tableWith(int k, List<Order> rows) {
        Table table = new Table(FANOUT);
        for (int i = 0; i < k; i++) {
            addIndex(table, INDEX_NAMES.get(i));
        }
        for (Order row : rows) {
            table.insert(row);
        }
        return table;
    }

    /** Average pages read and written per inserted row, with the first k secondary indexes. */
    record WriteCost(int indexes, double readsPerRow, double writesPerRow) {
    }

    /**
     * Write work with 0, 1, ... k indexes, read from one loaded table: the trees never touch each
     * other's pages, so the cost with the first j indexes is the clustered index's pages plus the
     * first j secondary indexes' pages (the test checks this against separately loaded tables).
     */
    static List<WriteCost> writeCosts(Table table, int rows) {
        List<WriteCost> out = new ArrayList<>();
        long reads = table.clustered.pages().reads();
        long writes = table.clustered.pages().writes();
        out.add(new WriteCost(0, (double) reads / rows, (double) writes / rows));
        for (SecondaryIndex index : table.indexes.values()) {
            reads += index.tree().pages().reads();
            writes += index.tree().pages().writes();
            out.add(new WriteCost(out.size(), (double) reads / rows, (double) writes / rows));
        }
        return out;
    }

    /* --------------- H2: the same questions to a real database --------------- */

    private static final Pattern PLAN_COMMENT = Pattern.compile("/\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    // tag::h2[]
    /** How H2 reads the table for a query: the first comment in its EXPLAIN output. */
    static String accessPath(Connection db, String sql) throws SQLException {
        String plan = firstRow(db, "EXPLAIN " + sql);
        Matcher m = PLAN_COMMENT.matcher(plan);
        if (!m.find()) {
            throw new IllegalStateException("no access path in plan: " + plan);
        }
        return m.group(1).trim()
                .replaceAll("\\s+", " ")                      // plans wrap long conditions
                .replace("PUBLIC.", "")                       // the schema: always PUBLIC here
                .replaceAll("PRIMARY_KEY_\\d+", "PRIMARY_KEY"); // generated name: number varies
    }

    /** Rows H2 actually visited: EXPLAIN ANALYZE runs the query and reports a scan count. */
    static long rowsScanned(Connection db, String sql) throws SQLException {
        String plan = firstRow(db, "EXPLAIN ANALYZE " + sql);
        Matcher m = SCAN_COUNT.matcher(plan);
        if (!m.find()) {
            throw new IllegalStateException("no scan count in plan: " + plan);
        }
        return Long.parseLong(m.group(1));
    }

    // end::h2[]
    private static String firstRow(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One query's access path and scan count at one stage of the H2 demo. */
    record Plan(String stage, String where, String accessPath, long rowsScanned, int rowsReturned) {
    }

    static final String NO_INDEX = "no secondary index";
    static final String WITH_INDEX = "after CREATE INDEX idx_customer_status";
    static final List<String> H2_QUERIES = List.of(
            "customer_id = 42", "customer_id = 42 AND status = 'NEW'", "status = 'NEW'");

    // tag::h2plans[]
    /** Loads rows into a fresh in-memory H2 table; explains the queries without and with an index. */
    static List<Plan> h2Plans(List<Order> rows) throws SQLException {
        List<Plan> plans = new ArrayList<>();
        // No DB_CLOSE_DELAY: the in-memory database disappears when this connection closes.
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:indexing_demo", "sa", "")) {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE orders(id BIGINT PRIMARY KEY, customer_id INT NOT NULL,"
                        + " status VARCHAR(10) NOT NULL, total INT NOT NULL)");
            }
            load(db, rows);
            explainAll(db, NO_INDEX, plans);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE INDEX idx_customer_status ON orders(customer_id, status)");
            }
            explainAll(db, WITH_INDEX, plans);
        }
        return plans;
    }
    // end::h2plans[]

    private static void load(Connection db, List<Order> rows) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
            for (Order o : rows) {
                insert.setLong(1, o.id());
                insert.setInt(2, (int) o.customerId());
                insert.setString(3, STATUS[(int) o.status()]);
                insert.setInt(4, (int) o.total());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void explainAll(Connection db, String stage, List<Plan> plans) throws SQLException {
        for (String where : H2_QUERIES) {
            String sql = "SELECT * FROM orders WHERE " + where;
            int returned = 0;
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    returned++;
                }
            }
            plans.add(new Plan(stage, where, accessPath(db, sql), rowsScanned(db, sql), returned));
        }
    }

    /* --------------- Demo --------------- */

    static final int[] SCALING_ROWS = {100, 1_000, 10_000, 100_000};
    static final int TABLE_ROWS = 50_000;
    static final int H2_ROWS = 10_000;

    public static void main(String[] args) throws SQLException {
        System.out.printf(Locale.ROOT, "1. B+tree, fan-out %d, keys inserted in random order%n", FANOUT);
        System.out.printf(Locale.ROOT, "   %9s  %6s  %12s  %11s  %15s%n",
                "rows", "height", "pages/lookup", "log16(rows)", "full-scan pages");
        for (int rows : SCALING_ROWS) {
            Scaling s = scaling(rows, FANOUT, 1_000, SEED);
            System.out.printf(Locale.ROOT, "   %,9d  %6d  %12.2f  %11.2f  %,15d%n",
                    s.rows(), s.height(), s.pagesPerLookup(), s.logFanoutRows(), s.scanPages());
        }
        BPlusTree<Long, Long> big = treeOf(SCALING_ROWS[SCALING_ROWS.length - 1], FANOUT, SEED);
        long before = big.pages().reads();
        int found = big.range(50_000L, 50_999L).size();
        System.out.printf(Locale.ROOT, "   range 50,000..50,999: %,d rows, %d pages down + %d leaves along%n",
                found, big.height(), big.pages().reads() - before - big.height());

        List<Order> rows = orders(TABLE_ROWS, SEED);
        Table table = tableWith(INDEX_NAMES.size(), rows);
        List<WriteCost> writes = writeCosts(table, rows.size());   // before any query adds reads
        table.clustered.checkInvariants();
        table.indexes.values().forEach(i -> i.tree().checkInvariants());
        System.out.printf(Locale.ROOT, "%n2. orders(id PK, customer_id, status, total): %,d rows in %,d leaf pages%n",
                TABLE_ROWS, table.clustered.leafCount());
        System.out.printf(Locale.ROOT, "   heights: clustered %d", table.clustered.height());
        table.indexes.values().forEach(i -> System.out.printf(Locale.ROOT, ", %s %d", i.name(), i.tree().height()));
        System.out.println();
        System.out.printf(Locale.ROOT, "   %-36s %6s  %6s  %7s  %7s%n", "pages read by query (access path)", "rows",
                "index", "table", "total");
        printResult("id = 4242 (clustered)", table.byPrimaryKey(4242));
        printResult("customer_id = 42 (idx_customer + PK)", table.byIndex("idx_customer", 42));
        printResult("id, total for customer 42 (covering)", table.indexOnly("idx_customer_total", 42));
        printResult("customer_id = 42 (full scan)", table.fullScan(o -> o.customerId() == 42));
        printResult("status = 'NEW' (idx_status + PK)", table.byIndex("idx_status", 0));
        printResult("status = 'NEW' (full scan)", table.fullScan(o -> o.status() == 0));

        System.out.printf(Locale.ROOT, "%n3. Pages per INSERT into orders, averaged over %,d rows%n", TABLE_ROWS);
        System.out.printf(Locale.ROOT, "   %7s  %6s  %6s  %s%n", "indexes", "read", "written", "secondary indexes");
        for (WriteCost w : writes) {
            String names = w.indexes() == 0 ? "none" : String.join(", ", INDEX_NAMES.subList(0, w.indexes()));
            System.out.printf(Locale.ROOT, "   %7d  %6.2f  %7.2f  %s%n", w.indexes(), w.readsPerRow(), w.writesPerRow(), names);
        }

        System.out.printf(Locale.ROOT, "%n4. H2 2.4.240, %,d orders: rows scanned (EXPLAIN ANALYZE), path (EXPLAIN)%n",
                H2_ROWS);
        System.out.println("   before/after CREATE INDEX idx_customer_status ON orders(customer_id, status)");
        List<Plan> plans = h2Plans(rows.stream().filter(o -> o.id() <= H2_ROWS).toList());
        for (String where : H2_QUERIES) {
            List<Plan> forQuery = plans.stream().filter(p -> p.where().equals(where)).toList();
            System.out.printf(Locale.ROOT, "   WHERE %s (%,d rows)%n", where, forQuery.get(0).rowsReturned());
            for (Plan p : forQuery) {
                System.out.printf(Locale.ROOT, "     %-6s %,6d  %s%n",
                        p.stage().equals(NO_INDEX) ? "before" : "after", p.rowsScanned(), p.accessPath());
            }
        }
    }

    private static void printResult(String label, Result r) {
        System.out.printf(Locale.ROOT, "   %-36s %,6d  %,6d  %,7d  %,7d%n",
                label, r.ids().size(), r.indexPages(), r.tablePages(), r.totalPages());
    }
}
