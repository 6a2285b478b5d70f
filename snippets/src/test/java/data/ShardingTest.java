import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Sharding} to what the page says. Row counts that follow from the data are checked
 * exactly, each against a count the test makes on its own; shares that depend on the hash are also
 * checked against theory, with a tolerance of four binomial standard deviations (a uniform hash puts
 * each of K rows in a given set of buckets independently with probability p, so the count has standard
 * deviation sqrt(K p (1 - p))).
 */
class ShardingTest {

    private static final int K = Sharding.ROWS;
    private static final int N = Sharding.SHARDS;
    private static final int B = Sharding.BUCKETS;
    private static final List<Sharding.Order> ORDERS = Sharding.orders(0, K, 2024);

    private static List<Sharding.ShardRouter> routers() {
        List<Sharding.ShardRouter> routers = new ArrayList<>();
        Sharding.RangeRouter range = Sharding.evenRanges(K, N);
        Sharding.DirectoryRouter directory = Sharding.DirectoryRouter.contiguous(B, N);
        routers.add(range);
        routers.add(range.split(87_500));
        routers.add(new Sharding.HashModRouter(N));
        routers.add(new Sharding.HashModRouter(N + 1));
        routers.add(directory);
        routers.add(directory.addShard());
        return routers;
    }

    private static double fourSigma(int trials, double p) {
        return 4 * Math.sqrt(p * (1 - p) / trials);
    }

    @Test
    void routingIsTotalAndDeterministic() {
        List<Long> keys = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L,
                24_999L, 25_000L, 74_999L, 75_000L, 87_499L, 87_500L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            keys.add(random.nextLong());
        }
        List<Sharding.ShardRouter> first = routers();
        List<Sharding.ShardRouter> second = routers(); // built again from scratch, as another router process would
        for (int r = 0; r < first.size(); r++) {
            Sharding.ShardRouter router = first.get(r);
            for (long key : keys) {
                int shard = router.shardFor(key);
                assertTrue(shard >= 0 && shard < router.shardCount(), "router " + r + " sent " + key + " to " + shard);
                assertEquals(shard, router.shardFor(key), "router " + r + " changed its mind about " + key);
                assertEquals(shard, second.get(r).shardFor(key), "two copies of router " + r + " disagree on " + key);
            }
        }
    }

    @Test
    void routersRejectConfigurationsThatLeaveKeysWithoutAShard() {
        TreeMap<Long, Integer> gap = new TreeMap<>();
        gap.put(0L, 0);
        assertThrows(IllegalArgumentException.class, () -> new Sharding.RangeRouter(gap, 1), "negative keys have no range");
        TreeMap<Long, Integer> unknown = new TreeMap<>();
        unknown.put(Long.MIN_VALUE, 2);
        assertThrows(IllegalArgumentException.class, () -> new Sharding.RangeRouter(unknown, 2));
        assertThrows(IllegalArgumentException.class, () -> Sharding.evenRanges(K, N).split(25_000));
        assertThrows(IllegalArgumentException.class, () -> new Sharding.HashModRouter(0));
        assertThrows(IllegalArgumentException.class, () -> new Sharding.DirectoryRouter(new int[] {0, 1, 4}, 2));
    }

    @Test
    void rangeRoutingFollowsTheBoundariesAndSendsIncreasingKeysToTheLastShard() {
        Sharding.RangeRouter range = Sharding.evenRanges(K, N);
        for (long id = -1_000; id < K; id++) {
            int expected = id < 0 ? 0 : (int) (id * N / K);
            assertEquals(expected, range.shardFor(id), "id " + id);
        }
        // Every key past the last range start, however large, lands on the last shard.
        for (long id = K; id < 5L * K; id++) {
            assertEquals(N - 1, range.shardFor(id), "new id " + id);
        }
        assertEquals(N - 1, range.shardFor(Long.MAX_VALUE));

        // The same increasing ids spread evenly under hash and directory routing.
        int fresh = Sharding.NEW_ROWS;
        for (Sharding.ShardRouter router : List.of(new Sharding.HashModRouter(N), Sharding.DirectoryRouter.contiguous(B, N))) {
            int[] loads = new int[N];
            for (long id = K; id < K + fresh; id++) {
                loads[router.shardFor(id)]++;
            }
            for (int load : loads) {
                assertEquals(1.0 / N, (double) load / fresh, fourSigma(fresh, 1.0 / N), "share of new ids on one shard");
            }
        }
    }

    @Test
    void theExamplesHotSpotTableHasEveryNewRowOnTheLastRangeShard() {
        Sharding.ShardedTable table = Sharding.load(Sharding.evenRanges(K, N), ORDERS);
        int[] before = table.rowsPerShard();
        Sharding.orders(K, Sharding.NEW_ROWS, 2025).forEach(table::insert);
        int[] after = table.rowsPerShard();
        for (int s = 0; s < N - 1; s++) {
            assertEquals(before[s], after[s], "shard " + s + " received new rows");
        }
        assertEquals(before[N - 1] + Sharding.NEW_ROWS, after[N - 1]);
    }

    @Test
    void hashModNMovesExactlyTheRowsWhoseHashModNTimesNPlusOneIsAtLeastN() {
        Sharding.ShardedTable table = Sharding.load(new Sharding.HashModRouter(N), ORDERS);
        int[] movedTo = table.reshard(new Sharding.HashModRouter(N + 1));
        int moved = sum(movedTo);

        // h mod N == h mod (N+1) exactly when h mod N(N+1) < N (Chinese remainder theorem): count those.
        int stays = 0;
        int onNewShard = 0;
        for (Sharding.Order o : ORDERS) {
            long h = Sharding.mix(o.id());
            stays += Long.remainderUnsigned(h, (long) N * (N + 1)) < N ? 1 : 0;
            onNewShard += Long.remainderUnsigned(h, N + 1) == N ? 1 : 0;
        }
        assertEquals(K - stays, moved, "rows moved");
        assertEquals(onNewShard, movedTo[N], "every row of the new shard had to move there");
        double expected = (double) N / (N + 1);
        assertEquals(expected, (double) moved / K, fourSigma(K, expected), "share moved under mod N");
        // Most moves shuffle rows between old shards: about (N-1)/(N+1) of all rows.
        double between = (double) (moved - movedTo[N]) / K;
        assertEquals((N - 1.0) / (N + 1), between, fourSigma(K, (N - 1.0) / (N + 1)));
        assertTrue(Sharding.consistent(table, ORDERS));
    }

    @Test
    void aRangeSplitMovesOnlyTheSplitRange() {
        Sharding.ShardedTable table = Sharding.load(Sharding.evenRanges(K, N), ORDERS);
        long splitAt = 87_500;
        TreeMap<Long, Integer> before = owners(table.router());
        int[] movedTo = table.reshard(((Sharding.RangeRouter) table.router()).split(splitAt));
        // Ids are 0..K-1, so exactly K - splitAt of them lie in [splitAt, end of shard 3's range).
        assertEquals(K - splitAt, sum(movedTo));
        assertEquals(K - splitAt, movedTo[N], "all moved rows went to the new shard");
        for (Sharding.Order o : ORDERS) {
            int now = table.router().shardFor(o.id());
            assertEquals(o.id() >= splitAt ? N : before.get(o.id()), now, "id " + o.id());
        }
        assertTrue(Sharding.consistent(table, ORDERS));
    }

    @Test
    void theDirectoryMovesOnlyTheBucketsItReassigns() {
        Sharding.DirectoryRouter old = Sharding.DirectoryRouter.contiguous(B, N);
        for (int s = 0; s < N; s++) {
            assertEquals(B / N * s, old.bucketsOf(s).first(), "shard " + s + " starts its block of buckets");
            assertEquals(B / N * (s + 1) - 1, old.bucketsOf(s).last(), "shard " + s + " ends its block of buckets");
            assertEquals(B / N, old.bucketsOf(s).size());
        }
        Sharding.DirectoryRouter grown = old.addShard();

        // Which buckets changed owner, found by comparing the two tables bucket by bucket.
        TreeSet<Integer> reassigned = new TreeSet<>();
        for (int b = 0; b < B; b++) {
            int before = ownerOf(old, b);
            int after = ownerOf(grown, b);
            if (before != after) {
                assertEquals(N, after, "bucket " + b + " moved between two old shards");
                reassigned.add(b);
            }
        }
        assertEquals(B / (N + 1), reassigned.size(), "the new shard gets floor(B/(N+1)) buckets");
        for (int s = 0; s <= N; s++) {
            int held = grown.bucketsOf(s).size();
            assertTrue(held == B / (N + 1) || held == B / (N + 1) + 1, "shard " + s + " holds " + held + " buckets");
        }
        // Whole buckets cannot hit 1/(N+1) exactly: the gap is under one bucket.
        assertTrue(Math.abs((double) reassigned.size() / B - 1.0 / (N + 1)) < 1.0 / B);

        // Rows in the reassigned buckets, counted from the hash directly.
        int inReassigned = 0;
        for (Sharding.Order o : ORDERS) {
            inReassigned += reassigned.contains((int) Long.remainderUnsigned(Sharding.mix(o.id()), B)) ? 1 : 0;
        }
        Sharding.ShardedTable table = Sharding.load(old, ORDERS);
        int[] movedTo = table.reshard(grown);
        assertEquals(inReassigned, sum(movedTo), "rows moved");
        assertEquals(inReassigned, movedTo[N], "every moved row went to the new shard");
        double p = (double) reassigned.size() / B;
        assertEquals(p, (double) inReassigned / K, fourSigma(K, p));
        assertTrue(Sharding.consistent(table, ORDERS));
    }

    @Test
    void reassigningOneBucketMovesExactlyThatBucketsRows() {
        Sharding.DirectoryRouter old = Sharding.DirectoryRouter.contiguous(B, N);
        int bucket = 5; // owned by shard 0
        Sharding.ShardedTable table = Sharding.load(old, ORDERS);
        int[] movedTo = table.reshard(old.reassign(bucket, 2));
        long inBucket = ORDERS.stream().filter(o -> old.bucketFor(o.id()) == bucket).count();
        assertTrue(inBucket > 0);
        assertEquals(inBucket, sum(movedTo));
        assertEquals(inBucket, movedTo[2]);
        assertTrue(Sharding.consistent(table, ORDERS));
    }

    @Test
    void theDirectoryMovesAboutOneOverNPlusOneWhileModNMovesMost() {
        Sharding.ShardedTable hash = Sharding.load(new Sharding.HashModRouter(N), ORDERS);
        Sharding.ShardedTable dir = Sharding.load(Sharding.DirectoryRouter.contiguous(B, N), ORDERS);
        int hashMoved = sum(hash.reshard(new Sharding.HashModRouter(N + 1)));
        int dirMoved = sum(dir.reshard(Sharding.DirectoryRouter.contiguous(B, N).addShard()));
        assertTrue(hashMoved > 4 * dirMoved, () -> "mod N moved " + hashMoved + ", the directory " + dirMoved);
        assertTrue((double) dirMoved / K <= 1.0 / (N + 1) + fourSigma(K, 1.0 / (N + 1)));
    }

    @Test
    void scatterGatherAnswersExactlyAsOneTableDoes() {
        // The hot customer, the page's customer, one with no orders, and a few ordinary ones.
        List<Long> customers = List.of(Sharding.HOT_CUSTOMER, Sharding.QUERY_CUSTOMER, -5L, 0L, 1L, 2L, 3L, 999L);
        List<Integer> ks = List.of(1, 3, 100);
        TreeMap<String, Sharding.Answer> expected = new TreeMap<>();
        for (long customer : customers) {
            for (int k : ks) {
                expected.put(customer + "/" + k, Sharding.singleTable(ORDERS, customer, k));
            }
        }
        assertEquals(0, expected.get("-5/3").count(), "customer -5 has no orders");
        for (Sharding.ShardRouter router : routers()) {
            Sharding.ShardedTable table = Sharding.load(router, ORDERS);
            for (long customer : customers) {
                for (int k : ks) {
                    Sharding.Answer single = expected.get(customer + "/" + k);
                    Sharding.Answer sharded = table.ordersOf(customer, k);
                    assertEquals(single.count(), sharded.count(), "count of customer " + customer);
                    assertEquals(single.sum(), sharded.sum(), "sum of customer " + customer);
                    assertEquals(single.mean(), sharded.mean(), 1e-9, "mean of customer " + customer);
                    assertEquals(single.topAmounts(), sharded.topAmounts(), "top " + k + " of customer " + customer);
                    assertEquals(router.shardCount(), sharded.shardsAsked(), "a query off the shard key asks every shard");
                }
            }
        }
    }

    @Test
    void theMeanOfShardMeansIsNotTheMean() {
        Sharding.ShardedTable table = Sharding.load(new Sharding.HashModRouter(N + 1), ORDERS);
        double mean = Sharding.singleTable(ORDERS, Sharding.QUERY_CUSTOMER, 1).mean();
        double meanOfMeans = table.shards().stream()
                .map(s -> Sharding.shardQuery(s.values(), Sharding.QUERY_CUSTOMER, 1))
                .filter(p -> p.count() > 0)
                .mapToDouble(p -> (double) p.sum() / p.count())
                .average().orElseThrow();
        assertNotEquals(mean, meanOfMeans, 0.01);
    }

    @Test
    void hashingTheShardKeyDoesNotSpreadOneHotKeyButSaltingDoes() {
        Sharding.HashModRouter byCustomer = new Sharding.HashModRouter(N);
        int[] plain = new int[N];
        int[] salted = new int[N];
        long hotRows = 0;
        for (Sharding.Order o : ORDERS) {
            plain[byCustomer.shardFor(o.customer())]++;
            salted[byCustomer.shardFor(o.customer() * Sharding.SALTS + o.id() % Sharding.SALTS)]++;
            hotRows += o.customer() == Sharding.HOT_CUSTOMER ? 1 : 0;
        }
        // Customer 7's share is Binomial(K, 0.3). Which shard each of the other customers hashes to is
        // Binomial(C, 1/N) per shard, each customer bringing about K(1 - 0.3)/C rows: that dominates
        // the spread of a shard's load, sigma = sqrt(C (1/N)(1 - 1/N)) * K(1 - 0.3)/C, about 960 rows.
        assertEquals(Sharding.HOT_SHARE, (double) hotRows / K, fourSigma(K, Sharding.HOT_SHARE));
        double rowsPerColdCustomer = (double) (K - hotRows) / Sharding.CUSTOMERS;
        double sigma = Math.sqrt(Sharding.CUSTOMERS * (1.0 / N) * (1 - 1.0 / N)) * rowsPerColdCustomer
                + Math.sqrt(K * (1.0 / N) * (1 - 1.0 / N));
        int hotShard = byCustomer.shardFor(Sharding.HOT_CUSTOMER);
        assertTrue(plain[hotShard] >= hotRows, "the hot customer's shard holds all its rows");
        double expectedHot = hotRows + (K - hotRows) / (double) N;
        assertTrue(Math.abs(plain[hotShard] - expectedHot) <= 4 * sigma,
                () -> "hot shard holds " + plain[hotShard] + ", expected about " + expectedHot);

        TreeSet<Integer> saltShards = new TreeSet<>();
        for (int salt = 0; salt < Sharding.SALTS; salt++) {
            saltShards.add(byCustomer.shardFor(Sharding.HOT_CUSTOMER * Sharding.SALTS + salt));
        }
        assertEquals(N, saltShards.size(), "the four salted keys of the hot customer land on four shards");
        for (int load : salted) {
            // Each salt carries a quarter of the hot rows, so every shard is back near K/N.
            assertTrue(Math.abs(load - (double) K / N) <= 4 * sigma, "salted load " + load);
            assertTrue(load < plain[hotShard] - hotRows / 2, "salted load " + load + " still near the hot shard's");
        }
    }

    @Test
    void theDemoRunsAndKeepsEveryRowOnItsShard() {
        for (Sharding.Scheme scheme : Sharding.schemes()) {
            Sharding.ShardedTable table = Sharding.load(scheme.router(), ORDERS);
            assertTrue(Sharding.consistent(table, ORDERS), scheme.name());
            assertEquals(K, sum(table.rowsPerShard()));
            for (long id : new long[] {0, 4242, K - 1}) {
                assertEquals(ORDERS.get((int) id), table.get(id));
            }
        }
        Sharding.main(new String[0]);
    }

    private static TreeMap<Long, Integer> owners(Sharding.ShardRouter router) {
        TreeMap<Long, Integer> owners = new TreeMap<>();
        ORDERS.forEach(o -> owners.put(o.id(), router.shardFor(o.id())));
        return owners;
    }

    private static int ownerOf(Sharding.DirectoryRouter router, int bucket) {
        int owner = -1;
        for (int s = 0; s < router.shardCount(); s++) {
            if (router.bucketsOf(s).contains(bucket)) {
                assertEquals(-1, owner, "bucket " + bucket + " has two owners");
                owner = s;
            }
        }
        assertTrue(owner >= 0, "bucket " + bucket + " has no owner");
        return owner;
    }

    private static int sum(int[] values) {
        int total = 0;
        for (int v : values) {
            total += v;
        }
        return total;
    }
}
