import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A like counter in miniature: sharded counter nodes, each with an append-only change log, and one
 * aggregator that consumes the logs in order and keeps the totals that reads are served from.
 *
 * <p>Algorithm. A like for (post, user) goes to shard {@code hash(post, user) mod N}. The shard keeps
 * the set of (post, user) pairs that like, a count per post, and a change log; under one lock it adds
 * the pair to the set and, only if it was not there, adds one to the count and appends the change
 * (offset, post, +1). An unlike removes the pair and appends -1. Because one pair always maps to one
 * shard, that shard alone can tell a repeated like from a new one. The {@link Aggregator} is woken
 * when a shard has new changes, reads each log from its cursor in batches, and applies a change only
 * if its offset is the next one it expects for that shard; a change below that offset was applied
 * before and is skipped, so at-least-once delivery (a consumer restarting from its last committed
 * cursor) never counts a like twice. Reads return the aggregator's total: one lookup, eventually
 * consistent, and with likes only never above the number of likes written.
 *
 * <p>Trade-off. No single counter takes every write of a hot post: its likes spread over all shards.
 * The price is a read that lags the writes by the aggregator's delay, and a total that is a sum of
 * per-shard prefixes rather than a snapshot of one moment.
 *
 * <p>Sources. M. Shapiro, N. Preguica, C. Baquero, M. Zawirski, "Conflict-free replicated data
 * types", SSS 2011 (per-node counters summed: the G-counter and PN-counter). Redis documentation:
 * INCR, SADD, Streams and consumer groups. Apache Kafka documentation: consumer offsets and delivery
 * semantics. JDK {@code java.util.concurrent.atomic.LongAdder} (striped counters in one process).
 */
public class LikeCounter {

    // tag::shard[]
    /** One change on one shard: its offset in that shard's log, the post, and +1 or -1. */
    record Change(int shard, long offset, String post, int delta) {
    }

    /**
     * One counter node. Set, count and log change together under the shard's lock, as a Redis node
     * would run SADD, INCR and XADD in one script; other shards are not blocked.
     */
    static final class Shard {
        final int id;
        private final Set<String> likers = new HashSet<>();       // "post|user" pairs that like
        private final Map<String, Long> counts = new HashMap<>();  // post -> likes held here
        private final List<Change> log = new ArrayList<>();        // append-only; offset = index

        Shard(int id) {
            this.id = id;
        }

        synchronized boolean like(String post, String user) {
            if (!likers.add(post + "|" + user)) {
                return false;                                      // liked before: no change
            }
            counts.merge(post, 1L, Long::sum);
            log.add(new Change(id, log.size(), post, +1));
            return true;
        }

        synchronized boolean unlike(String post, String user) {
            if (!likers.remove(post + "|" + user)) {
                return false;                                      // did not like: no change
            }
            counts.merge(post, -1L, Long::sum);
            log.add(new Change(id, log.size(), post, -1));
            return true;
        }

        /** Up to max changes from offset on, in log order. */
        synchronized List<Change> read(long offset, int max) {
            int from = (int) Math.min(offset, log.size());
            return List.copyOf(log.subList(from, Math.min(log.size(), from + max)));
        }

        synchronized long count(String post) {
            return counts.getOrDefault(post, 0L);
        }

        synchronized boolean likes(String post, String user) {
            return likers.contains(post + "|" + user);
        }

        synchronized long end() {
            return log.size();
        }
    }
    // end::shard[]

    // tag::route[]
    /** The shard for a (post, user) pair: every like of one post spreads over all shards. */
    static int shardOf(String post, String user, int shards) {
        int h = (post + "|" + user).hashCode();
        h ^= h >>> 16;                       // MurmurHash3's finaliser spreads String.hashCode()
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, shards);
    }
    // end::route[]

    // tag::aggregator[]
    /**
     * Consumes every shard's log in order and keeps the totals. Its cursor (the next offset to fetch)
     * is committed only every {@link #COMMIT_EVERY} changes, as a log consumer commits its offsets;
     * after a restart it fetches again from the committed cursor. The applied offsets are kept with
     * the totals, so the changes fetched twice are recognised and skipped.
     */
    static final class Aggregator implements Runnable {
        static final int BATCH = 512;
        static final int COMMIT_EVERY = 256;
        private static final int STOP = -1;

        private final Shard[] shards;
        private final long[] cursor;            // next offset to fetch, per shard
        private final long[] committed;         // the cursor as last committed
        private final long[] applied;           // next offset to apply; stored with the totals
        private final Map<String, Long> totals = new ConcurrentHashMap<>();
        private final AtomicBoolean[] dirty;    // a shard has changes the aggregator was told about
        private final BlockingQueue<Integer> wakeups = new LinkedBlockingQueue<>();
        private final AtomicReference<CountDownLatch> restart = new AtomicReference<>();
        private long skipped;

        Aggregator(Shard[] shards) {
            this.shards = shards;
            cursor = new long[shards.length];
            committed = new long[shards.length];
            applied = new long[shards.length];
            dirty = new AtomicBoolean[shards.length];
            for (int s = 0; s < shards.length; s++) {
                dirty[s] = new AtomicBoolean();
            }
        }

        /** Called by a writer after its shard appended: one wake-up covers many changes. */
        void changed(int shard) {
            if (dirty[shard].compareAndSet(false, true)) {
                wakeups.add(shard);
            }
        }

        @Override
        public void run() {
            try {
                for (int s = wakeups.take(); s != STOP; s = wakeups.take()) {
                    if (s >= 0) {
                        dirty[s].set(false);    // cleared before reading: a later append wakes again
                        fetch(s);
                    }
                    CountDownLatch done = restart.getAndSet(null);
                    if (done != null) {         // a crash: the cursor falls back to the committed one
                        System.arraycopy(committed, 0, cursor, 0, cursor.length);
                        for (int t = 0; t < shards.length; t++) {
                            fetch(t);
                        }
                        done.countDown();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void fetch(int s) {
            for (List<Change> batch = shards[s].read(cursor[s], BATCH); !batch.isEmpty();
                    batch = shards[s].read(cursor[s], BATCH)) {
                synchronized (this) {
                    batch.forEach(this::apply);
                    notifyAll();
                }
                cursor[s] += batch.size();
                committed[s] = cursor[s] - cursor[s] % COMMIT_EVERY;
            }
        }

        private void apply(Change c) {
            if (c.offset() < applied[c.shard()]) {
                skipped++;                      // applied before: a redelivery
                return;
            }
            if (c.offset() > applied[c.shard()]) {
                throw new IllegalStateException("gap in shard " + c.shard() + " at " + c.offset());
            }
            totals.merge(c.post(), (long) c.delta(), Long::sum);
            applied[c.shard()]++;
        }

        /** What reads are served from: one lookup, as fresh as the aggregator. */
        long total(String post) {
            return totals.getOrDefault(post, 0L);
        }
        // end::aggregator[]

        /** Blocks until every change that was in a log when called has been applied. */
        synchronized void awaitCaughtUp() throws InterruptedException, TimeoutException {
            long[] ends = new long[shards.length];
            for (int s = 0; s < shards.length; s++) {
                ends[s] = shards[s].end();
            }
            for (int waits = 0; !caughtUp(ends); waits++) {
                if (waits == 600) {
                    throw new TimeoutException("aggregator did not catch up");
                }
                wait(100);
            }
        }

        private boolean caughtUp(long[] ends) {
            for (int s = 0; s < ends.length; s++) {
                if (applied[s] < ends[s]) {
                    return false;
                }
            }
            return true;
        }

        /** Simulates a crash and restart; returns after the redelivered changes were handled. */
        void restartFromCommitted() throws InterruptedException, TimeoutException {
            CountDownLatch done = new CountDownLatch(1);
            restart.set(done);
            wakeups.add(-2);                    // a wake-up that names no shard
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new TimeoutException("restart not handled");
            }
        }

        synchronized long skipped() {
            return skipped;
        }

        void stop() {
            wakeups.add(STOP);
        }
    }

    // tag::service[]
    /** The write and read paths. */
    static final class LikeService {
        final Shard[] shards;
        final Aggregator aggregator;

        LikeService(int shardCount) {
            shards = new Shard[shardCount];
            for (int s = 0; s < shardCount; s++) {
                shards[s] = new Shard(s);
            }
            aggregator = new Aggregator(shards);
        }

        boolean like(String post, String user) {
            Shard shard = shards[shardOf(post, user, shards.length)];
            boolean changed = shard.like(post, user);
            if (changed) {
                aggregator.changed(shard.id);
            }
            return changed;
        }

        boolean unlike(String post, String user) {
            Shard shard = shards[shardOf(post, user, shards.length)];
            boolean changed = shard.unlike(post, user);
            if (changed) {
                aggregator.changed(shard.id);
            }
            return changed;
        }

        /** Whether this user likes this post: one shard knows. */
        boolean likes(String post, String user) {
            return shards[shardOf(post, user, shards.length)].likes(post, user);
        }

        /** The normal read: the aggregate, eventually consistent. */
        long count(String post) {
            return aggregator.total(post);
        }

        /** Scatter-gather: asks every shard; fresher, N times the work, still not a snapshot. */
        long countFromShards(String post) {
            long sum = 0;
            for (Shard shard : shards) {
                sum += shard.count(post);
            }
            return sum;
        }
    }
    // end::service[]

    static final int SHARDS = 8;
    static final int WRITERS = 8;
    static final int REQUESTS_PER_WRITER = 5_000;
    static final int USERS = 20_000;
    static final String[] POSTS = {"hot", "p1", "p2", "p3"};

    /** The post and user of request i of a writer: half the requests go to "hot"; users repeat. */
    static String[] request(Random random) {
        String post = random.nextBoolean() ? "hot" : POSTS[1 + random.nextInt(POSTS.length - 1)];
        return new String[] {post, "u" + random.nextInt(USERS)};
    }

    public static void main(String[] args) throws Exception {
        LikeService service = new LikeService(SHARDS);
        Thread aggregatorThread = new Thread(service.aggregator, "aggregator");
        aggregatorThread.start();
        Map<String, AtomicLong> started = new TreeMap<>();
        Map<String, AtomicLong> accepted = new TreeMap<>();
        for (String post : POSTS) {
            started.put(post, new AtomicLong());
            accepted.put(post, new AtomicLong());
        }

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
        CountDownLatch writersDone = new CountDownLatch(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int seed = 42 + w;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                start.await();
                for (int i = 0; i < REQUESTS_PER_WRITER; i++) {
                    String[] r = request(random);
                    started.get(r[0]).incrementAndGet();    // counted before the write begins
                    if (service.like(r[0], r[1])) {
                        accepted.get(r[0]).incrementAndGet();
                    }
                }
                writersDone.countDown();
                return null;
            }));
        }
        Future<Long> reader = pool.submit(() -> {          // reads "hot" while the writes run
            long above = 0;
            start.await();
            do {
                long read = service.count("hot");
                if (read > started.get("hot").get()) {
                    above++;
                }
            } while (writersDone.getCount() > 0);
            return above;
        });
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        long readsAbove = reader.get(60, TimeUnit.SECONDS);
        service.aggregator.awaitCaughtUp();

        System.out.printf(Locale.ROOT, "%d shards, %d writer threads x %,d like requests, 1 aggregator thread%n",
                SHARDS, WRITERS, REQUESTS_PER_WRITER);
        System.out.printf(Locale.ROOT, "%-5s %9s %10s %10s %10s%n", "post", "requests", "new likes", "shard sum", "aggregate");
        for (String post : POSTS) {
            System.out.printf(Locale.ROOT, "%-5s %,9d %,10d %,10d %,10d%n", post, started.get(post).get(),
                    accepted.get(post).get(), service.countFromShards(post), service.count(post));
        }
        System.out.println("reads of \"hot\" during the burst above the likes started: " + readsAbove);

        StringBuilder spread = new StringBuilder();
        for (Shard shard : service.shards) {
            spread.append(String.format(Locale.ROOT, " %,d", shard.count("hot")));
        }
        System.out.println("likes of \"hot\" per shard, shard = hash(post, user):" + spread);
        System.out.printf(Locale.ROOT, "with shard = hash(post) all %,d would sit on shard %d%n",
                service.countFromShards("hot"), Math.floorMod("hot".hashCode(), SHARDS));

        long before = service.count("hot");
        service.aggregator.restartFromCommitted();
        service.aggregator.awaitCaughtUp();
        System.out.printf(Locale.ROOT, "aggregator restart from committed cursors: %,d changes redelivered and skipped,"
                + " \"hot\" still %,d: %b%n", service.aggregator.skipped(), service.count("hot"), service.count("hot") == before);

        long removed = 0;
        long unchanged = 0;
        for (int u = 0; u < 2_000; u++) {
            for (int twice = 0; twice < 2; twice++) {
                if (service.unlike("hot", "u" + u)) {
                    removed++;
                } else {
                    unchanged++;
                }
            }
        }
        service.aggregator.awaitCaughtUp();
        System.out.printf(Locale.ROOT, "unlike \"hot\" twice for each of u0..u1999: %,d removed, %,d changed nothing;"
                + " aggregate %,d = shard sum %,d%n", removed, unchanged, service.count("hot"), service.countFromShards("hot"));

        service.aggregator.stop();
        aggregatorThread.join(60_000);
        pool.shutdown();
    }
}
