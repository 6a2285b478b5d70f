import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One table of orders sharded over in-memory shards behind a router, with three routing schemes and
 * the operations sharding makes hard: adding a shard, and queries that do not name the shard key.
 *
 * <p>Algorithm. A {@link ShardRouter} maps a row's shard key to exactly one shard.
 * {@link RangeRouter} keeps sorted range starts and routes a key to the range that contains it.
 * {@link HashModRouter} takes a 64-bit mix of the key modulo the number of shards.
 * {@link DirectoryRouter} hashes the key into one of a fixed number of buckets and looks the bucket up
 * in a table. {@link ShardedTable} keeps each shard as its own sorted map, sends a read or write by
 * shard key to one shard, answers other queries by scatter-gather, and reshards by moving every row
 * whose owner changed.
 *
 * <p>Trade-off. Range routing keeps neighbouring keys together, so range scans touch few shards and a
 * split moves only the split range, but it sends monotonically increasing keys to the last shard. Hash
 * routing spreads any key pattern evenly but scatters range scans, and hashing modulo N moves about
 * N/(N+1) of the rows when one shard is added. A directory of fixed buckets spreads like a hash and
 * moves only the buckets it reassigns, at the price of a table that every router must hold and keep
 * current, and of a bucket count that caps the number of shards.
 *
 * <p>Sources. PostgreSQL documentation, "Table Partitioning"; MySQL Reference Manual, "Partitioning";
 * MongoDB manual, "Sharding" (ranged and hashed shard keys, chunks); Redis Cluster specification
 * (16384 hash slots); Vitess documentation, "Vindexes"; G. DeCandia et al., "Dynamo: Amazon's highly
 * available key-value store", SOSP 2007, section 6.2 (fixed, equal-sized partitions); J. C. Corbett et
 * al., "Spanner: Google's globally-distributed database", OSDI 2012 (key ranges moved between Paxos
 * groups). The 64-bit mix is the finalizer of Austin Appleby's MurmurHash3.
 */
public class Sharding {

    // tag::router[]
    /** Maps a shard key to the one shard that owns it. Total: every key has an owner. */
    interface ShardRouter {
        int shardFor(long key);

        int shardCount();
    }

    /** MurmurHash3's 64-bit finalizer: a bijection that scatters neighbouring keys. */
    static long mix(long key) {
        key ^= key >>> 33;
        key *= 0xff51afd7ed558ccdL;
        key ^= key >>> 33;
        key *= 0xc4ceb9fe1a85ec53L;
        key ^= key >>> 33;
        return key;
    }
    // end::router[]

    // tag::range[]
    /** Range sharding: a shard owns the keys from its range start to the next start. */
    static final class RangeRouter implements ShardRouter {
        private final NavigableMap<Long, Integer> starts; // first key of a range -> shard
        private final int shards;

        RangeRouter(NavigableMap<Long, Integer> starts, int shards) {
            if (starts.isEmpty() || starts.firstKey() != Long.MIN_VALUE) {
                throw new IllegalArgumentException("the first range must start at MIN");
            }
            if (starts.values().stream().anyMatch(s -> s < 0 || s >= shards)) {
                throw new IllegalArgumentException("a range names an unknown shard");
            }
            this.starts = new TreeMap<>(starts);
            this.shards = shards;
        }

        @Override
        public int shardFor(long key) {
            return starts.floorEntry(key).getValue();
        }

        @Override
        public int shardCount() {
            return shards;
        }

        /** Splits the range holding splitAt: keys from splitAt on go to a new shard. */
        RangeRouter split(long splitAt) {
            if (starts.containsKey(splitAt)) {
                throw new IllegalArgumentException(splitAt + " already starts a range");
            }
            TreeMap<Long, Integer> next = new TreeMap<>(starts);
            next.put(splitAt, shards);
            return new RangeRouter(next, shards + 1);
        }
    }
    // end::range[]

    // tag::hash[]
    /** Hash sharding: the mixed key modulo the number of shards. Stateless, tied to N. */
    static final class HashModRouter implements ShardRouter {
        private final int shards;

        HashModRouter(int shards) {
            if (shards < 1) {
                throw new IllegalArgumentException("need a shard, got " + shards);
            }
            this.shards = shards;
        }

        @Override
        public int shardFor(long key) {
            return (int) Long.remainderUnsigned(mix(key), shards);
        }

        @Override
        public int shardCount() {
            return shards;
        }
    }
    // end::hash[]

    // tag::directory[]
    /**
     * Directory sharding over fixed buckets: a key hashes to one of B buckets, and a
     * lookup table, the directory, names each bucket's shard. B never changes;
     * resharding edits the table.
     */
    static final class DirectoryRouter implements ShardRouter {
        private final int[] directory; // bucket -> shard
        private final int shards;

        DirectoryRouter(int[] directory, int shards) {
            for (int shard : directory) {
                if (shard < 0 || shard >= shards) {
                    throw new IllegalArgumentException("a bucket names shard " + shard);
                }
            }
            this.directory = directory.clone();
            this.shards = shards;
        }

        /** B buckets in contiguous blocks, as Redis Cluster gives masters slot ranges. */
        static DirectoryRouter contiguous(int buckets, int shards) {
            int[] directory = new int[buckets];
            for (int b = 0; b < buckets; b++) {
                directory[b] = (int) ((long) b * shards / buckets);
            }
            return new DirectoryRouter(directory, shards);
        }

        int bucketFor(long key) {
            return (int) Long.remainderUnsigned(mix(key), directory.length);
        }

        @Override
        public int shardFor(long key) {
            return directory[bucketFor(key)];
        }

        @Override
        public int shardCount() {
            return shards;
        }

        /** The same table with one bucket re-pointed: only that bucket's rows move. */
        DirectoryRouter reassign(int bucket, int shard) {
            int[] next = directory.clone();
            next[bucket] = shard;
            return new DirectoryRouter(next, Math.max(shards, shard + 1));
        }

        /** Adds shard N with B/(N+1) whole buckets, each taken from the largest shard. */
        DirectoryRouter addShard() {
            int newShard = shards;
            DirectoryRouter next = new DirectoryRouter(directory, shards + 1);
            while (next.bucketsOf(newShard).size() < directory.length / (shards + 1)) {
                int donor = 0;
                for (int s = 1; s < shards; s++) {
                    if (next.bucketsOf(s).size() > next.bucketsOf(donor).size()) {
                        donor = s;
                    }
                }
                next = next.reassign(next.bucketsOf(donor).last(), newShard);
            }
            return next;
        }

        TreeSet<Integer> bucketsOf(int shard) {
            TreeSet<Integer> buckets = new TreeSet<>();
            for (int b = 0; b < directory.length; b++) {
                if (directory[b] == shard) {
                    buckets.add(b);
                }
            }
            return buckets;
        }
    }
    // end::directory[]

    record Order(long id, long customer, long amountCents) {
    }

    // tag::table[]
    /** One logical table stored as N shards. The shard key is the order id. */
    static final class ShardedTable {
        private final List<NavigableMap<Long, Order>> shards = new ArrayList<>();
        private ShardRouter router;

        ShardedTable(ShardRouter router) {
            this.router = router;
            while (shards.size() < router.shardCount()) {
                shards.add(new TreeMap<>());
            }
        }

        void insert(Order order) {
            shards.get(router.shardFor(order.id())).put(order.id(), order);
        }

        /** A read by shard key asks one shard. */
        Order get(long id) {
            return shards.get(router.shardFor(id)).get(id);
        }

        // end::table[]

        // tag::reshard[]
        /**
         * Switches to a new router and moves every row whose owner changed. Returns the
         * rows moved, by destination shard. A real system copies first, switches last.
         */
        int[] reshard(ShardRouter next) {
            while (shards.size() < next.shardCount()) {
                shards.add(new TreeMap<>());
            }
            List<Order> moving = new ArrayList<>();
            for (int from = 0; from < shards.size(); from++) {
                Iterator<Order> rows = shards.get(from).values().iterator();
                while (rows.hasNext()) {
                    Order row = rows.next();
                    if (next.shardFor(row.id()) != from) {
                        rows.remove();
                        moving.add(row);
                    }
                }
            }
            int[] movedTo = new int[next.shardCount()];
            for (Order row : moving) {
                int to = next.shardFor(row.id());
                shards.get(to).put(row.id(), row);
                movedTo[to]++;
            }
            router = next;
            return movedTo;
        }

        // end::reshard[]

        // tag::scatter[]
        /** Orders of one customer: not the shard key, so every shard is asked. */
        Answer ordersOf(long customer, int k) {
            List<Partial> partials = new ArrayList<>();
            for (NavigableMap<Long, Order> shard : shards) {
                partials.add(shardQuery(shard.values(), customer, k)); // in parallel
            }
            return gather(partials, k);
        }
        // end::scatter[]

        int[] rowsPerShard() {
            return shards.stream().mapToInt(NavigableMap::size).toArray();
        }

        List<NavigableMap<Long, Order>> shards() {
            return shards;
        }

        ShardRouter router() {
            return router;
        }
        // tag::table[]
    }
    // end::table[]

    // tag::gather[]
    /** What one shard sends back: its count, its sum, and its own k largest amounts. */
    record Partial(long count, long sum, List<Long> topAmounts) {
    }

    /** The answer. The mean comes from the total sum and count, never a mean of means. */
    record Answer(long count, long sum, List<Long> topAmounts, int shardsAsked) {
        double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }
    }

    /** Runs on each shard. A local secondary index on customer would replace the scan. */
    static Partial shardQuery(Collection<Order> rows, long customer, int k) {
        List<Order> mine = rows.stream().filter(o -> o.customer() == customer).toList();
        long sum = mine.stream().mapToLong(Order::amountCents).sum();
        return new Partial(mine.size(), sum, topK(mine, k));
    }

    /** Runs on the router: adds counts and sums, merges the per-shard top-k lists. */
    static Answer gather(List<Partial> partials, int k) {
        long count = partials.stream().mapToLong(Partial::count).sum();
        long sum = partials.stream().mapToLong(Partial::sum).sum();
        List<Long> top = partials.stream().flatMap(p -> p.topAmounts().stream())
                .sorted(Comparator.reverseOrder()).limit(k).toList();
        return new Answer(count, sum, top, partials.size());
    }
    // end::gather[]

    static List<Long> topK(Collection<Order> rows, int k) {
        return rows.stream().map(Order::amountCents).sorted(Comparator.reverseOrder()).limit(k).toList();
    }

    /** The same query on one unsharded table: the oracle the scatter-gather answer must equal. */
    static Answer singleTable(List<Order> rows, long customer, int k) {
        Partial all = shardQuery(rows, customer, k);
        return new Answer(all.count(), all.sum(), all.topAmounts(), 1);
    }

    // ---------------------------------------------------------------- harness

    static final int ROWS = 100_000;
    static final int SHARDS = 4;
    static final int BUCKETS = 64;
    static final int NEW_ROWS = 20_000;
    static final int CUSTOMERS = 1_000;
    static final long HOT_CUSTOMER = 7;
    static final double HOT_SHARE = 0.30;
    static final int SALTS = 4;
    static final long QUERY_CUSTOMER = 42;
    static final int TOP = 3;

    /** Orders 0..count-1 (ids assigned in increasing order, like an auto-increment column). */
    static List<Order> orders(long firstId, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Order> orders = new ArrayList<>();
        for (long id = firstId; id < firstId + count; id++) {
            long customer = random.nextDouble() < HOT_SHARE ? HOT_CUSTOMER : random.nextInt(CUSTOMERS);
            orders.add(new Order(id, customer, 100 + random.nextInt(1_000_000)));
        }
        return orders;
    }

    /** Range shards of equal width over ids 0..rows-1; the first and last ranges are open-ended. */
    static RangeRouter evenRanges(long rows, int shards) {
        TreeMap<Long, Integer> starts = new TreeMap<>();
        starts.put(Long.MIN_VALUE, 0);
        for (int s = 1; s < shards; s++) {
            starts.put(rows * s / shards, s);
        }
        return new RangeRouter(starts, shards);
    }

    record Scheme(String name, ShardRouter router) {
    }

    static List<Scheme> schemes() {
        return List.of(
                new Scheme("range", evenRanges(ROWS, SHARDS)),
                new Scheme("hash mod N", new HashModRouter(SHARDS)),
                new Scheme("directory", DirectoryRouter.contiguous(BUCKETS, SHARDS)));
    }

    static ShardedTable load(ShardRouter router, List<Order> rows) {
        ShardedTable table = new ShardedTable(router);
        rows.forEach(table::insert);
        return table;
    }

    /** Every row sits on the shard its router names, and the table holds exactly the expected ids. */
    static boolean consistent(ShardedTable table, List<Order> expected) {
        int total = 0;
        for (int s = 0; s < table.shards().size(); s++) {
            for (Order row : table.shards().get(s).values()) {
                if (table.router().shardFor(row.id()) != s) {
                    return false;
                }
                total++;
            }
        }
        return total == expected.size() && expected.stream().allMatch(o -> o.equals(table.get(o.id())));
    }

    public static void main(String[] args) {
        List<Order> orders = orders(0, ROWS, 2024);
        System.out.printf(Locale.ROOT, "%d orders, ids 0..%d, %d shards, directory of %d buckets%n",
                ROWS, ROWS - 1, SHARDS, BUCKETS);

        System.out.println();
        System.out.println("Rows per shard            shard-0 shard-1 shard-2 shard-3  max/mean");
        List<ShardedTable> tables = new ArrayList<>();
        for (Scheme scheme : schemes()) {
            ShardedTable table = load(scheme.router(), orders);
            tables.add(table);
            printLoads(scheme.name(), table.rowsPerShard());
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "Hot spot: %d new orders, ids %d..%d, keep increasing%n",
                NEW_ROWS, ROWS, ROWS + NEW_ROWS - 1);
        List<Order> newOrders = orders(ROWS, NEW_ROWS, 2025);
        for (int i = 0; i < tables.size(); i++) {
            int[] before = tables.get(i).rowsPerShard();
            newOrders.forEach(tables.get(i)::insert);
            int[] added = tables.get(i).rowsPerShard();
            for (int s = 0; s < added.length; s++) {
                added[s] -= before[s];
            }
            printLoads(schemes().get(i).name(), added);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "Hot key: customer %d places %.0f%% of the orders; shard key = customer%n",
                HOT_CUSTOMER, 100 * HOT_SHARE);
        HashModRouter byCustomer = new HashModRouter(SHARDS);
        int[] plain = new int[SHARDS];
        int[] salted = new int[SHARDS];
        for (Order o : orders) {
            plain[byCustomer.shardFor(o.customer())]++;
            salted[byCustomer.shardFor(o.customer() * SALTS + o.id() % SALTS)]++;
        }
        printLoads("hash(customer)", plain);
        printLoads("hash(customer, id % 4)", salted);
        TreeSet<Integer> hotShards = new TreeSet<>();
        for (int salt = 0; salt < SALTS; salt++) {
            hotShards.add(byCustomer.shardFor(HOT_CUSTOMER * SALTS + salt));
        }
        System.out.printf(Locale.ROOT, "reading customer %d: 1 shard unsalted, %d shards salted%n",
                HOT_CUSTOMER, hotShards.size());

        System.out.println();
        System.out.printf(Locale.ROOT, "Resharding: add shard-4 to %d shards holding %d rows%n", SHARDS, ROWS);
        System.out.println("scheme                              moved   share  expected  to shard-4");
        List<ShardedTable> resharded = new ArrayList<>();
        for (Scheme scheme : schemes()) {
            ShardedTable table = load(scheme.router(), orders);
            ShardRouter next;
            String label;
            String expected;
            if (scheme.router() instanceof RangeRouter range) {
                List<Long> last = new ArrayList<>(table.shards().get(SHARDS - 1).keySet());
                long splitAt = last.get(last.size() / 2);
                next = range.split(splitAt);
                label = "range: split shard-3 at " + splitAt;
                expected = String.format(Locale.ROOT, "%.2f%%", 100.0 * (ROWS - splitAt) / ROWS);
            } else if (scheme.router() instanceof DirectoryRouter directory) {
                DirectoryRouter grown = directory.addShard();
                next = grown;
                int moved = grown.bucketsOf(SHARDS).size();
                label = "directory: move " + moved + " of " + BUCKETS + " buckets";
                expected = String.format(Locale.ROOT, "%.2f%%", 100.0 * moved / BUCKETS);
            } else {
                next = new HashModRouter(SHARDS + 1);
                label = "hash mod N: 4 -> 5";
                expected = String.format(Locale.ROOT, "%.2f%%", 100.0 * SHARDS / (SHARDS + 1));
            }
            int[] movedTo = table.reshard(next);
            int moved = 0;
            for (int m : movedTo) {
                moved += m;
            }
            System.out.printf(Locale.ROOT, "%-33s %7d %6.2f%% %9s %11d%n",
                    label, moved, 100.0 * moved / ROWS, expected, movedTo[SHARDS]);
            resharded.add(table);
        }
        boolean allConsistent = resharded.stream().allMatch(t -> consistent(t, orders));
        System.out.println("every row on its router's shard, none lost or duplicated: " + allConsistent);

        System.out.println();
        System.out.printf(Locale.ROOT, "Scatter-gather: orders of customer %d (not the shard key), top %d amounts%n",
                QUERY_CUSTOMER, TOP);
        System.out.println("source                count       sum     mean  top amounts              shards asked");
        printAnswer("single table", singleTable(orders, QUERY_CUSTOMER, TOP));
        for (int i = 0; i < resharded.size(); i++) {
            printAnswer(schemes().get(i).name() + ", 5 shards", resharded.get(i).ordersOf(QUERY_CUSTOMER, TOP));
        }
        ShardedTable hashed = resharded.get(1);
        double meanOfMeans = hashed.shards().stream()
                .map(s -> shardQuery(s.values(), QUERY_CUSTOMER, TOP))
                .filter(p -> p.count() > 0)
                .mapToDouble(p -> (double) p.sum() / p.count())
                .average().orElseThrow();
        System.out.printf(Locale.ROOT, "mean of the 5 shard means (wrong): %.2f%n", meanOfMeans / 100);
        System.out.printf(Locale.ROOT, "get(id %d) asks 1 shard: %s%n", 4242, hashed.get(4242).equals(orders.get(4242)));
    }

    static void printLoads(String label, int[] loads) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", label));
        int max = 0;
        long total = 0;
        for (int load : loads) {
            line.append(String.format(Locale.ROOT, "%8d", load));
            max = Math.max(max, load);
            total += load;
        }
        double mean = (double) total / loads.length;
        line.append(String.format(Locale.ROOT, "%10.2f", max / mean));
        System.out.println(line);
    }

    static void printAnswer(String source, Answer answer) {
        String top = answer.topAmounts().stream()
                .map(c -> String.format(Locale.ROOT, "%.2f", c / 100.0))
                .reduce((a, b) -> a + " " + b).orElse("-");
        System.out.printf(Locale.ROOT, "%-20s %6d %9.2f %8.2f  %-24s %12d%n",
                source, answer.count(), answer.sum() / 100.0, answer.mean() / 100, top, answer.shardsAsked());
    }
}
