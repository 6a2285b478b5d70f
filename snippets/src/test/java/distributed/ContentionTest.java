import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Contention} to its page: the lock-step counts match closed forms, striping and batching
 * cut conflicts by the factors the page gives, locks trade conflicts for waits, a blind write loses
 * updates, and the USL peaks where sqrt((1 - sigma) / kappa) says.
 */
class ContentionTest {

    private static Contention.Outcome lockStep(int workers, int each, int stripes, int batch, Contention.Update u) {
        return Contention.run(new Contention.Setup("t", workers, each, stripes, batch, u), new Contention.RoundRobin());
    }

    private static Contention.Outcome seeded(int stripes, int batch, Contention.Update u) {
        return Contention.run(new Contention.Setup("t", 8, 1_000, stripes, batch, u), new Contention.Seeded(42));
    }

    /**
     * Lock-step, one cell: every round all active workers read the same value and only the first CAS
     * succeeds. Worker j wins K rounds while T - j workers are active, so conflicts = K T (T - 1) / 2
     * and attempts per increment = (T + 1) / 2. With N stripes each stripe is its own game of T / N workers.
     */
    @ParameterizedTest
    @CsvSource({"8,1000,1", "8,1000,2", "8,1000,4", "8,1000,8", "6,500,3", "4,100,1"})
    void lockStepConflictsFollowTheClosedForm(int t, int k, int n) {
        Contention.Outcome o = lockStep(t, k, n, 1, Contention.Update.CAS);
        long perStripe = t / n;
        assertEquals((long) n * k * perStripe * (perStripe - 1) / 2, o.conflicts());
        assertEquals((long) t * k, o.total());
        assertEquals((long) t * k + o.conflicts(), o.attempts());
    }

    @Test
    void batchingDividesConflictsByTheBatchSize() {
        Contention.Outcome one = lockStep(8, 1_000, 1, 1, Contention.Update.CAS);
        Contention.Outcome ten = lockStep(8, 1_000, 1, 10, Contention.Update.CAS);
        assertEquals(one.conflicts() / 10, ten.conflicts());
        assertEquals(8_000, ten.total());
    }

    @Test
    void aBlindReadThenWriteLosesUpdatesThatCasKeeps() {
        // Lock-step: 8 workers read v and all write v + 1; each round adds 1 instead of 8.
        Contention.Outcome blind = lockStep(8, 1_000, 1, 1, Contention.Update.READ_THEN_WRITE);
        assertEquals(7_000, blind.lost());
        assertTrue(seeded(1, 1, Contention.Update.READ_THEN_WRITE).lost() >= 1_000, "thousands lost");
        assertEquals(0, seeded(1, 1, Contention.Update.CAS).lost());
        assertEquals(0, seeded(1, 1, Contention.Update.LOCK).lost());
    }

    @Test
    void aLockTradesConflictsForWaitsAndCostsTheSameStepsInLockStep() {
        Contention.Outcome cas = lockStep(8, 1_000, 1, 1, Contention.Update.CAS);
        Contention.Outcome lock = lockStep(8, 1_000, 1, 1, Contention.Update.LOCK);
        assertEquals(0, lock.conflicts());
        assertEquals(8_000, lock.attempts(), "every write under the lock succeeds");
        assertTrue(lock.waits() > 0);
        // Both serialise on the one cell; the table's steps per increment (two decimals) are equal.
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", (double) cas.steps() / 8_000),
                String.format(java.util.Locale.ROOT, "%.2f", (double) lock.steps() / 8_000));
        assertEquals(0, lockStep(8, 1_000, 8, 1, Contention.Update.LOCK).waits(), "own stripe, nobody to wait for");
    }

    @Test
    void underARandomInterleavingStripesStillCutConflictsAndOneStripePerWorkerRemovesThem() {
        long previous = Long.MAX_VALUE;
        for (int stripes : new int[] {1, 2, 4, 8}) {
            Contention.Outcome o = seeded(stripes, 1, Contention.Update.CAS);
            assertEquals(8_000, o.total());
            assertTrue(o.conflicts() < previous, stripes + " stripes: " + o.conflicts());
            previous = o.conflicts();
        }
        assertEquals(0, previous);
        assertTrue(seeded(1, 10, Contention.Update.CAS).conflicts() < seeded(1, 1, Contention.Update.CAS).conflicts());
        // the random schedule is never worse than lock-step
        assertTrue(seeded(1, 1, Contention.Update.CAS).conflicts() < lockStep(8, 1_000, 1, 1, Contention.Update.CAS).conflicts());
    }

    @Test
    void realThreadsAgreeOnCorrectnessAtomicLongAndLongAdderLoseNothing() throws Exception {
        AtomicLong atomic = new AtomicLong();
        LongAdder adder = new LongAdder();
        int threads = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        atomic.incrementAndGet();
                        adder.increment();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals((long) threads * each, atomic.get());
        assertEquals((long) threads * each, adder.sum());
    }

    @Test
    void uslReducesToAmdahlAndPeaksAtTheSquareRootFormula() {
        double sigma = 0.05;
        double kappa = 0.001;
        assertEquals(1.0, Contention.usl(1, sigma, kappa), 1e-12);
        assertEquals(1.0, Contention.amdahl(1, sigma), 1e-12);
        // Amdahl: 1 / (sigma + (1 - sigma) / N), approaching 1 / sigma
        for (int n : new int[] {2, 8, 64, 1 << 20}) {
            assertEquals(1 / (sigma + (1 - sigma) / n), Contention.amdahl(n, sigma), 1e-9);
        }
        double peak = Contention.peakWorkers(sigma, kappa);
        assertEquals(Math.sqrt(950), peak, 1e-12);
        // it is the maximum: search integer N by brute force
        int best = 1;
        for (int n = 1; n <= 1_000; n++) {
            if (Contention.usl(n, sigma, kappa) > Contention.usl(best, sigma, kappa)) {
                best = n;
            }
        }
        assertTrue(best == (int) Math.floor(peak) || best == (int) Math.ceil(peak), "argmax " + best);
        assertTrue(Contention.usl(peak, sigma, kappa) >= Contention.usl(peak - 0.01, sigma, kappa));
        assertTrue(Contention.usl(peak, sigma, kappa) >= Contention.usl(peak + 0.01, sigma, kappa));
        // retrograde: more workers, less throughput
        assertTrue(Contention.usl(128, sigma, kappa) < Contention.usl(32, sigma, kappa));
        assertTrue(Contention.amdahl(128, sigma) > Contention.amdahl(32, sigma));
    }

    @Test
    void mainPrintsTheTables() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Contention.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("one hot cell, CAS                36000     28000       0       9.00     0"), s);
        assertTrue(s.contains("8 stripes, CAS                    8000         0       0       2.00     0"), s);
        assertTrue(s.contains("one hot cell, read then write     8000         0       0       2.00  7000"), s);
        assertTrue(s.contains("USL peaks at N* = 30.8 workers"), s);
        assertTrue(s.contains("Amdahl's ceiling is 20 x"), s);
    }
}
