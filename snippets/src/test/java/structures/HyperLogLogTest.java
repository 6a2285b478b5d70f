import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link HyperLogLog} to what its page says. Tolerances come from theory, not from a run:
 * the relative standard error of HyperLogLog is about 1.04/√m (Flajolet et al. 2007), and the
 * standard deviation of linear counting at load t = n/m is √(m(e^t − t − 1)) (Whang et al. 1990).
 * Each seed is fixed, so every run sees the same numbers; the bounds are at least three standard
 * deviations wide so that a correct sketch passes for any seed with high probability.
 */
class HyperLogLogTest {

    private static HyperLogLog sketchOfIds(int p, long from, long to) {
        HyperLogLog sketch = new HyperLogLog(p);
        for (long id = from; id < to; id++) {
            sketch.add(id);
        }
        return sketch;
    }

    /** Standard deviation of the linear-counting estimate of n items in m registers (Whang et al.). */
    private static double linearCountingStdDev(int m, double n) {
        double t = n / m;
        return Math.sqrt(m * (Math.exp(t) - t - 1));
    }

    // ------------------------------------------------------------ hash

    @Test
    void fnv1aMatchesPublishedTestVectors() {
        // Test vectors from the FNV reference test suite (Fowler, Noll, Vo).
        assertEquals(0xcbf29ce484222325L, HyperLogLog.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, HyperLogLog.fnv1a64("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0x85944171f73967e8L, HyperLogLog.fnv1a64("foobar".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fmix64MatchesGuavasMurmur3Finaliser() {
        // For an empty input, Guava's murmur3_128(seed) returns h1 = fmix(2s) + fmix(3s) and
        // h2 = fmix(3s) + h1, where s is the int seed widened to a long. Solve for both fmix values.
        for (int seed : new int[] {1, 7, 12345, -1, Integer.MIN_VALUE}) {
            HashCode code = Hashing.murmur3_128(seed).hashBytes(new byte[0]);
            ByteBuffer buffer = ByteBuffer.wrap(code.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
            long h1 = buffer.getLong();
            long h2 = buffer.getLong();
            long s = seed;
            long fmixThree = h2 - h1;
            long fmixTwo = h1 - fmixThree;
            assertEquals(fmixTwo, HyperLogLog.fmix64(2 * s), "fmix64(2 * " + s + ")");
            assertEquals(fmixThree, HyperLogLog.fmix64(3 * s), "fmix64(3 * " + s + ")");
        }
    }

    @Test
    void theIdHashIsFnv1aOverTheEightLittleEndianBytesThenTheFinaliser() {
        for (long id : new long[] {0, 1, 42, -1, Long.MIN_VALUE, 0x0123456789abcdefL}) {
            byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
            assertEquals(HyperLogLog.fnv1a64(bytes), HyperLogLog.fnv1a64(id), "id " + id);
            assertEquals(HyperLogLog.fmix64(HyperLogLog.fnv1a64(bytes)), HyperLogLog.hash(id), "id " + id);
        }
        assertEquals(HyperLogLog.fmix64(HyperLogLog.fnv1a64("user-42".getBytes(StandardCharsets.UTF_8))),
                HyperLogLog.hash("user-42"));
    }

    @Test
    void sequentialIdsSpreadEvenlyOverTheRegisters() {
        // Chi-square over 1,024 registers with 1,000,000 sequential ids: 1,023 degrees of freedom,
        // mean 1,023, standard deviation √2046 ≈ 45. Five standard deviations above the mean fails.
        int p = 10;
        int m = 1 << p;
        int n = 1_000_000;
        long[] counts = new long[m];
        for (long id = 0; id < n; id++) {
            counts[(int) (HyperLogLog.hash(id) >>> (64 - p))]++;
        }
        double expected = (double) n / m;
        double chiSquare = 0;
        for (long c : counts) {
            chiSquare += (c - expected) * (c - expected) / expected;
        }
        double limit = (m - 1) + 5 * Math.sqrt(2.0 * (m - 1));
        double measured = chiSquare;
        assertTrue(measured < limit, () -> "chi-square " + measured + " above " + limit);

        // Ranks: a share of about 2^-(k-1) of the hashes has rank k or more.
        int p14 = 14;
        for (int k = 1; k <= 8; k++) {
            int rank = k;
            long atLeast = 0;
            for (long id = 0; id < n; id++) {
                long rest = HyperLogLog.hash(id) << p14;
                if (Long.numberOfLeadingZeros(rest | (1L << (p14 - 1))) + 1 >= rank) {
                    atLeast++;
                }
            }
            double q = Math.pow(2, -(k - 1));
            double tolerance = 5 * Math.sqrt(n * q * (1 - q)) + 1;
            long count = atLeast;
            assertEquals(n * q, count, tolerance, () -> "hashes with rank >= " + rank + ": " + count);
        }
    }

    @Test
    void fnv1aWithoutTheFinaliserMiscountsSequentialIds() {
        // The page claims the finaliser matters: FNV-1a alone, over ids that differ only in their low
        // bytes, leaves the bits HyperLogLog reads poorly mixed. "Far off" here means more than ten
        // standard errors, a miss a good hash makes with negligible probability.
        int n = 100_000;
        double se = HyperLogLog.standardError(HyperLogLog.P);
        double good = HyperLogLog.sketchWith(HyperLogLog::hash, n).estimate();
        double fnvOnly = HyperLogLog.sketchWith(HyperLogLog::fnv1a64, n).estimate();
        assertTrue(Math.abs(good - n) / n <= 3 * se, () -> "FNV-1a + fmix64: " + good);
        assertTrue(Math.abs(fnvOnly - n) / n > 10 * se, () -> "FNV-1a alone: " + fnvOnly);
    }

    // ------------------------------------------------------------ registers

    @Test
    void theFirstPBitsPickTheRegisterAndTheRankIsLeadingZerosPlusOne() {
        int p = 4;
        // Top four bits 1010 pick register 10; the next bits 001... give two leading zeros, rank 3.
        long hash = 0b1010_0011L << 56;
        HyperLogLog sketch = new HyperLogLog(p);
        assertTrue(sketch.addHash(hash));
        byte[] registers = sketch.registers();
        assertEquals(3, registers[10]);
        for (int j = 0; j < 16; j++) {
            if (j != 10) {
                assertEquals(0, registers[j], "register " + j);
            }
        }
        // First remaining bit set: rank 1. All 60 remaining bits zero: the cap, 64 - p + 1 = 61.
        HyperLogLog other = new HyperLogLog(p);
        other.addHash((0b0011L << 60) | (1L << 59));
        other.addHash(0b0101L << 60);
        assertEquals(1, other.registers()[3]);
        assertEquals(61, other.registers()[5]);
        // The lowest remaining bit alone: 59 zeros, rank 60.
        HyperLogLog low = new HyperLogLog(p);
        low.addHash(1L);
        assertEquals(60, low.registers()[0]);
    }

    @Test
    void theDiagramsWorkedExampleIsTrue() {
        // The page's first diagram: "user-42" with p = 4 goes to register 10 with rank 3.
        long hash = HyperLogLog.hash("user-42");
        assertEquals(0b1010, hash >>> 60);
        assertEquals(0b0011, (hash >>> 56) & 0xF);
        HyperLogLog sketch = new HyperLogLog(4);
        sketch.add("user-42");
        assertEquals(3, sketch.registers()[10]);
    }

    @Test
    void aRegisterKeepsTheLargestRank() {
        HyperLogLog sketch = new HyperLogLog(4);
        long register7 = 0b0111L << 60;
        assertTrue(sketch.addHash(register7 | (1L << 57)));   // rank 3
        assertFalse(sketch.addHash(register7 | (1L << 59)));  // rank 1: smaller, ignored
        assertTrue(sketch.addHash(register7 | (1L << 54)));   // rank 6
        assertFalse(sketch.addHash(register7 | (1L << 57)));  // rank 3 again
        assertEquals(6, sketch.registers()[7]);
    }

    @Test
    void precisionOutsideFourToEighteenIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(3));
        assertThrows(IllegalArgumentException.class, () -> new HyperLogLog(19));
        assertEquals(1 << 18, new HyperLogLog(18).registerCount());
    }

    // ------------------------------------------------------------ estimates

    @Test
    void aMillionDistinctItemsAreEstimatedWithinThreeStandardErrors() {
        int p = 14;
        int n = 1_000_000;
        HyperLogLog sketch = sketchOfIds(p, 0, n);
        double error = (sketch.estimate() - n) / n;
        double bound = 3 * 1.04 / Math.sqrt(1 << p);
        assertFalse(sketch.inSmallRange(), "a million items in 16,384 registers is past the small range");
        assertTrue(Math.abs(error) <= bound, () -> "relative error " + error + " beyond " + bound);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 12, 16})
    void aMillionDistinctItemsAtOtherPrecisions(int p) {
        int n = 1_000_000;
        HyperLogLog sketch = sketchOfIds(p, 5_000_000, 5_000_000 + n);
        double error = (sketch.estimate() - n) / n;
        double bound = 3 * HyperLogLog.standardError(p);
        assertTrue(Math.abs(error) <= bound, () -> "p=" + p + ": relative error " + error + " beyond " + bound);
    }

    @Test
    void theSpreadOfManySketchesMatchesOnePointZeroFourOverRootM() {
        // 200 independent sketches (disjoint id ranges), p = 10, 20,000 items each (about 20·m, well past
        // the small range). Their root-mean-square relative error estimates 1.04/√m with a relative
        // standard error of about 1/√(2·200) = 5%, so [0.8, 1.2] is four of those either side. Their
        // mean error has a standard error of 3.25%/√200 = 0.23%; the bound is four times that.
        int p = 10;
        int n = 20_000;
        int sketches = 200;
        double sumSquares = 0;
        double sum = 0;
        for (int s = 0; s < sketches; s++) {
            long from = 1_000_000_000L + (long) s * n;
            HyperLogLog sketch = sketchOfIds(p, from, from + n);
            double error = (sketch.estimate() - n) / n;
            sum += error;
            sumSquares += error * error;
        }
        double rms = Math.sqrt(sumSquares / sketches);
        double mean = sum / sketches;
        double theory = HyperLogLog.standardError(p);
        assertTrue(rms > 0.8 * theory && rms < 1.2 * theory, () -> "rms error " + rms + ", theory " + theory);
        assertTrue(Math.abs(mean) < 4 * theory / Math.sqrt(sketches), () -> "mean error " + mean);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 100, 1_000, 5_000, 10_000, 30_000})
    void linearCountingIsAccurateForSmallCardinalities(int n) {
        int p = 14;
        int m = 1 << p;
        HyperLogLog sketch = sketchOfIds(p, 7_000_000, 7_000_000 + n);
        assertTrue(sketch.inSmallRange(), "n = " + n + " should use linear counting");
        double tolerance = 4 * linearCountingStdDev(m, n) + 1e-9;
        assertEquals(n, sketch.estimate(), tolerance, "n = " + n);
        assertEquals(sketch.linearCounting(), sketch.estimate());
    }

    @Test
    void theSmallRangeEndsAtTwoAndAHalfTimesM() {
        // m = 16,384, so the switch is at a raw estimate of 40,960. 30,000 items give a raw estimate
        // below it (see the demo's table), 50,000 items one well above it (3 standard errors is 2.4%).
        assertTrue(sketchOfIds(14, 0, 30_000).inSmallRange());
        HyperLogLog fifty = sketchOfIds(14, 0, 50_000);
        assertTrue(fifty.emptyRegisters() > 0, "some registers are still empty at 50,000 items");
        assertFalse(fifty.inSmallRange());
        assertEquals(fifty.rawEstimate(), fifty.estimate());
    }

    @Test
    void justAboveTheSwitchTheRawEstimateRunsHighAndTheBiasFadesByFiveM() {
        // Mean relative error of many independent sketches with p = 10. The standard error of a mean
        // of k sketches is about 1.04/√m/√k; the bias at 3·m must exceed four of those, and at 5·m
        // it must stay within four of them.
        int p = 10;
        int m = 1 << p;
        double atThree = meanRelativeError(p, 3 * m, 1_000, 2_000_000_000L);
        double atFive = meanRelativeError(p, 5 * m, 500, 3_000_000_000L);
        double se = HyperLogLog.standardError(p);
        assertTrue(atThree > 4 * se / Math.sqrt(1_000), () -> "bias at 3m: " + atThree);
        assertTrue(Math.abs(atFive) < 4 * se / Math.sqrt(500), () -> "bias at 5m: " + atFive);
    }

    private static double meanRelativeError(int p, int n, int sketches, long firstId) {
        double sum = 0;
        for (int s = 0; s < sketches; s++) {
            long from = firstId + (long) s * n;
            HyperLogLog sketch = sketchOfIds(p, from, from + n);
            assertFalse(sketch.inSmallRange(), "past the switch");
            sum += (sketch.estimate() - n) / n;
        }
        return sum / sketches;
    }

    @Test
    void withoutTheCorrectionSmallCountsAreFarTooHigh() {
        // With almost every register at 0, the raw estimate sits near α_m·m whatever n is.
        int p = 14;
        for (int n : new int[] {0, 100, 1_000}) {
            HyperLogLog sketch = sketchOfIds(p, 0, n);
            double raw = sketch.rawEstimate();
            assertTrue(raw > 10_000, () -> "raw estimate for " + n + " items: " + raw);
        }
        // Each register adds at most 2^0 = 1 to the sum, so the raw estimate is never below α_m·m.
        int m = 1 << p;
        for (int n : new int[] {0, 10_000, 1_000_000}) {
            double raw = sketchOfIds(p, 0, n).rawEstimate();
            assertTrue(raw >= HyperLogLog.alpha(m) * m, () -> "raw estimate " + raw);
        }
        assertEquals(0.0, new HyperLogLog(p).estimate(), "an empty sketch counts zero");
    }

    @Test
    void alphaFollowsThePaper() {
        assertEquals(0.673, HyperLogLog.alpha(16));
        assertEquals(0.697, HyperLogLog.alpha(32));
        assertEquals(0.709, HyperLogLog.alpha(64));
        assertEquals(0.7213 / (1 + 1.079 / 16384), HyperLogLog.alpha(16384), 1e-15);
        // α_m tends to 1/(2 ln 2) = 0.72135 as m grows.
        assertEquals(1 / (2 * Math.log(2)), HyperLogLog.alpha(1 << 30), 1e-4);
    }

    @Test
    void standardErrorAndMemoryFigures() {
        assertEquals(0.008125, HyperLogLog.standardError(14), 1e-12);   // Redis documents 0.81%
        assertEquals(12_288, HyperLogLog.packedBytes(14));               // 16,384 registers of 6 bits: 12 KB
        assertEquals(16_384, new HyperLogLog(14).registers().length);
        // A rank is at most 64 - p + 1, which fits in 6 bits for every p from 4 up.
        assertTrue(64 - 4 + 1 < (1 << 6));
    }

    // ------------------------------------------------------------ duplicates and merge

    @Test
    void duplicatesChangeNothing() {
        int p = 14;
        HyperLogLog sketch = new HyperLogLog(p);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String item = "visitor-" + i;
            sketch.add(item);
            seen.add(item);
        }
        byte[] before = sketch.registers();
        double estimate = sketch.estimate();
        // Each item again, in reverse order, three more times: no register grows.
        for (int round = 0; round < 3; round++) {
            for (int i = 50_000 - 1; i >= 0; i--) {
                assertFalse(sketch.add("visitor-" + i), "a duplicate grew a register");
            }
        }
        assertArrayEquals(before, sketch.registers());
        assertEquals(estimate, sketch.estimate());
        assertEquals(50_000, seen.size());
    }

    @Test
    void theOrderOfTheStreamDoesNotMatter() {
        HyperLogLog forward = sketchOfIds(12, 0, 40_000);
        HyperLogLog backward = new HyperLogLog(12);
        for (long id = 40_000 - 1; id >= 0; id--) {
            backward.add(id);
        }
        assertArrayEquals(forward.registers(), backward.registers());
    }

    @Test
    void mergingTwoSketchesEqualsTheSketchOfTheUnion() {
        int p = 14;
        HyperLogLog monday = sketchOfIds(p, 0, 60_000);
        HyperLogLog tuesday = sketchOfIds(p, 30_000, 90_000);
        HyperLogLog union = sketchOfIds(p, 0, 90_000);

        HyperLogLog merged = new HyperLogLog(p);
        merged.merge(monday);
        merged.merge(tuesday);
        assertArrayEquals(union.registers(), merged.registers());
        assertEquals(union.estimate(), merged.estimate());

        // Merge is commutative and idempotent, like the union it stands for.
        HyperLogLog other = new HyperLogLog(p);
        other.merge(tuesday);
        other.merge(monday);
        other.merge(monday);
        assertArrayEquals(merged.registers(), other.registers());

        // Adding the two counts counts the 30,000 shared ids twice; the merge does not.
        double summed = monday.estimate() + tuesday.estimate();
        double bound = 3 * HyperLogLog.standardError(p);
        assertTrue(Math.abs(merged.estimate() - 90_000) / 90_000 <= bound);
        assertTrue(summed > 90_000 * (1 + 5 * bound), () -> "sum of the two counts " + summed);
    }

    @Test
    void mergeWithStringItemsToo() {
        HyperLogLog a = new HyperLogLog(12);
        HyperLogLog b = new HyperLogLog(12);
        HyperLogLog all = new HyperLogLog(12);
        for (int i = 0; i < 20_000; i++) {
            String item = "10.0." + (i / 256) + "." + (i % 256);
            (i % 3 == 0 ? a : b).add(item);
            all.add(item);
        }
        a.merge(b);
        assertArrayEquals(all.registers(), a.registers());
    }

    @Test
    void sketchesWithDifferentPrecisionsDoNotMerge() {
        HyperLogLog small = new HyperLogLog(12);
        assertThrows(IllegalArgumentException.class, () -> small.merge(new HyperLogLog(14)));
    }

    // ------------------------------------------------------------ memory model and demo

    @Test
    void theHashSetLayoutModelMatchesMeasuredAllocation() {
        // The example prints an estimate of a HashSet<Long>'s heap from a layout model. Check it
        // against the bytes this thread actually allocates while filling one. Growing from the
        // default capacity also allocates every smaller table on the way, lengths 16 .. length/2,
        // which sum to length - 16 slots plus one 16-byte array header each.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        int n = 1_000_000;
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = HyperLogLog.hash((long) i);   // spread-out values, so Long.valueOf never hits its cache
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        Set<Long> set = new HashSet<>();
        for (long v : values) {
            set.add(v);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(n, set.size());

        int length = HyperLogLog.hashSetTableLength(n);
        assertEquals(1 << 21, length, "1,000,000 entries need a 2^21 table at load factor 0.75");
        int smallerTables = Integer.numberOfTrailingZeros(length) - 4;   // 16, 32, ..., length / 2
        long expected = HyperLogLog.hashSetOfLongBytes(n) + 4L * (length - 16) + 16L * smallerTables;
        assertEquals(expected, allocated, 0.01 * expected,
                () -> "model " + expected + " bytes, measured " + allocated);
        assertTrue(HyperLogLog.hashSetOfLongBytes(n) > 3_000 * HyperLogLog.packedBytes(14));
    }

    @Test
    void theDemoRunsAndStaysWithinItsErrorBounds() {
        // The streams of the demo: every id once plus random repeats. Past the small range the
        // bound is 3·1.04/√m; inside it, four linear-counting standard deviations.
        int p = HyperLogLog.P;
        int m = 1 << p;
        for (int distinct : HyperLogLog.DISTINCT) {
            HyperLogLog sketch = new HyperLogLog(p);
            HyperLogLog twice = new HyperLogLog(p);
            HyperLogLog.feed(distinct, HyperLogLog.SEED, sketch);
            for (long id = 0; id < distinct; id++) {
                twice.add(id);
            }
            assertArrayEquals(twice.registers(), sketch.registers(), "repeats changed the sketch");
            double tolerance = sketch.inSmallRange()
                    ? 4 * linearCountingStdDev(m, distinct)
                    : 3 * HyperLogLog.standardError(p) * distinct;
            assertEquals(distinct, sketch.estimate(), tolerance, "distinct = " + distinct);
        }
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            HyperLogLog.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("registers that grew when monday's ids came again: 0"), text);
        assertTrue(text.contains("merged registers equal those of one sketch fed both days: true"), text);
        assertNotEquals(-1, text.indexOf("linear counting"));
        assertTrue(text.lines().count() <= 35, "output too long for the page");
    }
}
