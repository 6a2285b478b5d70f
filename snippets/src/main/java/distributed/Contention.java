import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Contention made countable. Workers increment a shared counter with optimistic compare-and-set
 * (read, compute, CAS, retry on failure); a deterministic scheduler interleaves their steps, so the
 * number of failed CAS attempts (conflicts) is the same on every run. The same workload runs against
 * one hot cell, against N striped cells (each worker updates the cell of its own stripe; a read sums
 * all cells, as java.util.concurrent.atomic.LongAdder does), with batching (one CAS adds b), and with
 * a plain read-then-write that has no CAS at all and so loses updates.
 *
 * <p>Then the Universal Scalability Law, X(N) = N / (1 + sigma (N - 1) + kappa N (N - 1)), relative
 * to one worker: sigma is the contention (serial) fraction, kappa the coherency cost of keeping N
 * workers' views in step. With kappa = 0 it is Amdahl's law. With kappa > 0 throughput peaks at
 * N* = sqrt((1 - sigma) / kappa) and then falls.
 *
 * <p>Trade-off. Striping removes write conflicts but makes a read cost N cells and makes "the value"
 * a sum that is not an atomic snapshot; batching cuts conflicts by b but delays visibility; a single
 * writer removes conflicts by queueing instead.
 *
 * <p>Sources. G. M. Amdahl, AFIPS Spring Joint Computer Conference 1967; N. J. Gunther, "A simple
 * capacity model of massively parallel transaction systems", CMG 1993, and Guerrilla Capacity
 * Planning, Springer 2007; H. T. Kung and J. T. Robinson, "On optimistic methods for concurrency
 * control", ACM TODS 6(2), 1981; M. Herlihy, "Wait-free synchronization", ACM TOPLAS 13(1), 1991;
 * the JDK's LongAdder and Striped64.
 */
public class Contention {

    // tag::model[]
    /** How workers update the counter: optimistic, pessimistic, or not safely at all. */
    enum Update { CAS, LOCK, READ_THEN_WRITE }

    /** One experiment: workers, increments each, stripes, increments per write, update rule. */
    record Setup(String name, int workers, int incrementsEach, int stripes, int batch, Update update) {
    }

    /** What happened: writes attempted, failed CAS writes, steps spent waiting for a lock, the final sum. */
    record Outcome(Setup setup, long attempts, long conflicts, long waits, long total) {
        long expected() {
            return (long) setup.workers() * setup.incrementsEach();
        }

        long lost() {
            return expected() - total;
        }

        /** Scheduler steps spent: a read and a write per attempt, plus one per wait. */
        long steps() {
            return 2 * attempts + waits;
        }
    }

    /** A worker is a two-step state machine: READ its cell, then WRITE (CAS or blind write). */
    static final class Worker {
        final int id;
        final int cell;
        long remaining;   // increments still to apply
        long seen;        // value read in the READ step
        boolean readDone;

        Worker(int id, int cell, long remaining) {
            this.id = id;
            this.cell = cell;
            this.remaining = remaining;
        }
    }
    // end::model[]

    /** Chooses which worker takes its next step. Both implementations are deterministic. */
    interface Scheduler {
        Worker next(List<Worker> runnable);
    }

    /**
     * Round-robin by worker id. Because each worker alternates READ and WRITE, this is lock-step: all
     * read, then all write. It is the worst case for a shared cell: everyone reads the same value, so
     * only the first write of each round can succeed.
     */
    static final class RoundRobin implements Scheduler {
        private int last = -1;

        @Override
        public Worker next(List<Worker> runnable) {
            for (Worker w : runnable) {
                if (w.id > last) {
                    last = w.id;
                    return w;
                }
            }
            last = runnable.get(0).id;
            return runnable.get(0);
        }
    }

    /** A seeded random interleaving: each step is taken by a runnable worker chosen at random. */
    static final class Seeded implements Scheduler {
        private final SplittableRandom random;

        Seeded(long seed) {
            random = new SplittableRandom(seed);
        }

        @Override
        public Worker next(List<Worker> runnable) {
            return runnable.get(random.nextInt(runnable.size()));
        }
    }

    // tag::run[]
    static Outcome run(Setup s, Scheduler scheduler) {
        AtomicLongArray cells = new AtomicLongArray(s.stripes());
        int[] lockHolder = new int[s.stripes()];
        java.util.Arrays.fill(lockHolder, -1);
        List<Worker> runnable = new ArrayList<>();
        for (int i = 0; i < s.workers(); i++) {
            runnable.add(new Worker(i, i % s.stripes(), s.incrementsEach())); // stripe by worker id
        }
        long attempts = 0;
        long conflicts = 0;
        long waits = 0;
        while (!runnable.isEmpty()) {
            Worker w = scheduler.next(runnable);
            if (!w.readDone) {                       // step 1: read the cell
                if (s.update() == Update.LOCK) {
                    if (lockHolder[w.cell] != -1) {
                        waits++;                     // SELECT ... FOR UPDATE blocks here
                        continue;
                    }
                    lockHolder[w.cell] = w.id;
                }
                w.seen = cells.get(w.cell);
                w.readDone = true;
                continue;
            }
            long delta = Math.min(s.batch(), w.remaining);
            attempts++;                              // step 2: write what was computed from the read
            if (s.update() == Update.CAS) {
                if (cells.compareAndSet(w.cell, w.seen, w.seen + delta)) {
                    w.remaining -= delta;
                } else {
                    conflicts++;                     // someone wrote since our read: read again
                }
            } else {
                cells.set(w.cell, w.seen + delta);   // under LOCK, safe; otherwise a blind overwrite
                w.remaining -= delta;
                lockHolder[w.cell] = -1;
            }
            w.readDone = false;
            if (w.remaining == 0) {
                runnable.remove(w);
            }
        }
        long total = 0;
        for (int i = 0; i < cells.length(); i++) {
            total += cells.get(i);                   // reading a striped counter visits every cell
        }
        return new Outcome(s, attempts, conflicts, waits, total);
    }
    // end::run[]

    // tag::usl[]
    /** Throughput of N workers relative to one, by the Universal Scalability Law. */
    static double usl(double n, double sigma, double kappa) {
        return n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /** Amdahl's law: the USL without the coherency term. */
    static double amdahl(double n, double sigma) {
        return usl(n, sigma, 0);
    }

    /** Where the USL peaks (dX/dN = 0); beyond it, adding workers lowers throughput. */
    static double peakWorkers(double sigma, double kappa) {
        return Math.sqrt((1 - sigma) / kappa);
    }
    // end::usl[]

    static List<Setup> setups() {
        return List.of(
                new Setup("one hot cell, CAS", 8, 1_000, 1, 1, Update.CAS),
                new Setup("2 stripes, CAS", 8, 1_000, 2, 1, Update.CAS),
                new Setup("4 stripes, CAS", 8, 1_000, 4, 1, Update.CAS),
                new Setup("8 stripes, CAS", 8, 1_000, 8, 1, Update.CAS),
                new Setup("one hot cell, batches of 10", 8, 1_000, 1, 10, Update.CAS),
                new Setup("one hot cell, lock", 8, 1_000, 1, 1, Update.LOCK),
                new Setup("8 stripes, lock", 8, 1_000, 8, 1, Update.LOCK),
                new Setup("one hot cell, read then write", 8, 1_000, 1, 1, Update.READ_THEN_WRITE));
    }

    public static void main(String[] args) {
        for (boolean lockStep : new boolean[] {true, false}) {
            System.out.println(lockStep
                    ? "Lock-step interleaving (all read, then all write), 8 workers x 1,000 increments:"
                    : "Seeded random interleaving (seed 42), same workload:");
            System.out.printf(Locale.ROOT, "  %-30s %7s %9s %7s %10s %5s%n", "setup", "writes", "conflicts",
                    "waits", "steps/inc", "lost");
            for (Setup s : setups()) {
                Outcome o = run(s, lockStep ? new RoundRobin() : new Seeded(42)); // a fresh schedule per setup
                System.out.printf(Locale.ROOT, "  %-30s %7d %9d %7d %10.2f %5d%n", s.name(), o.attempts(), o.conflicts(),
                        o.waits(), (double) o.steps() / o.expected(), o.lost());
            }
            System.out.println();
        }

        double sigma = 0.05;
        double kappa = 0.001;
        System.out.printf(Locale.ROOT, "Throughput relative to one worker (sigma = %.2f, kappa = %.3f):%n", sigma, kappa);
        System.out.printf(Locale.ROOT, "  %7s %8s %8s%n", "workers", "Amdahl", "USL");
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64, 128}) {
            System.out.printf(Locale.ROOT, "  %7d %8.2f %8.2f%n", n, amdahl(n, sigma), usl(n, sigma, kappa));
        }
        double peak = peakWorkers(sigma, kappa);
        System.out.printf(Locale.ROOT, "  USL peaks at N* = %.1f workers (%.2f x one worker); Amdahl's ceiling is %.0f x%n",
                peak, usl(peak, sigma, kappa), 1 / sigma);
    }
}
