import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fork/join divide and conquer, and the work stealing that schedules it.
 *
 * <p><b>Divide and conquer.</b> {@link SumTask} sums a range of an array: a range no longer than the
 * sequential threshold is summed with a plain loop; a longer one is split in half, the left half is
 * forked (pushed onto the current worker's deque, where an idle worker may steal it), the right half is
 * computed in the current thread, and then the left half is joined. The threshold bounds the number of
 * tasks: with halving, the leaves number between ceil(n/t) and n/floor((t+1)/2), a function of n and t
 * only. The trade-off: a small threshold exposes more parallelism and costs more task overhead; a large
 * one the reverse. Below the threshold no task is forked at all.
 *
 * <p><b>Work stealing.</b> Each worker owns a double-ended queue. It pushes the tasks it forks onto one
 * end and pops them from the same end (LIFO: the newest, smallest, cache-warm task first); a worker with
 * nothing to do steals from the other end of someone else's deque (FIFO: the oldest task, which in a
 * recursive split is the largest). {@link WorkDeque} models that discipline with a lock; the JDK's
 * ForkJoinPool uses lock-free deques after Chase and Lev. The trade-off: no central queue to contend on
 * and good locality, but stealing only pays when there is enough parallel slack and the tasks do not
 * block.
 *
 * <p><b>Proof of a steal without timings.</b> {@link ForkThenWait} forks task B and then runs task A in
 * the same worker; A waits on a latch that only B counts down. The forking worker is busy in A, so B can
 * run before A's wait ends only if another thread takes B from that worker's deque: a steal. Waits are
 * bounded, so a run in which nobody steals fails (or, where that is the point, reports it) instead of
 * hanging. {@link LatchBlocker} shows the same wait through {@link ForkJoinPool.ManagedBlocker}, which
 * lets the pool add a spare worker while one blocks.
 *
 * <p>Sources: R. D. Blumofe and C. E. Leiserson, "Scheduling Multithreaded Computations by Work
 * Stealing", Journal of the ACM 46(5), 1999; D. Lea, "A Java Fork/Join Framework", ACM Java Grande 2000;
 * D. Chase and Y. Lev, "Dynamic Circular Work-Stealing Deque", SPAA 2005; the JDK's ForkJoinPool and
 * ForkJoinTask documentation; G. M. Amdahl, AFIPS Spring Joint Computer Conference, 1967.
 */
public class ForkJoinSum {

    /* --------------- Divide and conquer --------------- */

    // tag::sum[]
    /** Sums an array of ints. One implementation per strategy. */
    interface ArraySum {
        long sum(int[] values);
    }

    /** The plain loop over [from, to): the baseline, and what every leaf task runs. */
    static long sumRange(int[] values, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** One thread, one loop. */
    static final class SequentialSum implements ArraySum {
        @Override
        public long sum(int[] values) {
            return sumRange(values, 0, values.length);
        }
    }
    // end::sum[]

    // tag::task[]
    /**
     * Sums [from, to). At or below the threshold: a plain loop, no more tasks. Above it: fork the left
     * half, compute the right half here, then join the left half. Counts the leaves it runs, so that the
     * test can check that the threshold alone decides how many tasks there are.
     */
    static final class SumTask extends RecursiveTask<Long> {
        private final int[] values;
        private final int from;
        private final int to;
        private final int threshold;
        private final LongAdder leaves;

        SumTask(int[] values, int from, int to, int threshold, LongAdder leaves) {
            this.values = values;
            this.from = from;
            this.to = to;
            this.threshold = threshold;
            this.leaves = leaves;
        }

        @Override
        protected Long compute() {
            if (to - from <= threshold) {
                leaves.increment();
                return sumRange(values, from, to);       // small enough: splitting would cost more
            }
            int mid = (from + to) >>> 1;
            SumTask left = new SumTask(values, from, mid, threshold, leaves);
            SumTask right = new SumTask(values, mid, to, threshold, leaves);
            left.fork();                                 // onto this worker's deque: a thief may take it
            long rightSum = right.compute();             // meanwhile, this thread does the other half
            long leftSum = left.join();                  // not stolen: popped and run here; stolen: help or wait
            return leftSum + rightSum;
        }
    }

    /** Runs a SumTask in a given pool. The result never depends on the pool's size or on who stole what. */
    static final class ForkJoinArraySum implements ArraySum {
        private final ForkJoinPool pool;
        private final int threshold;
        private final LongAdder leaves = new LongAdder();

        ForkJoinArraySum(ForkJoinPool pool, int threshold) {
            if (threshold < 1) {
                throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
            }
            this.pool = pool;
            this.threshold = threshold;
        }

        @Override
        public long sum(int[] values) {
            return pool.invoke(new SumTask(values, 0, values.length, threshold, leaves));
        }

        /** Leaf tasks run so far, over every call. */
        long leaves() {
            return leaves.sum();
        }
    }
    // end::task[]

    // tag::leaves[]
    /** The leaves SumTask creates for n values and threshold t: 1 if n <= t, else the leaves of both halves. */
    static long leafCount(int n, int threshold) {
        if (n <= threshold) {
            return 1;
        }
        int half = n >>> 1;
        return leafCount(half, threshold) + leafCount(n - half, threshold);
    }
    // end::leaves[]

    /** Every leaf of a split of more than t values is longer than t/2, hence at most n/floor((t+1)/2) leaves. */
    static long maxLeaves(int n, int threshold) {
        return n <= threshold ? 1 : n / ((threshold + 1) / 2);
    }

    static long minLeaves(int n, int threshold) {
        return Math.max(1, (n + (long) threshold - 1) / threshold);
    }

    /* --------------- The work-stealing deque --------------- */

    // tag::deque[]
    /**
     * A worker's deque, modelled. Only the owner pushes and pops, both at the top, so it runs its newest
     * task first (LIFO). Any other thread steals at the base and so takes the oldest task (FIFO). A lock
     * keeps the model short; the JDK's deques are lock-free, and the two ends meet only when one task is left.
     */
    static final class WorkDeque<T> {
        private final ArrayDeque<T> tasks = new ArrayDeque<>();  // first = base (oldest), last = top (newest)
        private final Thread owner;

        WorkDeque(Thread owner) {
            this.owner = owner;
        }

        synchronized void push(T task) {
            requireOwner("push");
            tasks.addLast(task);
        }

        synchronized T pop() {
            requireOwner("pop");
            return tasks.pollLast();                     // the owner's end: newest first
        }

        synchronized T steal() {
            return tasks.pollFirst();                    // the other end: oldest first
        }

        synchronized List<T> baseToTop() {
            return List.copyOf(tasks);
        }

        private void requireOwner(String operation) {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("only the owning worker may " + operation);
            }
        }
    }

    /** The half-open range of indexes [from, to). */
    record Range(int from, int to) {
        int size() {
            return to - from;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[%d, %d)", from, to);
        }
    }

    /**
     * What one worker's deque holds while it runs SumTask on a range and nobody steals: each level forks
     * its left half (a push) and goes on with its right half, down to a leaf, which it returns.
     */
    static Range descend(Range range, int threshold, WorkDeque<Range> deque) {
        while (range.size() > threshold) {
            int mid = (range.from() + range.to()) >>> 1;
            deque.push(new Range(range.from(), mid));    // left.fork()
            range = new Range(mid, range.to());          // right.compute()
        }
        return range;
    }
    // end::deque[]

    /* --------------- A steal, forced --------------- */

    // tag::waiting[]
    /** How task A waits for task B: unseen by the pool, or through a ManagedBlocker that the pool sees. */
    enum Waiting {
        PLAIN_AWAIT {
            @Override
            boolean await(CountDownLatch latch, long millis) throws InterruptedException {
                return latch.await(millis, TimeUnit.MILLISECONDS);
            }
        },
        MANAGED_BLOCK {
            @Override
            boolean await(CountDownLatch latch, long millis) throws InterruptedException {
                ForkJoinPool.managedBlock(new LatchBlocker(latch, millis));
                return latch.getCount() == 0;
            }
        };

        /** Returns true if the latch opened, false if the wait ran out first. */
        abstract boolean await(CountDownLatch latch, long millis) throws InterruptedException;
    }

    /**
     * A latch wait the pool knows about. Before blocking, ForkJoinPool.managedBlock may activate or create
     * a spare worker, so that the pool keeps its parallelism while this one waits.
     */
    static final class LatchBlocker implements ForkJoinPool.ManagedBlocker {
        private final CountDownLatch latch;
        private final long millis;

        LatchBlocker(CountDownLatch latch, long millis) {
            this.latch = latch;
            this.millis = millis;
        }

        @Override
        public boolean block() throws InterruptedException {
            latch.await(millis, TimeUnit.MILLISECONDS);
            return true;                                 // done waiting: opened or timed out
        }

        @Override
        public boolean isReleasable() {
            return latch.getCount() == 0;                // no need to block at all
        }
    }
    // end::waiting[]

    // tag::forced-steal[]
    /** What the parent task saw: the threads that ran A and B, and whether B finished while A still waited. */
    record Observation(Thread a, Thread b, boolean bFinishedWhileAWaited, long sum) {
    }

    /**
     * Forks B (the upper half's sum), then runs A (the lower half's sum) in the same worker. A first waits
     * for B. B sits on this worker's own deque and this worker is busy in A, so if B finishes during the
     * wait, another thread took it from this deque: by definition, a steal.
     */
    static final class ForkThenWait extends RecursiveTask<Observation> {
        private final int[] values;
        private final Waiting waiting;
        private final long waitMillis;

        ForkThenWait(int[] values, Waiting waiting, long waitMillis) {
            this.values = values;
            this.waiting = waiting;
            this.waitMillis = waitMillis;
        }

        @Override
        protected Observation compute() {
            int mid = values.length / 2;
            CountDownLatch bFinished = new CountDownLatch(1);
            AtomicReference<Thread> bThread = new AtomicReference<>();
            ForkJoinTask<Long> b = ForkJoinTask.adapt(() -> {
                bThread.set(Thread.currentThread());
                long upper = sumRange(values, mid, values.length);
                bFinished.countDown();                   // the only thing that releases A
                return upper;
            });
            b.fork();                                    // B: onto this worker's deque
            boolean finishedInTime;
            try {
                finishedInTime = waiting.await(bFinished, waitMillis);  // A: this worker is busy here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for B", e);
            }
            long lower = sumRange(values, 0, mid);
            long upper = b.join();                       // if nobody took B, this worker runs it now
            return new Observation(Thread.currentThread(), bThread.get(), finishedInTime, lower + upper);
        }
    }
    // end::forced-steal[]

    // tag::report[]
    /** One run's facts. B was stolen if it finished while A waited, on another worker of the same pool. */
    record Report(int parallelism, Waiting waiting, boolean bFinishedWhileAWaited, boolean bRanOnAnotherWorker,
                  boolean poolStealCountAboveZero, long sum) {
        boolean stolen() {
            return bFinishedWhileAWaited && bRanOnAnotherWorker;
        }
    }

    /** Runs ForkThenWait in a fresh pool of the given parallelism and reports what happened. */
    static Report forkThenWait(int parallelism, Waiting waiting, long waitMillis, int[] values) {
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            Observation seen = pool.invoke(new ForkThenWait(values, waiting, waitMillis));
            if (!(seen.a() instanceof ForkJoinWorkerThread a && a.getPool() == pool)) {
                throw new IllegalStateException("A did not run on a worker of the pool");
            }
            // Steal counts are updated as workers finish; quiescence makes the count complete.
            if (!pool.awaitQuiescence(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pool did not become quiescent");
            }
            boolean anotherWorker = seen.b() != seen.a()
                    && seen.b() instanceof ForkJoinWorkerThread b && b.getPool() == pool;
            return new Report(parallelism, waiting, seen.bFinishedWhileAWaited(), anotherWorker,
                    pool.getStealCount() > 0, seen.sum());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two workers, A waits with a plain latch: B can only run if the second worker steals it. */
    static Report forcedSteal(int[] values) {
        Report report = forkThenWait(2, Waiting.PLAIN_AWAIT, LIMIT_SECONDS * 1000, values);
        if (!report.stolen()) {
            throw new IllegalStateException("B was not stolen within " + LIMIT_SECONDS + " s: " + report);
        }
        return report;
    }
    // end::report[]

    static final long LIMIT_SECONDS = 10;
    /** How long A waits where no thief can exist. Any length gives the same answer; it only costs time. */
    static final long NO_THIEF_WAIT_MILLIS = 100;

    /* --------------- When parallelism does not pay --------------- */

    // tag::amdahl[]
    /** Amdahl's law: the best speedup on n workers when a fraction s of the work must run serially. */
    static double amdahlSpeedup(double serialFraction, int workers) {
        return 1.0 / (serialFraction + (1.0 - serialFraction) / workers);
    }
    // end::amdahl[]

    /* --------------- Demo --------------- */

    static final int SIZE = 10_000_000;
    static final long SEED = 1999;
    static final int POOL_SIZE = 4;
    static final int[] THRESHOLDS = {SIZE, 100_000, 10_000, 1_000};

    /** SIZE values in [0, 1000) from a fixed seed, so every run sums the same array. */
    static int[] values(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextInt(1_000);
        }
        return values;
    }

    public static void main(String[] args) {
        int[] values = values(SIZE, SEED);
        long sequential = new SequentialSum().sum(values);
        long stream = Arrays.stream(values).asLongStream().parallel().sum();   // runs in the common pool
        System.out.println(String.format(Locale.ROOT,
                "%,d values in [0, 1000), seed %d; fork/join pool of %d workers", SIZE, SEED, POOL_SIZE));
        System.out.println(String.format(Locale.ROOT, "sequential loop: %,d", sequential));
        System.out.println(String.format(Locale.ROOT, "parallel stream: %,d  (same: %b)", stream, stream == sequential));
        System.out.println(String.format(Locale.ROOT, "%12s %11s %17s %12s %16s",
                "threshold", "leaf tasks", "leafCount(n, t)", "at least n/t", "sum = sequential"));
        ForkJoinPool pool = new ForkJoinPool(POOL_SIZE);
        try {
            for (int threshold : THRESHOLDS) {
                ForkJoinArraySum forkJoin = new ForkJoinArraySum(pool, threshold);
                long sum = forkJoin.sum(values);
                long predicted = leafCount(SIZE, threshold);
                System.out.println(String.format(Locale.ROOT, "%,12d %,11d %,17d %,12d %16b", threshold,
                        forkJoin.leaves(), predicted, minLeaves(SIZE, threshold), sum == sequential));
                check(sum == sequential, "fork/join sum equals the sequential sum");
                check(forkJoin.leaves() == predicted, "leaf tasks depend on n and t only");
                check(predicted >= minLeaves(SIZE, threshold) && predicted <= maxLeaves(SIZE, threshold),
                        "leaves between ceil(n/t) and n/floor((t+1)/2)");
            }
        } finally {
            pool.shutdownNow();
        }

        System.out.println();
        WorkDeque<Range> deque = new WorkDeque<>(Thread.currentThread());
        Range running = descend(new Range(0, 64), 8, deque);
        List<String> held = new ArrayList<>();
        for (Range range : deque.baseToTop()) {
            held.add(range.toString());
        }
        System.out.println("One worker's deque after it descends into [0, 64) with threshold 8:");
        System.out.println("  base (oldest) " + String.join(" ", held) + " top (newest); running " + running);
        Range popped = deque.pop();
        Range stolen = deque.steal();
        System.out.println(String.format(Locale.ROOT,
                "  the owner pops %s (%d values); a thief steals %s (%d values)",
                popped, popped.size(), stolen, stolen.size()));
        check(stolen.size() > popped.size(), "a thief takes the oldest, largest task");

        System.out.println();
        int[] small = values(100_000, SEED);
        long smallSum = new SequentialSum().sum(small);
        System.out.println("Fork B, then run A in the same worker; A waits for B, and only B can release A:");
        System.out.println(String.format(Locale.ROOT, "%-5s %-21s %-23s %-13s %-7s %s",
                "pool", "A waits with", "B finished during wait", "B ran on", "stolen", "getStealCount() > 0"));
        Report steal = forcedSteal(small);
        Report noThief = forkThenWait(1, Waiting.PLAIN_AWAIT, NO_THIEF_WAIT_MILLIS, small);
        Report managed = forkThenWait(1, Waiting.MANAGED_BLOCK, LIMIT_SECONDS * 1000, small);
        List<Report> reports = List.of(steal, noThief, managed);
        for (Report report : reports) {
            System.out.println(String.format(Locale.ROOT, "%-5d %-21s %-23b %-13s %-7b %b",
                    report.parallelism(),
                    report.waiting() == Waiting.PLAIN_AWAIT ? "CountDownLatch.await" : "managedBlock",
                    report.bFinishedWhileAWaited(), report.bRanOnAnotherWorker() ? "other worker" : "A's worker",
                    report.stolen(), report.poolStealCountAboveZero()));
        }
        boolean sumsMatch = reports.stream().allMatch(report -> report.sum() == smallSum);
        System.out.println("A + B equals the sequential sum in every row: " + sumsMatch);
        check(sumsMatch, "A + B is the sum however B ran");
        check(!noThief.stolen() && managed.stolen(), "with one worker, only a managed wait lets B run");

        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "Amdahl, 10%% serial: 2 workers %.2fx, 4 workers %.2fx, 16 workers %.2fx, never %.2fx or more",
                amdahlSpeedup(0.1, 2), amdahlSpeedup(0.1, 4), amdahlSpeedup(0.1, 16), 1 / 0.1));
    }

    private static void check(boolean invariant, String what) {
        if (!invariant) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }
}
