import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Holds {@link Bitmap} to what the page says: every operation agrees with {@link BitSet} (the
 * oracle) on random sets and at word edges, the daily-active-user answers agree with a plain
 * {@code HashSet<Integer>} computation, a bitmap's bytes are words × 8, and the HashSet estimate is
 * close to what the JVM really allocates and retains.
 */
class BitmapTest {

    // ------------------------------------------------------------ agreement with java.util.BitSet

    private record Pair(Bitmap bitmap, BitSet oracle) {
    }

    /** The same random set built twice, with random clears mixed in, from a fixed seed. */
    private static Pair randomSet(int size, double density, SplittableRandom random) {
        Bitmap bitmap = new Bitmap(size);
        BitSet oracle = new BitSet(size);
        for (int i = 0; i < size; i++) {
            if (random.nextDouble() < density) {
                bitmap.set(i);
                oracle.set(i);
            }
        }
        for (int k = 0; k < size / 10; k++) {
            int i = random.nextInt(size);
            bitmap.clear(i);
            oracle.clear(i);
        }
        return new Pair(bitmap, oracle);
    }

    private static int[] members(Bitmap bitmap) {
        List<Integer> ids = new ArrayList<>();
        bitmap.forEach(ids::add);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void assertSameSet(BitSet expected, Bitmap actual, String what) {
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": get(" + i + ")");
        }
        assertEquals(expected.cardinality(), actual.cardinality(), what + ": cardinality");
        assertArrayEquals(expected.stream().toArray(), members(actual), what + ": members in ascending order");
        assertEquals(expected, BitSet.valueOf(actual.toLongArray()), what + ": word layout differs from BitSet's");
    }

    @Test
    void everyOperationAgreesWithBitSetOnRandomSets() {
        SplittableRandom random = new SplittableRandom(2016);
        // Sizes on both sides of word edges, densities from sparse to nearly full.
        for (int size : new int[] {1, 63, 64, 65, 127, 128, 129, 1_000, 4_097, 100_000}) {
            for (double density : new double[] {0.001, 0.05, 0.5, 0.97}) {
                Pair a = randomSet(size, density, random);
                Pair b = randomSet(size, 1 - density, random);
                String label = "size " + size + ", density " + density;
                assertSameSet(a.oracle(), a.bitmap(), label + ", a");

                BitSet and = (BitSet) a.oracle().clone();
                and.and(b.oracle());
                BitSet or = (BitSet) a.oracle().clone();
                or.or(b.oracle());
                BitSet andNot = (BitSet) a.oracle().clone();
                andNot.andNot(b.oracle());
                assertSameSet(and, a.bitmap().and(b.bitmap()), label + ", AND");
                assertSameSet(or, a.bitmap().or(b.bitmap()), label + ", OR");
                assertSameSet(andNot, a.bitmap().andNot(b.bitmap()), label + ", AND-NOT");

                // The operations return new bitmaps and leave their operands alone.
                assertSameSet(a.oracle(), a.bitmap(), label + ", a after the operations");
                assertSameSet(b.oracle(), b.bitmap(), label + ", b after the operations");
            }
        }
    }

    @Test
    void idsAtWordEdgesLandInTheRightWordAndBit() {
        int size = 200;
        // 31 and 32 catch an int shift (1 << i), which wraps at 32; 63/64 and 127/128 are word edges.
        int[] edges = {0, 31, 32, 63, 64, 127, 128, 199};
        Bitmap bitmap = Bitmap.of(size, edges);
        BitSet oracle = new BitSet();
        Arrays.stream(edges).forEach(oracle::set);
        assertSameSet(oracle, bitmap, "edges");
        assertArrayEquals(edges, members(bitmap));

        long[] words = bitmap.toLongArray();
        assertEquals(4, words.length, "200 ids need ceil(200 / 64) = 4 words");
        assertEquals(1L | 1L << 31 | 1L << 32 | 1L << 63, words[0]);
        assertEquals(1L | 1L << 63, words[1], "ids 64 and 127");
        assertEquals(1L, words[2], "id 128");
        assertEquals(1L << (199 - 192), words[3], "id 199");

        bitmap.clear(64);
        assertTrue(bitmap.get(63));
        assertFalse(bitmap.get(64));
        assertTrue(bitmap.get(127));
        assertEquals(edges.length - 1, bitmap.cardinality());
        bitmap.clear(64); // clearing an absent id changes nothing
        assertEquals(edges.length - 1, bitmap.cardinality());
    }

    @Test
    void idsOutsideTheRangeAreRejectedSoTailBitsStayClear() {
        Bitmap bitmap = new Bitmap(65); // two words, only bit 0 of the second is an id
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.set(65));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.set(127));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.clear(65));
        bitmap.set(64);
        assertEquals(1L, bitmap.toLongArray()[1]);
        assertEquals(1, bitmap.cardinality());
    }

    @Test
    void bitmapsOverDifferentRangesDoNotCombine() {
        assertThrows(IllegalArgumentException.class, () -> new Bitmap(64).and(new Bitmap(65)));
        assertThrows(IllegalArgumentException.class, () -> new Bitmap(64).or(new Bitmap(128)));
        assertThrows(IllegalArgumentException.class, () -> new Bitmap(-1));
    }

    @Test
    void anEmptyBitmapHasNoMembers() {
        Bitmap empty = new Bitmap(1_000);
        assertEquals(0, empty.cardinality());
        assertEquals(0, members(empty).length);
        assertEquals(0, new Bitmap(0).bytes());
    }

    // ------------------------------------------------------------ daily active users

    @Test
    void theDailyActiveUserAnswersMatchAPlainHashSetComputation() {
        List<int[]> activity = Bitmap.simulateActivity(Bitmap.USERS, Bitmap.DAYS, Bitmap.SEED);
        int[] payingIds = Bitmap.payingUsers(Bitmap.USERS, Bitmap.SEED);

        List<Bitmap> days = new ArrayList<>();
        activity.forEach(active -> days.add(Bitmap.of(Bitmap.USERS, active)));
        Bitmap.Answers bitmapAnswers = Bitmap.answer(days, Bitmap.of(Bitmap.USERS, payingIds));

        Set<Integer> day1 = setOf(activity.get(0));
        Set<Integer> day2 = setOf(activity.get(1));
        Set<Integer> week1 = new HashSet<>();
        Set<Integer> week2 = new HashSet<>();
        Set<Integer> everyDayOfWeek1 = new HashSet<>(day1);
        for (int d = 0; d < 7; d++) {
            Set<Integer> day = setOf(activity.get(d));
            week1.addAll(day);
            everyDayOfWeek1.retainAll(day);
            week2.addAll(setOf(activity.get(d + 7)));
        }
        Set<Integer> bothDays = new HashSet<>(day1);
        bothDays.retainAll(day2);
        Set<Integer> retained = new HashSet<>(week1);
        retained.retainAll(week2);
        Set<Integer> churned = new HashSet<>(week1);
        churned.removeAll(week2);
        Set<Integer> newOrBack = new HashSet<>(week2);
        newOrBack.removeAll(week1);
        Set<Integer> payingSilent = setOf(payingIds);
        payingSilent.removeAll(week2);

        Bitmap.Answers hashSetAnswers = new Bitmap.Answers(day1.size(), bothDays.size(), week1.size(),
                everyDayOfWeek1.size(), week2.size(), retained.size(), churned.size(), newOrBack.size(),
                payingSilent.size());
        assertEquals(hashSetAnswers, bitmapAnswers);

        // What the page tells the reader to look for in this run.
        Bitmap.Answers a = bitmapAnswers;
        double bothShare = (double) a.day1AndDay2() / a.day1();
        assertTrue(bothShare > 0.3 && bothShare < 0.7, "both days should be about half of one day: " + bothShare);
        assertTrue(a.week1() > 2 * a.day1(), "the week's union should be well over twice a day");
        assertTrue(a.everyDayOfWeek1() > 0 && a.everyDayOfWeek1() < a.day1() / 4, "every day of the week: a small core");
        assertTrue(a.churned() > 0 && a.returnedOrNew() > 0);

        long bitmapBytes = new Bitmap(Bitmap.USERS).bytes();
        for (int dense : new int[] {a.day1(), a.week1()}) {
            assertTrue(Bitmap.sortedArrayBytes(dense) >= 4 * bitmapBytes, "several times smaller than int[]: " + dense);
            double vsHashSet = (double) Bitmap.hashSetBytesEstimate(dense) / bitmapBytes;
            assertTrue(vsHashSet >= 50 && vsHashSet <= 500, "about two orders of magnitude below HashSet: " + vsHashSet);
        }
        int paying = payingIds.length;
        assertTrue(Bitmap.sortedArrayBytes(paying) < bitmapBytes && Bitmap.hashSetBytesEstimate(paying) < bitmapBytes,
                "the paying set should be sparse enough for the bitmap to lose to both");
        int allFourteen = Bitmap.andAll(days).cardinality();
        assertTrue(allFourteen > Bitmap.breakEven(Bitmap.USERS, Bitmap::hashSetBytesEstimate)
                        && allFourteen <= Bitmap.breakEven(Bitmap.USERS, Bitmap::sortedArrayBytes),
                "the all-14-days set should lie between the two break-even points: " + allFourteen);
    }

    private static Set<Integer> setOf(int[] ids) {
        Set<Integer> set = new HashSet<>();
        for (int id : ids) {
            set.add(id);
        }
        return set;
    }

    @Test
    void theSimulationIsDeterministicAndItsDaysAreSortedAndInRange() {
        List<int[]> first = Bitmap.simulateActivity(10_000, Bitmap.DAYS, Bitmap.SEED);
        List<int[]> second = Bitmap.simulateActivity(10_000, Bitmap.DAYS, Bitmap.SEED);
        assertEquals(Bitmap.DAYS, first.size());
        for (int d = 0; d < Bitmap.DAYS; d++) {
            assertArrayEquals(first.get(d), second.get(d), "day " + d);
            int[] day = first.get(d);
            for (int k = 0; k < day.length; k++) {
                assertTrue(day[k] >= 0 && day[k] < 10_000 && (k == 0 || day[k] > day[k - 1]));
            }
        }
    }

    @Test
    void theExamplesOwnChecksAllPass() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Bitmap.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        long checks = output.lines().filter(line -> line.startsWith("check: ")).count();
        assertEquals(3, checks, output);
        output.lines().filter(line -> line.startsWith("check: "))
                .forEach(line -> assertTrue(line.endsWith(": true"), line));
        assertTrue(output.contains("smaller than a sorted int[] above 31,250 members"), output);
    }

    // ------------------------------------------------------------ memory

    @Test
    void aBitmapTakesWordsTimesEightBytesWhateverItHolds() {
        for (int size : new int[] {1, 63, 64, 65, 128, 1_000, 1_000_000}) {
            Bitmap bitmap = new Bitmap(size);
            int words = (size + 63) / 64;
            assertEquals(words, bitmap.toLongArray().length);
            assertEquals(8L * words, bitmap.bytes(), "size " + size);
            for (int i = 0; i < size; i += 3) {
                bitmap.set(i);
            }
            assertEquals(8L * words, bitmap.bytes(), "bytes must not depend on the members, size " + size);
        }
        assertEquals(125_000, new Bitmap(1_000_000).bytes());
    }

    @Test
    void theHashTableGrowsLikeADefaultHashMap() {
        // HashMap's javadoc: default capacity 16, load factor 0.75, doubled when the size exceeds
        // capacity × load factor.
        assertEquals(0, Bitmap.hashTableSlots(0));
        assertEquals(16, Bitmap.hashTableSlots(1));
        assertEquals(16, Bitmap.hashTableSlots(12));
        assertEquals(32, Bitmap.hashTableSlots(13));
        assertEquals(64, Bitmap.hashTableSlots(25));
        assertEquals(1 << 20, Bitmap.hashTableSlots(786_432));
        assertEquals(1 << 21, Bitmap.hashTableSlots(786_433));
        // 1,000 members: 48 bytes each plus a 2,048-slot table.
        assertEquals(1_000 * 48 + 4 * 2_048, Bitmap.hashSetBytesEstimate(1_000));
    }

    @Test
    void aHashSetCostsFiftyThreeToFiftyNineBytesPerMember() {
        // 48 bytes of objects, plus 4 bytes times slots per member, which lies in [1/0.75, 2/0.75)
        // once the table has grown past its initial 16 slots.
        for (int members = 13; members <= 2_000_000; members += 997) {
            double perMember = (double) Bitmap.hashSetBytesEstimate(members) / members;
            assertTrue(perMember >= 48 + 4 / 0.75 && perMember < 48 + 8 / 0.75, members + ": " + perMember);
        }
    }

    @Test
    void breakEvenPointsFollowFromTheFormulas() {
        int size = 1_000_000;
        // A sorted int[] takes 32 bits per member against one bit per id: equal at size / 32.
        assertEquals(size / 32, Bitmap.breakEven(size, Bitmap::sortedArrayBytes));
        int hashSet = Bitmap.breakEven(size, Bitmap::hashSetBytesEstimate);
        assertTrue(Bitmap.hashSetBytesEstimate(hashSet) <= 125_000);
        assertTrue(Bitmap.hashSetBytesEstimate(hashSet + 1) > 125_000);
        assertEquals(2_262, hashSet, "the page's break-even point for HashSet<Integer>");
    }

    /**
     * The estimate assumes 12-byte object headers and 4-byte references (compressed oops, no compact
     * headers). On any other layout the assumption, not the code, is wrong, so the test is skipped.
     */
    private static void assumeTheEstimatesLayout() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(hotspot != null, "not a HotSpot JVM");
        assumeTrue(Boolean.parseBoolean(hotspot.getVMOption("UseCompressedOops").getValue()), "no compressed oops");
        boolean compactHeaders;
        try {
            compactHeaders = Boolean.parseBoolean(hotspot.getVMOption("UseCompactObjectHeaders").getValue());
        } catch (IllegalArgumentException noSuchOption) {
            compactHeaders = false; // JDK 23 and older have no compact headers
        }
        assumeTrue(!compactHeaders, "compact object headers are on");
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is unavailable");
        return threads;
    }

    private static HashSet<Integer> presized(int members) {
        HashSet<Integer> set = new HashSet<>(Bitmap.hashTableSlots(members));
        for (int i = 0; i < members; i++) {
            set.add(1_000 + i); // above 127: every Integer is a new object, none comes from the cache
        }
        return set;
    }

    @Test
    void theHashSetEstimateMatchesTheBytesTheJvmAllocates() {
        assumeTheEstimatesLayout();
        com.sun.management.ThreadMXBean threads = allocationCounter();
        int members = 100_000;
        presized(members); // load and initialise the classes first
        // A presized set never resizes, so everything allocated is live: nodes, Integers, one table,
        // plus two small fixed objects (the HashSet and its HashMap) and the table's 16-byte header.
        long before = threads.getCurrentThreadAllocatedBytes();
        HashSet<Integer> set = presized(members);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        Reference.reachabilityFence(set);
        long estimate = Bitmap.hashSetBytesEstimate(members);
        assertTrue(Math.abs(allocated - estimate) <= estimate / 50,
                () -> "allocated " + allocated + " bytes, estimate " + estimate);

        // The bitmap's own footprint: the words, a 16-byte array header and a small object.
        long beforeBitmap = threads.getCurrentThreadAllocatedBytes();
        Bitmap bitmap = new Bitmap(1_000_000);
        long bitmapAllocated = threads.getCurrentThreadAllocatedBytes() - beforeBitmap;
        Reference.reachabilityFence(bitmap);
        assertTrue(bitmapAllocated >= bitmap.bytes() && bitmapAllocated <= bitmap.bytes() + 64,
                () -> "a bitmap of " + bitmap.bytes() + " payload bytes allocated " + bitmapAllocated);
    }

    @Test
    void theHashSetEstimateIsTheRightSizeForWhatTheHeapRetains() {
        assumeTheEstimatesLayout();
        // Retained heap after full collections, for sets grown from the default capacity as the
        // example assumes. Heap accounting is coarser than allocation counting (other threads,
        // collector bookkeeping), so the band is generous: it checks the order of magnitude, and
        // still fails an estimate that forgot the Integers (ratio 1.43) or the nodes (ratio 2.5).
        // Ten sets of 49,000 keep each table at 256 KiB, below G1's humongous-object threshold, so
        // no table is rounded up to whole heap regions.
        int sets = 10;
        int members = 49_000;
        long before = usedHeapAfterGc();
        List<HashSet<Integer>> retainedSets = new ArrayList<>();
        for (int s = 0; s < sets; s++) {
            HashSet<Integer> set = new HashSet<>();
            for (int i = 0; i < members; i++) {
                set.add(1_000 + i); // above 127: every Integer is a new object
            }
            retainedSets.add(set);
        }
        long retained = usedHeapAfterGc() - before;
        Reference.reachabilityFence(retainedSets);
        long estimate = sets * Bitmap.hashSetBytesEstimate(members);
        double ratio = (double) retained / estimate;
        assertTrue(ratio > 0.75 && ratio < 1.33, () -> "retained " + retained + " bytes, estimate " + estimate);
    }

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
