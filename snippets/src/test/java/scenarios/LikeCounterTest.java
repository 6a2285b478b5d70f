import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link LikeCounter} to what its page says, with real threads: once the aggregator has caught
 * up, every post's total equals the likes written, on the shards and in the aggregate; a read taken
 * during the burst is never above the number of likes whose write had started before the read
 * returned (a race-free upper bound on the truth), and successive reads never go down; changes
 * redelivered after an aggregator restart are skipped, not counted twice; a repeated like or
 * unlike changes nothing however many threads send it; and a hot post's likes spread over every
 * shard.
 */
class LikeCounterTest {

    private static final int THREADS = 16;
    private static final int LIKES_PER_THREAD = 10_000;
    private static final String[] POSTS = {"hot", "p1", "p2", "p3"};

    /** Post of a thread's i-th like: half go to "hot", the rest round the other posts. */
    private static String postOf(int i) {
        return i % 2 == 0 ? "hot" : POSTS[1 + (i / 2) % 3];
    }

    private static Thread startAggregator(LikeCounter.LikeService service) {
        Thread thread = new Thread(service.aggregator, "aggregator");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(LikeCounter.LikeService service, Thread aggregator) throws InterruptedException {
        service.aggregator.stop();
        aggregator.join(60_000);
    }

    @RepeatedTest(3)
    void concurrentLikesSettleToTheExactTotalAndReadsNeverExceedTheLikesStarted() throws Exception {
        LikeCounter.LikeService service = new LikeCounter.LikeService(8);
        Thread aggregator = startAggregator(service);
        Map<String, AtomicLong> started = new TreeMap<>();
        for (String post : POSTS) {
            started.put(post, new AtomicLong());
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
        CyclicBarrier go = new CyclicBarrier(THREADS + 2);
        CountDownLatch writing = new CountDownLatch(THREADS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(pool.submit((Callable<Void>) () -> {
                go.await();
                for (int i = 0; i < LIKES_PER_THREAD; i++) {
                    String post = postOf(i);
                    started.get(post).incrementAndGet();          // before the write can be seen
                    assertTrue(service.like(post, "t" + thread + "-u" + i), "a first like is new");
                    if (thread == 0 && i % 2_500 == 2_499) {      // crash the aggregator mid-burst
                        service.aggregator.restartFromCommitted();
                    }
                }
                writing.countDown();
                return null;
            }));
        }
        List<Future<long[]>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(pool.submit(() -> {
                long[] last = new long[POSTS.length];
                long samples = 0;
                go.await();
                do {
                    for (int p = 0; p < POSTS.length; p++) {
                        long read = service.count(POSTS[p]);
                        long upper = started.get(POSTS[p]).get();  // read after the count returned
                        assertTrue(read <= upper, () -> "read " + read + " above the " + upper + " likes started");
                        assertTrue(read >= last[p], () -> "a read went down: " + read);
                        last[p] = read;
                        samples++;
                    }
                } while (writing.getCount() > 0);
                return new long[] {samples};
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        for (Future<long[]> reader : readers) {
            assertTrue(reader.get(60, TimeUnit.SECONDS)[0] > 0);
        }
        service.aggregator.awaitCaughtUp();

        Map<String, Long> written = new TreeMap<>();                // worked out again, single-threaded
        for (int i = 0; i < LIKES_PER_THREAD; i++) {
            written.merge(postOf(i), (long) THREADS, Long::sum);
        }
        long perPostHot = written.get("hot");
        for (String post : POSTS) {
            long expected = written.get(post);
            assertEquals(expected, started.get(post).get());
            assertEquals(expected, service.countFromShards(post), post + " on the shards");
            assertEquals(expected, service.count(post), post + " in the aggregate");
        }

        // A restart after the burst redelivers exactly what each shard had past its last commit.
        long redelivered = 0;
        for (LikeCounter.Shard shard : service.shards) {
            redelivered += shard.end() % LikeCounter.Aggregator.COMMIT_EVERY;
        }
        assertTrue(redelivered > 0, "the workload must leave uncommitted changes to redeliver");
        long skippedBefore = service.aggregator.skipped();
        service.aggregator.restartFromCommitted();
        service.aggregator.awaitCaughtUp();
        assertEquals(redelivered, service.aggregator.skipped() - skippedBefore);
        assertEquals(perPostHot, service.count("hot"), "redelivered changes are not counted again");
        stop(service, aggregator);
        pool.shutdownNow();
    }

    @RepeatedTest(3)
    void aRepeatedLikeFromManyThreadsCountsOnce() throws Exception {
        LikeCounter.LikeService service = new LikeCounter.LikeService(8);
        Thread aggregator = startAggregator(service);
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 10_000; u++) {
            users.add("u" + u);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier go = new CyclicBarrier(THREADS);
        AtomicLong accepted = new AtomicLong();
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<String> order = new ArrayList<>(users);
            Collections.shuffle(order, new Random(t));
            all.add(pool.submit((Callable<Void>) () -> {
                go.await();
                for (String user : order) {
                    if (service.like("hot", user)) {
                        accepted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        service.aggregator.awaitCaughtUp();
        assertEquals(users.size(), accepted.get(), "exactly one like per user is new");
        assertEquals(users.size(), service.countFromShards("hot"));
        assertEquals(users.size(), service.count("hot"));
        stop(service, aggregator);
        pool.shutdownNow();
    }

    @RepeatedTest(3)
    void concurrentLikesAndUnlikesOfTheSamePairsStayConsistent() throws Exception {
        LikeCounter.LikeService service = new LikeCounter.LikeService(8);
        Thread aggregator = startAggregator(service);
        int pairs = 300;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier go = new CyclicBarrier(THREADS);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(100 + t);
            all.add(pool.submit((Callable<Void>) () -> {
                go.await();
                for (int i = 0; i < 5_000; i++) {
                    String user = "u" + random.nextInt(pairs);
                    if (random.nextBoolean()) {
                        service.like("hot", user);
                    } else {
                        service.unlike("hot", user);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        service.aggregator.awaitCaughtUp();
        long liking = 0;
        for (int u = 0; u < pairs; u++) {
            if (service.likes("hot", "u" + u)) {
                liking++;
            }
        }
        assertEquals(liking, service.countFromShards("hot"), "each shard's count matches its like set");
        assertEquals(liking, service.count("hot"), "the aggregate matches the like sets");
        stop(service, aggregator);
        pool.shutdownNow();
    }

    @Test
    void aHotPostsLikesSpreadOverEveryShard() {
        int shards = 8;
        int likes = 80_000;
        int[] perShard = new int[shards];
        for (int u = 0; u < likes; u++) {
            perShard[LikeCounter.shardOf("hot", "u" + u, shards)]++;
        }
        // Binomial(80,000, 1/8): standard deviation sqrt(n p (1 - p)) = 93.5; allow 6 of them.
        double mean = likes / (double) shards;
        double bound = 6 * Math.sqrt(likes * (1.0 / shards) * (1 - 1.0 / shards));
        for (int count : perShard) {
            assertTrue(Math.abs(count - mean) <= bound, () -> count + " is far from " + mean);
        }
    }

    @Test
    void theExampleReportsItsInvariantsHeld() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LikeCounter.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("during the burst above the likes started: 0"), out);
        assertTrue(out.contains("skipped, \"hot\" still") && out.contains(": true"), out);
        for (String line : out.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 5 && List.of(POSTS).contains(cells[0])) {
                assertEquals(cells[2], cells[3], "shard sum is the new likes: " + line);
                assertEquals(cells[2], cells[4], "aggregate is the new likes: " + line);
            }
        }
        String last = out.lines().filter(l -> l.startsWith("unlike")).findFirst().orElseThrow();
        String[] parts = last.split("aggregate ")[1].split(" = shard sum ");
        assertEquals(parts[0].trim(), parts[1].trim(), last);
    }
}
