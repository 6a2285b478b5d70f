import com.google.common.hash.Funnels;
import com.google.common.hash.Hashing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link BloomFilter} to what the page says about it.
 *
 * <p>Tolerances come from theory, not from the observed run. A measured false-positive rate over
 * N probes that were never inserted differs from the formula (1 − e^(−kn/m))^k = p for two reasons:
 * <ul>
 *   <li>Probe noise: given the filter, each probe is a false positive independently, so the count
 *       is binomial, with standard deviation sqrt(p(1 − p)/N) on the rate.</li>
 *   <li>Fill noise: the fraction ρ of bits set varies from filter to filter around 1 − e^(−kn/m).
 *       Whether two bits are empty is negatively correlated, so the variance of ρ is at most the
 *       binomial q(1 − q)/m, with q = e^(−kn/m); the rate ρ^k moves by k·p·sd(ρ)/ρ.</li>
 * </ul>
 * Each check allows four combined standard deviations, plus 1% of p for the formula's own
 * approximations (e^(−kn/m) for (1 − 1/m)^(kn), E[ρ^k] for E[ρ]^k, double hashing for k independent
 * hashes), each of which is below 0.1% of p at this m. The inputs are fixed names, so every run
 * sees the same numbers: the bounds say the result is not luck, not that a rerun could flip it.
 */
class BloomFilterTest {

    private static final int N = BloomFilter.N;
    private static final int PROBES = BloomFilter.PROBES;
    private static final List<String> ITEMS = BloomFilter.names("item-", 0, N);
    private static final List<String> PROBE_NAMES = BloomFilter.names("probe-", 0, PROBES);

    private static long bits;
    private static final int[] SWEEP = BloomFilter.SWEEP;
    private static final double[] MEASURED = new double[SWEEP.length];
    private static final double[] FILL = new double[SWEEP.length];
    private static final int[] FALSE_POSITIVES = new int[SWEEP.length];
    private static final int[] FALSE_NEGATIVES = new int[SWEEP.length];

    @BeforeAll
    static void sweep() {
        bits = new BloomFilter(BloomFilter.optimalBits(N, BloomFilter.P), 1).bitSize();
        for (int i = 0; i < SWEEP.length; i++) {
            BloomFilter filter = BloomFilter.filled(bits, SWEEP[i], ITEMS);
            FALSE_NEGATIVES[i] = BloomFilter.falseNegatives(filter, ITEMS);
            FALSE_POSITIVES[i] = BloomFilter.positives(filter, PROBE_NAMES);
            MEASURED[i] = (double) FALSE_POSITIVES[i] / PROBES;
            FILL[i] = filter.fill();
        }
    }

    private static double measured(int k) {
        for (int i = 0; i < SWEEP.length; i++) {
            if (SWEEP[i] == k) {
                return MEASURED[i];
            }
        }
        throw new IllegalArgumentException("k = " + k + " is not in the sweep");
    }

    /** Upper bound on the standard deviation of the fill fraction of m bits after kn insertions. */
    private static double fillStdDev(long m, long n, int k) {
        double q = Math.exp(-(double) k * n / m);
        return Math.sqrt(q * (1 - q) / m);
    }

    /**
     * Allowed distance of a measured rate from the expected rate p = rho^k, where rho is the expected
     * fill and sdRho bounds its standard deviation; see the class comment.
     */
    private static double rateTolerance(double rho, double sdRho, int k, int probes) {
        double p = Math.pow(rho, k);
        double probeNoise = p * (1 - p) / probes;
        double fillNoise = Math.pow(k * p * sdRho / rho, 2);
        return 4 * Math.sqrt(probeNoise + fillNoise) + 0.01 * p;
    }

    /** {@link #rateTolerance} for a filter of m bits holding n items. */
    private static double tolerance(long m, long n, int k, int probes) {
        double rho = 1 - Math.exp(-(double) k * n / m);
        return rateTolerance(rho, fillStdDev(m, n, k), k, probes);
    }

    // ------------------------------------------------------------------ the guarantee

    @Test
    void everyInsertedItemIsReportedPresentForEveryK() {
        for (int i = 0; i < SWEEP.length; i++) {
            assertEquals(0, FALSE_NEGATIVES[i], "false negatives at k = " + SWEEP[i]);
        }
        // Also far past the design load, where almost every bit is set.
        List<String> many = BloomFilter.names("item-", 0, 4 * N);
        assertEquals(0, BloomFilter.falseNegatives(BloomFilter.filled(bits, 7, many), many));
        // And in a filter too small to hold anything meaningfully.
        assertEquals(0, BloomFilter.falseNegatives(BloomFilter.filled(64, 3, ITEMS), ITEMS));
    }

    // ------------------------------------------------------------------ measured against theory

    @Test
    void measuredRateMatchesTheFormulaForEveryK() {
        for (int i = 0; i < SWEEP.length; i++) {
            int k = SWEEP[i];
            double expected = BloomFilter.falsePositiveRate(bits, N, k);
            double tolerance = tolerance(bits, N, k, PROBES);
            double got = MEASURED[i];
            assertTrue(Math.abs(got - expected) <= tolerance,
                    () -> "k = " + k + ": measured " + got + ", formula " + expected + " ± " + tolerance);
        }
    }

    @Test
    void fillMatchesOneMinusEToTheMinusKnOverM() {
        for (int i = 0; i < SWEEP.length; i++) {
            int k = SWEEP[i];
            double expected = 1 - Math.exp(-(double) k * N / bits);
            double tolerance = 4 * fillStdDev(bits, N, k) + 1e-4;
            double got = FILL[i];
            assertTrue(Math.abs(got - expected) <= tolerance,
                    () -> "k = " + k + ": fill " + got + ", expected " + expected + " ± " + tolerance);
        }
    }

    @Test
    void theFillPassesOneHalfAtTheOptimum() {
        // (m/n) ln 2 = 6.65 lies between k = 6 (expected fill 0.465) and k = 7 (0.518); the fill's
        // standard deviation is below 0.002.
        assertTrue(FILL[5] < 0.5 && FILL[6] > 0.5, () -> "fill at k = 6: " + FILL[5] + ", at k = 7: " + FILL[6]);
        assertEquals(6, SWEEP[5]);
        assertEquals(7, SWEEP[6]);
    }

    @Test
    void givenItsFillAFilterAnswersLikeKIndependentBits() {
        // Conditioned on the filter, a probe is a false positive with probability about fill^k, so only
        // probe noise remains. This is the sharpest check that the k double-hashed positions behave
        // like independent uniform ones.
        for (int i = 0; i < SWEEP.length; i++) {
            int k = SWEEP[i];
            double expected = Math.pow(FILL[i], k);
            double tolerance = 4 * Math.sqrt(expected * (1 - expected) / PROBES) + 0.01 * expected;
            double got = MEASURED[i];
            assertTrue(Math.abs(got - expected) <= tolerance,
                    () -> "k = " + k + ": measured " + got + ", fill^k " + expected + " ± " + tolerance);
        }
    }

    // ------------------------------------------------------------------ there is an optimal k

    @Test
    void moreHashFunctionsHelpOnlyUpToTheOptimum() {
        // Formula at m/n = 9.59: k=1 9.9%, 2 3.5%, 3 1.9%, 4 1.35%, 7 1.00%, 10 1.30%, 12 1.76%, 16 3.5%,
        // 20 7.1%. Each step below is more than five combined standard deviations of the two
        // measurements, so the order cannot come from noise.
        int[] falling = {1, 2, 3, 4, 7};
        for (int i = 1; i < falling.length; i++) {
            assertTrue(measured(falling[i]) < measured(falling[i - 1]),
                    "k = " + falling[i] + " should beat k = " + falling[i - 1]);
        }
        int[] rising = {7, 10, 12, 16, 20};
        for (int i = 1; i < rising.length; i++) {
            assertTrue(measured(rising[i]) > measured(rising[i - 1]),
                    "k = " + rising[i] + " should lose to k = " + rising[i - 1]);
        }
        // Far too many hash functions are worse than far too few.
        assertTrue(measured(16) > measured(3), "k = 16 should lose even to k = 3");
        assertTrue(measured(20) > measured(3), "k = 20 should lose even to k = 3");
        // Well above the optimum the rate is clearly worse: the two tolerance bands do not even touch.
        for (int k : new int[] {12, 16, 20}) {
            assertTrue(measured(k) - tolerance(bits, N, k, PROBES) > measured(7) + tolerance(bits, N, 7, PROBES),
                    "k = " + k + " should be clearly worse than k = 7");
        }
    }

    @Test
    void theLowestMeasuredRateIsNextToTheOptimum() {
        // The formula is within 15% of its minimum for k = 5..9 and at least 29% above it for k = 4
        // and k = 10, gaps of more than five standard deviations from k = 7, so the measured minimum
        // must fall in 5..9; which one of them wins is noise.
        double minimum = BloomFilter.falsePositiveRate(bits, N, 7);
        for (int k = 5; k <= 9; k++) {
            assertTrue(BloomFilter.falsePositiveRate(bits, N, k) < 1.15 * minimum, "the bottom is flat at k = " + k);
        }
        assertTrue(BloomFilter.falsePositiveRate(bits, N, 4) > 1.29 * minimum);
        assertTrue(BloomFilter.falsePositiveRate(bits, N, 10) > 1.29 * minimum);
        int best = BloomFilter.lowestMeasuredK(SWEEP, FALSE_POSITIVES);
        double optimum = BloomFilter.optimalHashes(bits, N);
        assertTrue(Math.abs(best - optimum) < 2.5, () -> "lowest measured at k = " + best + ", optimum " + optimum);
    }

    @Test
    void lowestMeasuredKPicksTheSmallestCountAndTheFirstOnATie() {
        assertEquals(3, BloomFilter.lowestMeasuredK(new int[] {1, 2, 3, 4}, new int[] {9, 5, 2, 2}));
        assertEquals(1, BloomFilter.lowestMeasuredK(new int[] {1, 2}, new int[] {4, 4}));
    }

    // ------------------------------------------------------------------ sizing

    @Test
    void sizingFormulas() {
        double ln2 = Math.log(2);
        assertEquals(95_851, BloomFilter.optimalBits(10_000, 0.01));
        assertEquals(Math.ceil(10_000 * Math.log(100) / (ln2 * ln2)), BloomFilter.optimalBits(10_000, 0.01));
        assertEquals(95_872, bits, "rounded up to 1498 whole longs");
        assertEquals(bits / 10_000.0 * ln2, BloomFilter.optimalHashes(bits, 10_000), 1e-12);

        // At m = n·bitsPerItem(p) and k = (m/n) ln 2, half the bits are set and the formula gives p exactly.
        for (double p : new double[] {0.1, 0.01, 0.001, 1e-6}) {
            double bitsPerItem = BloomFilter.bitsPerItem(p);
            long n = 1_000_000;
            long m = Math.round(n * bitsPerItem);
            double k = BloomFilter.optimalHashes(m, n);
            assertEquals(0.5, Math.exp(-k * n / m), 1e-6);
            assertEquals(p, BloomFilter.falsePositiveRate(m, n, k), p * 1e-5);
            // about 1.44 log2(1/p) bits per item
            assertEquals(Math.log(1 / p) / Math.log(2) / ln2, bitsPerItem, 1e-12);
            // the optimum is a minimum of the formula in k
            assertTrue(BloomFilter.falsePositiveRate(m, n, k - 0.5) > BloomFilter.falsePositiveRate(m, n, k));
            assertTrue(BloomFilter.falsePositiveRate(m, n, k + 0.5) > BloomFilter.falsePositiveRate(m, n, k));
        }
        assertEquals(9.59, BloomFilter.bitsPerItem(0.01), 0.005);
        // Each tenfold cut in p costs ln 10 / (ln 2)^2 ≈ 4.79 more bits per item.
        assertEquals(4.79, BloomFilter.bitsPerItem(0.001) - BloomFilter.bitsPerItem(0.01), 0.005);
        assertEquals(1.44, 1 / ln2, 0.005);
    }

    @Test
    void theBitArrayIsWholeLongs() {
        assertEquals(64, new BloomFilter(1, 1).bitSize());
        assertEquals(64, new BloomFilter(64, 1).bitSize());
        assertEquals(128, new BloomFilter(65, 1).bitSize());
        assertThrows(IllegalArgumentException.class, () -> new BloomFilter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BloomFilter(64, 0));
    }

    // ------------------------------------------------------------------ Guava as an oracle

    @Test
    void murmur3MatchesGuavaForEveryTailLength() {
        Random random = new Random(33);
        for (int length = 0; length <= 64; length++) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                byte[] expected = Hashing.murmur3_128().hashBytes(data).asBytes();
                long[] h = BloomFilter.Murmur3.hash128(data);
                byte[] got = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(h[0]).putLong(h[1]).array();
                assertArrayEquals(expected, got, "length " + length);
            }
        }
    }

    @Test
    void sameBitsAndAnswersAsGuavasBloomFilter() throws IOException {
        com.google.common.hash.BloomFilter<CharSequence> guava = com.google.common.hash.BloomFilter.create(
                Funnels.stringFunnel(StandardCharsets.UTF_8), N, BloomFilter.P);
        BloomFilter ours = BloomFilter.filled(BloomFilter.optimalBits(N, BloomFilter.P), 7, ITEMS);
        ITEMS.forEach(guava::put);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        guava.writeTo(out);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(out.toByteArray()));
        in.readByte();                                   // strategy: MURMUR128_MITZ_64
        assertEquals(ours.hashes(), in.readUnsignedByte(), "Guava picks the same k");
        long[] guavaWords = new long[in.readInt()];
        for (int i = 0; i < guavaWords.length; i++) {
            guavaWords[i] = in.readLong();
        }
        assertArrayEquals(guavaWords, ours.words(), "bit arrays differ");

        for (String probe : PROBE_NAMES.subList(0, 50_000)) {
            assertEquals(guava.mightContain(probe), ours.mightContain(probe), probe);
        }
        assertEquals(guava.expectedFpp(), Math.pow(ours.fill(), ours.hashes()), 1e-12);
    }

    @Test
    void stringsWithEqualHashCodesGetDifferentPositions() {
        // String.hashCode() gives "Aa" and "BB" the same 32-bit value; a filter built on it would give
        // them all k positions in common. MurmurHash3 over the bytes separates them.
        assertEquals("Aa".hashCode(), "BB".hashCode());
        BloomFilter filter = new BloomFilter(bits, 7);
        assertTrue(!java.util.Arrays.equals(filter.positions("Aa"), filter.positions("BB")));
    }

    // ------------------------------------------------------------------ saturation

    @Test
    void overfillingRaisesTheRateAsTheFormulaSays() {
        int k = 7;
        double previous = 0;
        for (int n : new int[] {N / 2, N, 2 * N, 4 * N}) {
            BloomFilter filter = BloomFilter.filled(bits, k, BloomFilter.names("item-", 0, n));
            double got = (double) BloomFilter.positives(filter, PROBE_NAMES) / PROBES;
            double expected = BloomFilter.falsePositiveRate(bits, n, k);
            double tolerance = tolerance(bits, n, k, PROBES);
            assertTrue(Math.abs(got - expected) <= tolerance,
                    () -> "n = " + n + ": measured " + got + ", formula " + expected + " ± " + tolerance);
            assertTrue(got > previous, "rate should rise with load");
            previous = got;
            if (n == 2 * N) {
                assertTrue(got > 10 * BloomFilter.P, "twice the design load should cost more than tenfold");
            }
            if (n == 4 * N) {
                assertTrue(got > 0.5, "four times the design load: most absent items pass");
            }
        }
    }

    // ------------------------------------------------------------------ union and intersection

    @Test
    void unionIsExactlyTheFilterOfBothSets() {
        BloomFilter a = BloomFilter.filled(bits, 7, ITEMS);
        BloomFilter b = BloomFilter.filled(bits, 7, BloomFilter.names("item-", N / 2, N + N / 2));
        BloomFilter both = BloomFilter.filled(bits, 7, BloomFilter.names("item-", 0, N + N / 2));
        assertArrayEquals(both.words(), a.union(b).words());
        assertThrows(IllegalArgumentException.class, () -> a.union(new BloomFilter(bits, 6)));
        assertThrows(IllegalArgumentException.class, () -> a.intersection(new BloomFilter(bits + 64, 7)));
    }

    @Test
    void intersectionKeepsEveryCommonItemButHasMoreBitsThanTheFilterOfTheCommonItems() {
        int k = 7;
        List<String> common = BloomFilter.names("item-", N / 2, N);
        BloomFilter a = BloomFilter.filled(bits, k, ITEMS);
        BloomFilter b = BloomFilter.filled(bits, k, BloomFilter.names("item-", N / 2, N + N / 2));
        BloomFilter and = a.intersection(b);
        BloomFilter exact = BloomFilter.filled(bits, k, common);

        assertEquals(0, BloomFilter.falseNegatives(and, common));
        long[] andWords = and.words();
        long[] exactWords = exact.words();
        for (int w = 0; w < andWords.length; w++) {
            assertEquals(0, exactWords[w] & ~andWords[w], "a bit of the common items' filter is missing");
        }
        // A bit is set in A AND B if a common item set it (probability c), or if it was missed by them
        // but set both by an item only in A and by an item only in B: c + (1 - c)·a·b.
        double third = 1 - Math.exp(-(double) k * (N / 2) / bits);
        double expectedFill = third + (1 - third) * third * third;
        double sdFill = Math.sqrt(expectedFill * (1 - expectedFill) / bits);
        double fillTolerance = 4 * sdFill + 1e-4;
        assertEquals(expectedFill, and.fill(), fillTolerance);
        assertTrue(and.fill() > exact.fill() + 4 * fillTolerance);

        double andRate = (double) BloomFilter.positives(and, PROBE_NAMES) / PROBES;
        double exactRate = (double) BloomFilter.positives(exact, PROBE_NAMES) / PROBES;
        // Formula: 0.37^7 ≈ 0.096% against 0.306^7 ≈ 0.025%, about 190 against 50 of the probes.
        double expectedAnd = Math.pow(expectedFill, k);
        assertEquals(expectedAnd, andRate, rateTolerance(expectedFill, sdFill, k, PROBES));
        assertTrue(andRate > 2 * exactRate, () -> "AND " + andRate + " vs exact " + exactRate);
    }

    // ------------------------------------------------------------------ no deletion

    @Test
    void clearingOneItemsBitsHidesExactlyTheItemsThatShareThem() {
        BloomFilter filter = BloomFilter.filled(bits, 7, ITEMS);
        int totalHidden = 0;
        for (String victim : List.of("item-42", "item-1", "item-9999")) {
            Set<Long> victimBits = new HashSet<>();
            for (long bit : filter.positions(victim)) {
                victimBits.add(bit);
            }
            int sharing = 0;
            for (String item : ITEMS) {
                if (item.equals(victim)) {
                    continue;
                }
                for (long bit : filter.positions(item)) {
                    if (victimBits.contains(bit)) {
                        sharing++;
                        break;
                    }
                }
            }
            int hidden = BloomFilter.hiddenByClearing(filter, victim, ITEMS);
            assertEquals(sharing, hidden, victim);
            totalHidden += hidden;
        }
        assertTrue(BloomFilter.hiddenByClearing(filter, "item-42", ITEMS) > 0);
        assertTrue(totalHidden > 0);
        assertEquals(0, BloomFilter.falseNegatives(filter, ITEMS), "hiddenByClearing must not touch the filter");
    }
}
