import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link ForkJoinSum} to the page's claims: the fork/join sum equals the sequential sum for any size,
 * threshold and pool; the number of leaf tasks is a function of size and threshold only, between ceil(n/t)
 * and n/floor((t+1)/2); the owner of a deque takes its newest task and a thief its oldest, which in a
 * recursive split is the largest; the forced steal happens on every run; with one worker, a plain wait
 * leaves the forked task unrun while a managed wait lets a spare worker steal it; parallel streams run in
 * the common pool and the calling thread.
 *
 * <p>No assertion depends on timing. Waits that should end are bounded (a broken example fails, never
 * hangs); the one wait that must run out proves something that holds however long it lasts.
 */
class ForkJoinSumTest {

    private static long sequential(int[] values) {
        long sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum;
    }

    /* --------------- Divide and conquer --------------- */

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Timeout(60)
    class DivideAndConquer {

        private ForkJoinPool two;
        private ForkJoinPool four;

        @BeforeAll
        void pools() {
            two = new ForkJoinPool(2);
            four = new ForkJoinPool(4);
        }

        @AfterAll
        void shutdown() {
            two.shutdownNow();
            four.shutdownNow();
        }

        @ParameterizedTest(name = "n = {0}, threshold = {1}")
        @CsvSource({
                "0, 1", "1, 1", "2, 1", "3, 1", "7, 2", "1000, 1000", "999, 1000", "1001, 1000",
                "12345, 1000", "12345, 7", "100003, 5000", "65536, 4096", "1000000, 10000", "1000000, 999999",
        })
        void parallelSumEqualsSequentialSum(int n, int threshold) {
            int[] values = ForkJoinSum.values(n, n + 17L);
            long expected = sequential(values);
            assertEquals(expected, new ForkJoinSum.SequentialSum().sum(values));
            assertEquals(expected, new ForkJoinSum.ForkJoinArraySum(two, threshold).sum(values));
            assertEquals(expected, new ForkJoinSum.ForkJoinArraySum(four, threshold).sum(values));
            assertEquals(expected, new ForkJoinSum.ForkJoinArraySum(ForkJoinPool.commonPool(), threshold).sum(values));
        }

        @Test
        void negativeValuesAndLargeSumsDoNotOverflow() {
            int[] values = new int[5_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i % 2 == 0) ? Integer.MAX_VALUE : Integer.MIN_VALUE + 3;
            }
            long expected = sequential(values);
            assertEquals(expected, new ForkJoinSum.ForkJoinArraySum(two, 3).sum(values));
        }

        @ParameterizedTest(name = "n = {0}, threshold = {1}")
        @CsvSource({
                "0, 1", "1, 1", "5, 8", "8, 8", "9, 8", "63, 8", "64, 8", "65, 8", "1000, 3", "12345, 1000",
                "100003, 5000", "10000000, 10000000", "10000000, 100000", "10000000, 10000", "10000000, 1000",
        })
        void leafTasksDependOnSizeAndThresholdOnly(int n, int threshold) {
            int[] values = new int[n];
            long predicted = ForkJoinSum.leafCount(n, threshold);
            for (ForkJoinPool pool : List.of(two, four)) {
                ForkJoinSum.ForkJoinArraySum sum = new ForkJoinSum.ForkJoinArraySum(pool, threshold);
                sum.sum(values);
                assertEquals(predicted, sum.leaves(), "leaves counted in a pool of " + pool.getParallelism());
            }
            assertTrue(predicted >= ForkJoinSum.minLeaves(n, threshold), "at least ceil(n/t): " + predicted);
            assertTrue(predicted <= ForkJoinSum.maxLeaves(n, threshold), "at most n/floor((t+1)/2): " + predicted);
        }

        @Test
        void leafCountMatchesAnIndependentCountOfTheSplitTree() {
            // Level by level, as a multiset of sizes: each size above t becomes floor and ceil of its half.
            for (int n = 0; n <= 5_000; n += 37) {
                for (int t = 1; t <= 600; t += 13) {
                    Map<Integer, Long> level = Map.of(n, 1L);
                    long leaves = 0;
                    while (!level.isEmpty()) {
                        Map<Integer, Long> next = new TreeMap<>();
                        for (Map.Entry<Integer, Long> e : level.entrySet()) {
                            int size = e.getKey();
                            if (size <= t) {
                                leaves += e.getValue();
                            } else {
                                next.merge(size / 2, e.getValue(), Long::sum);
                                next.merge(size - size / 2, e.getValue(), Long::sum);
                            }
                        }
                        level = next;
                    }
                    assertEquals(leaves, ForkJoinSum.leafCount(n, t), "n = " + n + ", t = " + t);
                }
            }
            assertEquals(3, ForkJoinSum.leafCount(9, 4), "9 splits into 4 and 5; only the 5 splits again");
            assertEquals(1024, ForkJoinSum.leafCount(10_000_000, 10_000));
        }

        @Test
        void belowTheThresholdNothingIsForked() {
            for (int n : new int[] {0, 1, 500, 1000}) {
                ForkJoinSum.ForkJoinArraySum sum = new ForkJoinSum.ForkJoinArraySum(two, 1000);
                sum.sum(new int[n]);
                assertEquals(1, sum.leaves(), "one task, the plain loop, for n = " + n);
            }
        }

        @Test
        void thresholdMustBePositive() {
            assertThrows(IllegalArgumentException.class, () -> new ForkJoinSum.ForkJoinArraySum(two, 0));
        }
    }

    /* --------------- The work-stealing deque --------------- */

    @Nested
    class WorkStealingDeque {

        @Test
        void ownerPopsNewestAndThiefStealsOldest() {
            ForkJoinSum.WorkDeque<Integer> deque = new ForkJoinSum.WorkDeque<>(Thread.currentThread());
            for (int i = 1; i <= 5; i++) {
                deque.push(i);
            }
            assertEquals(5, deque.pop());
            assertEquals(1, deque.steal());
            assertEquals(4, deque.pop());
            assertEquals(2, deque.steal());
            assertEquals(List.of(3), deque.baseToTop());
            assertEquals(3, deque.steal());
            assertNull(deque.pop());
            assertNull(deque.steal());
        }

        @Test
        void onlyTheOwnerPushesAndPops() throws Exception {
            ForkJoinSum.WorkDeque<Integer> deque = new ForkJoinSum.WorkDeque<>(Thread.currentThread());
            deque.push(1);
            try (ExecutorService other = Executors.newSingleThreadExecutor()) {
                Future<?> push = other.submit(() -> deque.push(2));
                Future<?> pop = other.submit(deque::pop);
                Future<Integer> steal = other.submit(deque::steal);
                assertThrows(Exception.class, () -> push.get(10, TimeUnit.SECONDS));
                assertThrows(Exception.class, () -> pop.get(10, TimeUnit.SECONDS));
                assertEquals(1, steal.get(10, TimeUnit.SECONDS), "anyone may steal");
            }
        }

        @ParameterizedTest(name = "[0, {0}) with threshold {1}")
        @CsvSource({"64, 8", "1000, 10", "10000000, 10000", "17, 1"})
        void aRecursiveSplitLeavesTheLargestTaskAtTheBase(int n, int threshold) {
            ForkJoinSum.WorkDeque<ForkJoinSum.Range> deque = new ForkJoinSum.WorkDeque<>(Thread.currentThread());
            ForkJoinSum.Range leaf = ForkJoinSum.descend(new ForkJoinSum.Range(0, n), threshold, deque);
            List<ForkJoinSum.Range> held = deque.baseToTop();
            assertTrue(leaf.size() <= threshold);
            for (int i = 1; i < held.size(); i++) {
                assertTrue(held.get(i).size() <= held.get(i - 1).size(), "sizes shrink from base to top: " + held);
            }
            // The held ranges and the running leaf tile [0, n) exactly.
            int covered = leaf.size();
            for (ForkJoinSum.Range range : held) {
                covered += range.size();
            }
            assertEquals(n, covered);
            int largest = held.stream().mapToInt(ForkJoinSum.Range::size).max().orElseThrow();
            int smallest = held.stream().mapToInt(ForkJoinSum.Range::size).min().orElseThrow();
            ForkJoinSum.Range popped = deque.pop();
            ForkJoinSum.Range stolen = deque.steal();
            assertEquals(held.get(held.size() - 1), popped, "the owner takes the newest task");
            assertEquals(smallest, popped.size(), "which is a smallest one");
            assertEquals(held.get(0), stolen, "a thief takes the oldest task");
            assertEquals(largest, stolen.size(), "which is the largest one");
        }

        @Test
        void thePageExample() {
            ForkJoinSum.WorkDeque<ForkJoinSum.Range> deque = new ForkJoinSum.WorkDeque<>(Thread.currentThread());
            ForkJoinSum.Range leaf = ForkJoinSum.descend(new ForkJoinSum.Range(0, 64), 8, deque);
            assertEquals(new ForkJoinSum.Range(56, 64), leaf);
            assertEquals(List.of(new ForkJoinSum.Range(0, 32), new ForkJoinSum.Range(32, 48),
                    new ForkJoinSum.Range(48, 56)), deque.baseToTop());
        }

        @RepeatedTest(10)
        @Timeout(60)
        void underConcurrencyEveryTaskIsTakenOnceAndTheTwoEndsNeverCross() throws Exception {
            int tasks = 20_000;
            int thieves = 3;
            CompletableFuture<ForkJoinSum.WorkDeque<Integer>> filled = new CompletableFuture<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Integer> popped;
            List<List<Integer>> stolen = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(thieves + 1)) {
                Future<List<Integer>> owner = threads.submit(() -> {
                    ForkJoinSum.WorkDeque<Integer> deque = new ForkJoinSum.WorkDeque<>(Thread.currentThread());
                    for (int i = 0; i < tasks; i++) {
                        deque.push(i);
                    }
                    filled.complete(deque);
                    go.await(30, TimeUnit.SECONDS);
                    List<Integer> mine = new ArrayList<>();
                    for (Integer task; (task = deque.pop()) != null; ) {
                        mine.add(task);
                    }
                    return mine;
                });
                List<Future<List<Integer>>> thiefRuns = new ArrayList<>();
                for (int t = 0; t < thieves; t++) {
                    thiefRuns.add(threads.submit(() -> {
                        ForkJoinSum.WorkDeque<Integer> deque = filled.get(30, TimeUnit.SECONDS);
                        go.await(30, TimeUnit.SECONDS);
                        List<Integer> mine = new ArrayList<>();
                        for (Integer task; (task = deque.steal()) != null; ) {
                            mine.add(task);
                        }
                        return mine;
                    }));
                }
                filled.get(30, TimeUnit.SECONDS);
                go.countDown();
                popped = owner.get(30, TimeUnit.SECONDS);
                for (Future<List<Integer>> run : thiefRuns) {
                    stolen.add(run.get(30, TimeUnit.SECONDS));
                }
            }
            Set<Integer> seen = new HashSet<>();
            for (int i = 1; i < popped.size(); i++) {
                assertTrue(popped.get(i) < popped.get(i - 1), "the owner takes newest first");
            }
            popped.forEach(task -> assertTrue(seen.add(task), "taken twice: " + task));
            int highestStolen = -1;
            for (List<Integer> mine : stolen) {
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i) > mine.get(i - 1), "each thief takes oldest first");
                }
                for (Integer task : mine) {
                    assertTrue(seen.add(task), "taken twice: " + task);
                    highestStolen = Math.max(highestStolen, task);
                }
            }
            assertEquals(tasks, seen.size(), "every task taken");
            int lowestPopped = popped.isEmpty() ? tasks : Collections.min(popped);
            assertTrue(highestStolen < lowestPopped, "thieves work from the base, the owner from the top");
        }
    }

    /* --------------- A steal, forced --------------- */

    @Nested
    @Timeout(60)
    class ForcedSteal {

        private final int[] values = ForkJoinSum.values(100_000, ForkJoinSum.SEED);
        private final long expected = sequential(values);

        @RepeatedTest(20)
        void withTwoWorkersTheForkedTaskIsStolenEveryTime() {
            ForkJoinSum.Report report = ForkJoinSum.forcedSteal(values);
            assertTrue(report.bFinishedWhileAWaited(), "B finished while the forking worker was busy in A");
            assertTrue(report.bRanOnAnotherWorker(), "B ran on a worker other than the one that forked it");
            assertTrue(report.stolen());
            assertTrue(report.poolStealCountAboveZero());
            assertEquals(expected, report.sum());
        }

        @RepeatedTest(3)
        void withOneWorkerAndAPlainWaitNobodyCanStealIt() {
            ForkJoinSum.Report report = ForkJoinSum.forkThenWait(1, ForkJoinSum.Waiting.PLAIN_AWAIT,
                    ForkJoinSum.NO_THIEF_WAIT_MILLIS, values);
            assertFalse(report.bFinishedWhileAWaited(), "no other thread exists to run B while A waits");
            assertFalse(report.bRanOnAnotherWorker(), "B ran later, on A's worker, when A joined it");
            assertFalse(report.stolen());
            assertEquals(expected, report.sum());
            // The pool still reports a steal: it counts the submitted parent task, taken by a worker from the
            // submission queue. The counter alone proves nothing about B.
            assertTrue(report.poolStealCountAboveZero());
        }

        @RepeatedTest(10)
        void withOneWorkerAManagedBlockLetsASpareWorkerStealIt() {
            ForkJoinSum.Report report = ForkJoinSum.forkThenWait(1, ForkJoinSum.Waiting.MANAGED_BLOCK,
                    ForkJoinSum.LIMIT_SECONDS * 1000, values);
            assertTrue(report.bFinishedWhileAWaited());
            assertTrue(report.bRanOnAnotherWorker());
            assertTrue(report.stolen());
            assertEquals(expected, report.sum());
        }

        @Test
        void aManagedBlockerThatIsAlreadyReleasableDoesNotBlock() throws Exception {
            CountDownLatch open = new CountDownLatch(0);
            ForkJoinSum.LatchBlocker blocker = new ForkJoinSum.LatchBlocker(open, 1);
            assertTrue(blocker.isReleasable());
            assertTrue(blocker.block());
        }
    }

    /* --------------- Common pool and parallel streams --------------- */

    @Nested
    @Timeout(60)
    class CommonPool {

        @Test
        void aParallelStreamRunsInTheCommonPoolAndTheCallingThread() {
            Thread caller = Thread.currentThread();
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            long sum = IntStream.range(0, 200_000).parallel().peek(i -> threads.add(Thread.currentThread()))
                    .asLongStream().sum();
            assertEquals(199_999L * 200_000L / 2, sum);
            for (Thread thread : threads) {
                boolean commonWorker = thread instanceof ForkJoinWorkerThread worker
                        && worker.getPool() == ForkJoinPool.commonPool();
                assertTrue(thread == caller || commonWorker, "ran on " + thread);
            }
        }

        @Test
        void aParallelStreamStartedInsideADedicatedPoolStaysThere() throws Exception {
            // Implementation behaviour, not a documented guarantee: the stream's tasks fork into the pool of
            // the worker that starts it.
            ForkJoinPool pool = new ForkJoinPool(2);
            try {
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                long sum = pool.submit(() -> IntStream.range(0, 200_000).parallel()
                        .peek(i -> threads.add(Thread.currentThread())).asLongStream().sum())
                        .get(30, TimeUnit.SECONDS);
                assertEquals(199_999L * 200_000L / 2, sum);
                for (Thread thread : threads) {
                    assertTrue(thread instanceof ForkJoinWorkerThread worker && worker.getPool() == pool,
                            "ran on " + thread);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /* --------------- Amdahl --------------- */

    @ParameterizedTest(name = "serial fraction {0}")
    @ValueSource(doubles = {0.01, 0.1, 0.25, 0.5})
    void amdahlSpeedupGrowsWithWorkersButStaysBelowOneOverTheSerialFraction(double serial) {
        assertEquals(1.0, ForkJoinSum.amdahlSpeedup(serial, 1), 1e-12);
        double previous = 1.0;
        for (int workers = 2; workers <= 1 << 16; workers *= 2) {
            double speedup = ForkJoinSum.amdahlSpeedup(serial, workers);
            assertTrue(speedup > previous, "more workers help a little");
            assertTrue(speedup < 1 / serial, "never reaches 1/s");
            assertTrue(speedup <= workers, "never more than the workers");
            previous = speedup;
        }
    }
}
