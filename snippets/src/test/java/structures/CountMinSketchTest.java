import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link CountMinSketch} to what the page claims. Deterministic facts (never under-counting,
 * linearity, the heavy-hitter recall rule) are checked exactly. The probabilistic bound is checked over
 * many independent sketches, with an allowance computed from the binomial distribution rather than
 * tuned to a run; see {@link #anEstimateIsOffByMoreThanEpsilonNWithProbabilityAtMostDelta()}.
 */
class CountMinSketchTest {

    private static CountMinSketch.Report example;

    @BeforeAll
    static void runTheExampleOnce() {
        example = CountMinSketch.run();
    }

    private static CountMinSketch.CountMin standard(int width, int depth, long seed) {
        return new CountMinSketch.CountMin(width, depth, seed, CountMinSketch.Update.STANDARD);
    }

    /* --------------- The hash family --------------- */

    @Test
    void mersenneArithmeticMatchesBigInteger() {
        BigInteger p = BigInteger.valueOf(CountMinSketch.P);
        SplittableRandom random = new SplittableRandom(1);
        long[] edges = {0, 1, 2, CountMinSketch.P - 2, CountMinSketch.P - 1};
        for (int i = 0; i < 200_000; i++) {
            long a = i < 25 ? edges[i / 5] : random.nextLong(0, CountMinSketch.P);
            long x = i < 25 ? edges[i % 5] : random.nextLong(0, CountMinSketch.P);
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(x)).mod(p).longValueExact();
            assertEquals(expected, CountMinSketch.mulModP(a, x), a + " * " + x);
        }
        for (long x : new long[] {0, 1, CountMinSketch.P - 1, CountMinSketch.P, CountMinSketch.P + 1,
                2 * CountMinSketch.P - 1, 2 * CountMinSketch.P, Long.MAX_VALUE}) {
            assertEquals(Long.remainderUnsigned(x, CountMinSketch.P), CountMinSketch.modP(x), "modP(" + x + ")");
        }
    }

    @Test
    void aRowHashIsAxPlusBModPModW() {
        SplittableRandom random = new SplittableRandom(2);
        BigInteger p = BigInteger.valueOf(CountMinSketch.P);
        for (int i = 0; i < 10_000; i++) {
            CountMinSketch.RowHash h = CountMinSketch.RowHash.random(random, 2719);
            long item = random.nextLong();
            BigInteger x = new BigInteger(Long.toUnsignedString(item)).mod(p);
            long expected = BigInteger.valueOf(h.a()).multiply(x).add(BigInteger.valueOf(h.b())).mod(p)
                    .mod(BigInteger.valueOf(2719)).longValueExact();
            assertEquals(expected, h.column(item));
        }
    }

    @Test
    void rowHashesArePairwiseIndependentAndRowsAreIndependentOfEachOther() {
        // Over T independent seeds: one column of one item is uniform (probability 1/w each); two items
        // collide in a row with probability 1/w; they collide in two given rows with probability 1/w^2,
        // which fails if rows share a hash. Counts are binomial; each check allows 5.5 standard
        // deviations, so a correct implementation fails one with probability below 1e-6 in all.
        int w = 8;
        int trials = 40_000;
        int[] columnOf17 = new int[w];
        int rowCollisions = 0;
        int bothRowsCollide = 0;
        for (int t = 0; t < trials; t++) {
            CountMinSketch.CountMin s = standard(w, 2, 1_000 + t);
            columnOf17[s.row(0).column(17)]++;
            boolean first = s.row(0).column(17) == s.row(0).column(42);
            boolean second = s.row(1).column(17) == s.row(1).column(42);
            rowCollisions += first ? 1 : 0;
            bothRowsCollide += first && second ? 1 : 0;
        }
        for (int c = 0; c < w; c++) {
            assertBinomial(columnOf17[c], trials, 1.0 / w, "column " + c + " of item 17");
        }
        assertBinomial(rowCollisions, trials, 1.0 / w, "collisions of 17 and 42 in one row");
        assertBinomial(bothRowsCollide, trials, 1.0 / (w * w), "collisions of 17 and 42 in both rows");
    }

    private static void assertBinomial(int observed, int trials, double p, String what) {
        double mean = trials * p;
        double sd = Math.sqrt(trials * p * (1 - p));
        assertTrue(Math.abs(observed - mean) <= 5.5 * sd,
                () -> what + ": " + observed + " of " + trials + ", expected " + mean + " +- " + 5.5 * sd);
    }

    /* --------------- Size and the error bound --------------- */

    @Test
    void widthIsCeilingOfEOverEpsilonAndDepthIsCeilingOfLnOneOverDelta() {
        CountMinSketch.CountMin s = CountMinSketch.CountMin.forError(0.001, 0.01, 7, CountMinSketch.Update.STANDARD);
        assertEquals(2719, s.width(), "e / 0.001 = 2718.28...");
        assertEquals(5, s.depth(), "ln(100) = 4.605...");
        // The page: halving epsilon doubles the width; delta from 1% to 0.01% takes depth from 5 to 10.
        CountMinSketch.CountMin finer = CountMinSketch.CountMin.forError(0.0005, 0.0001, 7, CountMinSketch.Update.STANDARD);
        assertEquals(5437, finer.width(), "e / 0.0005 = 5436.56...");
        assertEquals(10, finer.depth(), "ln(10,000) = 9.21...");
        assertEquals(s.width(), example.standard().width());
        assertEquals(s.depth(), example.standard().depth());
    }

    @Test
    void everyCounterHoldsTheSumOfTheCountsOfTheItemsThatHashToIt() {
        // Brute-force oracle: recompute every counter from the exact counts and the sketch's own hashes.
        CountMinSketch.CountMin s = example.standard();
        long[][] oracle = new long[s.depth()][s.width()];
        example.exact().forEach((item, count) -> {
            for (int j = 0; j < s.depth(); j++) {
                oracle[j][s.row(j).column(item)] += count;
            }
        });
        for (int j = 0; j < s.depth(); j++) {
            long rowSum = 0;
            for (int c = 0; c < s.width(); c++) {
                assertEquals(oracle[j][c], s.counter(j, c), "row " + j + " column " + c);
                rowSum += s.counter(j, c);
            }
            assertEquals(s.total(), rowSum, "every row of a standard sketch sums to N");
        }
        for (long item : new long[] {1, 7, 1_000, 123_456}) {
            long min = Long.MAX_VALUE;
            for (int j = 0; j < s.depth(); j++) {
                min = Math.min(min, oracle[j][s.row(j).column(item)]);
            }
            assertEquals(min, s.estimate(item), "estimate of " + item + " is the smallest of its counters");
        }
    }

    @Test
    void neverUnderCountsAndConservativeUpdateIsNeverWorse() {
        assertEquals(CountMinSketch.EVENTS, example.exact().values().stream().mapToLong(Long::longValue).sum());
        Set<Long> queried = new HashSet<>(example.exact().keySet());
        for (long unseen = CountMinSketch.UNIVERSE + 1; unseen <= CountMinSketch.UNIVERSE + 20_000; unseen++) {
            queried.add(unseen);   // never added: true count 0
        }
        for (long item : queried) {
            long truth = example.exact().getOrDefault(item, 0L);
            long standard = example.standard().estimate(item);
            long conservative = example.conservative().estimate(item);
            assertTrue(standard >= truth, () -> "count-min under-counted " + item);
            assertTrue(conservative >= truth, () -> "conservative update under-counted " + item);
            assertTrue(conservative <= standard, () -> "conservative update over-counted more than count-min on " + item);
        }
        assertEquals(0, example.standardStats().underCounted());
        assertEquals(0, example.conservativeStats().underCounted());
    }

    /**
     * The bound is a statement about one query over the random choice of hash functions: for any fixed
     * stream and item, Pr[estimate > true + εN] ≤ δ. Queries against one sketch share its hashes, so
     * their failures are not independent and a fraction over one sketch's items has no simple
     * allowance. Here each trial therefore builds a fresh sketch (its own seed) and asks it about one
     * item, which makes the T failure indicators independent, each with probability at most δ. Their
     * sum is then at most a Binomial(T, δ) variable in distribution, and the allowance is the smallest
     * k with Pr[Binomial(T, δ) > k] ≤ 1e-6, computed exactly below (for T = 10,000 and δ = 0.01 it is
     * about 1.5 δ T).
     *
     * <p>The stream is built to make the bound hard: m = 1/ε − 1 items, each occurring just over εN
     * times, and the query is an item never seen, so one collision with any of them in a row already
     * exceeds εN. Per row that happens with probability about 1 − e^{−m/w} ≈ 0.3, against Markov's 1/e;
     * a sketch whose rows shared a hash, took the largest counter, or used w = 1/ε would fail here.
     */
    @Test
    void anEstimateIsOffByMoreThanEpsilonNWithProbabilityAtMostDelta() {
        double epsilon = 0.01;
        double delta = 0.01;
        int heavy = (int) Math.round(1 / epsilon) - 1;              // 99 items
        long each = 100;                                            // N = 9,900, εN = 99 < 100
        long n = heavy * each;
        int trials = 10_000;
        int failures = 0;
        int conservativeFailures = 0;
        for (int t = 0; t < trials; t++) {
            CountMinSketch.CountMin s = CountMinSketch.CountMin.forError(epsilon, delta, 50_000 + t, CountMinSketch.Update.STANDARD);
            CountMinSketch.CountMin cu = CountMinSketch.CountMin.forError(epsilon, delta, 50_000 + t, CountMinSketch.Update.CONSERVATIVE);
            for (long item = 1; item <= heavy; item++) {
                s.add(item, each);
                cu.add(item, each);
            }
            long query = 1_000 + t;                                 // never added
            failures += s.estimate(query) > epsilon * n ? 1 : 0;
            conservativeFailures += cu.estimate(query) > epsilon * n ? 1 : 0;
        }
        int allowance = binomialUpperQuantile(trials, delta, 1e-6);
        assertTrue(allowance < 2 * delta * trials, "the allowance should stay close to delta, got " + allowance);
        int f = failures;
        assertTrue(failures <= allowance, () -> f + " of " + trials + " queries off by more than eps*N; allowed " + allowance);
        assertTrue(conservativeFailures <= failures, "conservative update can only lower estimates");
    }

    /** Smallest k with Pr[Binomial(trials, p) > k] ≤ tail, summing the exact probabilities. */
    static int binomialUpperQuantile(int trials, double p, double tail) {
        double[] pmf = new double[trials + 1];
        pmf[0] = Math.pow(1 - p, trials);
        for (int i = 0; i < trials; i++) {
            pmf[i + 1] = pmf[i] * (trials - i) / (i + 1) * p / (1 - p);
        }
        double above = 0;                                           // Pr[X > k], built from the top
        for (int k = trials; k >= 0; k--) {
            if (above + pmf[k] > tail) {
                return k;                                           // Pr[X > k] = above <= tail
            }
            above += pmf[k];
        }
        return 0;
    }

    @Test
    void binomialAllowanceIsComputedCorrectly() {
        // Binomial(10, 0.5): Pr[X > 9] = 1/1024, Pr[X > 8] = 11/1024.
        assertEquals(9, binomialUpperQuantile(10, 0.5, 0.005));
        assertEquals(8, binomialUpperQuantile(10, 0.5, 0.011));
        assertEquals(10, binomialUpperQuantile(10, 0.5, 0.0005));
    }

    @Test
    void theExampleRunStaysWithinItsBoundAndShowsTheNoiseOnRareItems() {
        int distinct = example.exact().size();
        // The page says the printed fraction is far below delta (Markov's bound is loose on skewed data);
        // "far" here means under a tenth. The statistical form of the bound is tested above.
        assertTrue(example.standardStats().overBound() <= 0.1 * CountMinSketch.DELTA * distinct,
                "fraction of items over eps*N not far below delta in the printed run");
        assertTrue(example.conservativeStats().meanOver() < example.standardStats().meanOver());
        // The page says: every estimate is over by a similar amount, a small fraction for the top items
        // and many times the count of a rare one (an item seen once gets an estimate in the hundreds);
        // conservative update leaves the top items exact in this run and has a smaller largest error.
        long minOver = Long.MAX_VALUE;
        long maxOver = 0;
        boolean singletonInTheHundreds = false;
        for (long item : CountMinSketch.SHOWN) {
            long truth = example.exact().getOrDefault(item, 0L);
            long over = example.standard().estimate(item) - truth;
            minOver = Math.min(minOver, over);
            maxOver = Math.max(maxOver, over);
            if (item <= 8) {
                assertTrue(over <= 0.05 * truth, "top item " + item + " over by " + over);
                assertEquals(truth, example.conservative().estimate(item), "conservative, item " + item);
            }
            if (truth <= 20) {
                assertTrue(over >= 10 * truth, "rare item " + item + " over by only " + over);
                assertTrue(example.conservative().estimate(item) - truth >= 3 * truth, "rare item " + item);
            }
            singletonInTheHundreds |= truth == 1 && example.standard().estimate(item) >= 100;
        }
        assertTrue(maxOver <= 2 * minOver, "over-counts of the shown items range from " + minOver + " to " + maxOver);
        assertTrue(singletonInTheHundreds, "no item seen once is shown with an estimate in the hundreds");
        assertTrue(example.conservativeStats().maxOver() < example.standardStats().maxOver());
    }

    @Test
    void theSketchIsFarSmallerThanTheExactMapForThisStream() {
        long sketchBytes = 8L * example.standard().width() * example.standard().depth();
        long mapBytes = 16L * example.exact().size();
        assertTrue(mapBytes > 10 * sketchBytes, mapBytes + " vs " + sketchBytes);
    }

    /* --------------- Heavy hitters --------------- */

    @Test
    void theExampleReportsEveryItemAbovePhiNAndNoneBelowPhiMinusEpsilonN() {
        long n = example.standard().total();
        Set<Long> reported = new HashSet<>();
        example.heavy().report().forEach(c -> reported.add(c.item()));
        example.exact().forEach((item, count) -> {
            if (count >= CountMinSketch.PHI * n) {
                assertTrue(reported.contains(item), "missed heavy item " + item);
            }
        });
        for (long item : reported) {
            assertTrue(example.exact().get(item) >= (CountMinSketch.PHI - CountMinSketch.EPSILON) * n, "light item " + item);
        }
        assertFalse(reported.isEmpty());
        assertTrue(example.heavy().peakCandidates() <= 1 / (CountMinSketch.PHI - CountMinSketch.EPSILON),
                "while estimates are within eps*n, candidates each hold at least phi*n and sum to at most n(1 + k*eps)");
    }

    /**
     * Two rules hold for every seed and every width, because estimates only grow and never fall below
     * the true count: an item whose final count is at least φN is reported, and a reported item's
     * final estimate is at least φN, so an item below (φ − ε)N can be reported only if its estimate is
     * off by more than εN. A sketch far narrower than e/ε makes such false reports common, which
     * exercises the second rule; the properly sized sketch makes none on this stream.
     */
    @Test
    void heavyHittersHoldTheirGuaranteesForEverySeed() {
        long[] stream = CountMinSketch.zipfStream(100_000, 100_000, 1.0, 99);
        Map<Long, Long> exact = new HashMap<>();
        for (long item : stream) {
            exact.merge(item, 1L, Long::sum);
        }
        double phi = 0.02;
        double epsilon = 0.005;
        int n = stream.length;
        int narrowFalseReports = 0;
        for (long seed = 0; seed < 20; seed++) {
            CountMinSketch.CountMin sized = CountMinSketch.CountMin.forError(epsilon, 0.01, seed, CountMinSketch.Update.STANDARD);
            assertEquals(0, checkHeavyHitters(sized, stream, exact, phi, epsilon), "seed " + seed);
            CountMinSketch.CountMin narrow = new CountMinSketch.CountMin(64, 2, seed, CountMinSketch.Update.STANDARD);
            narrowFalseReports += checkHeavyHitters(narrow, stream, exact, phi, epsilon);
        }
        assertTrue(narrowFalseReports > 0, "the narrow sketch never exercised the false-report rule");
    }

    /** Checks both rules and returns the number of reported items below (φ − ε)N. */
    private static int checkHeavyHitters(CountMinSketch.CountMin s, long[] stream, Map<Long, Long> exact,
                                         double phi, double epsilon) {
        CountMinSketch.HeavyHitters hh = new CountMinSketch.HeavyHitters(s, phi);
        for (long item : stream) {
            hh.add(item);
        }
        int n = stream.length;
        Set<Long> reported = new HashSet<>();
        int falseReports = 0;
        for (CountMinSketch.HeavyHitters.Candidate c : hh.report()) {
            reported.add(c.item());
            long truth = exact.get(c.item());
            assertTrue(c.estimate() >= phi * n && s.estimate(c.item()) >= phi * n, "kept below the threshold: " + c);
            if (truth < (phi - epsilon) * n) {
                falseReports++;
                assertTrue(s.estimate(c.item()) - truth > epsilon * n, "false report without a bad estimate: " + c);
            }
        }
        exact.forEach((item, count) -> {
            if (count >= phi * n) {
                assertTrue(reported.contains(item), "missed heavy item " + item);
            }
        });
        return falseReports;
    }

    /* --------------- Merging and misuse --------------- */

    @Test
    void mergingSketchesOfTwoPartsGivesTheSketchOfTheWhole() {
        assertTrue(example.mergeMatches(), "the example's halves");
        SplittableRandom random = new SplittableRandom(3);
        CountMinSketch.CountMin a = standard(300, 4, 11);
        CountMinSketch.CountMin b = standard(300, 4, 11);
        CountMinSketch.CountMin whole = standard(300, 4, 11);
        for (int i = 0; i < 50_000; i++) {
            long item = random.nextLong(0, 5_000);
            long count = random.nextLong(1, 10);
            (random.nextBoolean() ? a : b).add(item, count);
            whole.add(item, count);
        }
        a.merge(b);
        assertTrue(a.sameCounters(whole));
        assertEquals(whole.total(), a.total());
        for (long item = 0; item < 5_000; item++) {
            assertEquals(whole.estimate(item), a.estimate(item));
        }
    }

    @Test
    void sketchesWithDifferentHashesOrConservativeUpdateRefuseToMerge() {
        assertThrows(IllegalArgumentException.class, () -> standard(300, 4, 11).merge(standard(300, 4, 12)));
        assertThrows(IllegalArgumentException.class, () -> standard(300, 4, 11).merge(standard(301, 4, 11)));
        CountMinSketch.CountMin cu = new CountMinSketch.CountMin(300, 4, 11, CountMinSketch.Update.CONSERVATIVE);
        assertThrows(IllegalArgumentException.class, () -> standard(300, 4, 11).merge(cu));
    }

    @Test
    void addingTheTablesOfTwoConservativeSketchesIsNotTheConservativeSketchOfTheWhole() {
        // Conservative update is not linear: the sum of the halves' tables still never under-counts
        // (each half never does), but it differs from, and is looser than, the table built from the
        // whole stream. That is why merge() refuses conservative sketches.
        SplittableRandom random = new SplittableRandom(4);
        CountMinSketch.Update cu = CountMinSketch.Update.CONSERVATIVE;
        CountMinSketch.CountMin a = new CountMinSketch.CountMin(50, 3, 21, cu);
        CountMinSketch.CountMin b = new CountMinSketch.CountMin(50, 3, 21, cu);
        CountMinSketch.CountMin whole = new CountMinSketch.CountMin(50, 3, 21, cu);
        Map<Long, Long> exact = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            long item = random.nextLong(0, 500);
            (i < 2_500 ? a : b).add(item, 1);
            whole.add(item, 1);
            exact.merge(item, 1L, Long::sum);
        }
        int differing = 0;
        long summedTotal = 0;
        long wholeTotal = 0;
        for (int j = 0; j < 3; j++) {
            for (int c = 0; c < 50; c++) {
                long summed = a.counter(j, c) + b.counter(j, c);
                differing += summed != whole.counter(j, c) ? 1 : 0;
                summedTotal += summed;
                wholeTotal += whole.counter(j, c);
            }
        }
        assertTrue(differing > 0, "conservative tables added up exactly");
        assertTrue(summedTotal > wholeTotal, "the summed table should be the looser one overall");
        exact.forEach((item, count) -> {
            long summedEstimate = Long.MAX_VALUE;
            for (int j = 0; j < 3; j++) {
                int c = a.row(j).column(item);
                summedEstimate = Math.min(summedEstimate, a.counter(j, c) + b.counter(j, c));
            }
            assertTrue(summedEstimate >= count, "summed tables under-counted " + item);
        });
    }

    @Test
    void negativeCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> standard(10, 2, 1).add(1, -1));
    }
}
