import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.IntConsumer;
import java.util.function.LongBinaryOperator;

/**
 * A bitmap (bit set, bit array) over a fixed range of ids 0 .. size-1, stored in a {@code long[]}.
 *
 * <p>Algorithm. Id i is bit {@code i & 63} of word {@code i >>> 6}. Set, clear and test touch one
 * word. AND, OR and AND-NOT of two bitmaps over the same ids are one bitwise instruction per word,
 * so they answer "in both", "in either" and "in the first but not the second" for 64 ids at a
 * time. The number of members is the sum of {@link Long#bitCount} over the words (population
 * count), and the members are listed in ascending order by taking {@link
 * Long#numberOfTrailingZeros} of each non-zero word and clearing its lowest set bit.
 *
 * <p>Trade-off. Memory is one bit per possible id, size / 8 bytes whatever the number of members,
 * and every AND, OR or count reads every word. That is far smaller and faster than a hash set when
 * many ids are members, and wasteful when few are: below size / 32 members a sorted {@code int[]}
 * is smaller. Compressed bitmaps (run-length codes such as WAH, or Roaring's mix of sorted arrays
 * and bitmaps per block of 65,536 ids) keep the word-at-a-time operations without paying for empty
 * ranges.
 *
 * <p>Sources. The JDK's {@link java.util.BitSet} uses the same layout. P. O'Neil, D. Quass,
 * "Improved query performance with variant indexes", SIGMOD 1997 (bitmap indexes and their
 * AND/OR/NOT query algebra). S. Chambi, D. Lemire, O. Kaser, R. Godin, "Better bitmap performance
 * with Roaring bitmaps", Software: Practice and Experience 46(5), 2016. Redis documentation:
 * SETBIT, BITCOUNT, BITOP.
 */
public final class Bitmap {

    // tag::layout[]
    private final long[] words; // id i lives in words[i / 64], at bit i % 64
    private final int size;     // ids 0 .. size-1

    Bitmap(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        this.size = size;
        this.words = new long[(size + 63) >>> 6]; // ceil(size / 64) words, all zero: the empty set
    }

    private Bitmap(int size, long[] words) {
        this.size = size;
        this.words = words;
    }
    // end::layout[]

    // tag::bits[]
    /** Adds id i. {@code 1L << i} shifts by i mod 64: Java uses only the low 6 bits of a long shift. */
    void set(int i) {
        words[wordOf(i)] |= 1L << i;
    }

    void clear(int i) {
        words[wordOf(i)] &= ~(1L << i);
    }

    boolean get(int i) {
        return (words[wordOf(i)] & (1L << i)) != 0;
    }

    private int wordOf(int i) {
        Objects.checkIndex(i, size); // the last word may have bits past size: never let them be set
        return i >>> 6;
    }
    // end::bits[]

    // tag::algebra[]
    /** Ids in both: intersection. */
    Bitmap and(Bitmap other) {
        return combine(other, (a, b) -> a & b);
    }

    /** Ids in either: union. */
    Bitmap or(Bitmap other) {
        return combine(other, (a, b) -> a | b);
    }

    /** Ids in this one and not in the other: difference. */
    Bitmap andNot(Bitmap other) {
        return combine(other, (a, b) -> a & ~b);
    }

    private Bitmap combine(Bitmap other, LongBinaryOperator op) {
        if (other.size != size) {
            throw new IllegalArgumentException("bitmaps over different id ranges: " + size + " and " + other.size);
        }
        long[] result = new long[words.length];
        for (int w = 0; w < words.length; w++) {
            result[w] = op.applyAsLong(words[w], other.words[w]); // 64 ids per instruction
        }
        return new Bitmap(size, result);
    }

    /** Number of members: population count, word by word. */
    int cardinality() {
        int count = 0;
        for (long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }
    // end::algebra[]

    // tag::iterate[]
    /** Calls the action with every member, in ascending order. */
    void forEach(IntConsumer action) {
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            while (word != 0) {
                action.accept((w << 6) + Long.numberOfTrailingZeros(word)); // lowest set bit
                word &= word - 1; // clear that bit
            }
        }
    }
    // end::iterate[]

    // tag::memory[]
    /** Payload bytes: 8 per word, whatever the number of members (the array header adds 16). */
    long bytes() {
        return words.length * 8L;
    }

    /** Payload bytes of the same members as a sorted int[]: 4 per member. */
    static long sortedArrayBytes(int members) {
        return 4L * members;
    }

    /**
     * Estimated heap bytes of a {@code HashSet<Integer>} built by adding the members one by one, on
     * a 64-bit HotSpot JVM with compressed oops and 12-byte object headers: a 32-byte
     * {@code HashMap.Node} and a 16-byte {@code Integer} per member, plus a 4-byte reference per
     * table slot. The table starts at 16 slots and doubles whenever members exceed 0.75 × slots.
     * An estimate: it leaves out the few fixed objects and the cached Integers -128 .. 127.
     */
    static long hashSetBytesEstimate(int members) {
        return members * (NODE_BYTES + INTEGER_BYTES) + SLOT_BYTES * hashTableSlots(members);
    }

    static final long NODE_BYTES = 32, INTEGER_BYTES = 16, SLOT_BYTES = 4; // the assumptions above

    /** Table length of a default HashMap holding that many keys. */
    static int hashTableSlots(int members) {
        if (members == 0) {
            return 0; // the table is allocated on the first insert
        }
        int slots = 16;
        while (members > slots / 4 * 3) {
            slots *= 2;
        }
        return slots;
    }
    // end::memory[]

    int size() {
        return size;
    }

    /** A copy of the words, in {@link BitSet#valueOf(long[])} layout. */
    long[] toLongArray() {
        return words.clone();
    }

    static Bitmap of(int size, int... ids) {
        Bitmap bitmap = new Bitmap(size);
        for (int id : ids) {
            bitmap.set(id);
        }
        return bitmap;
    }

    static Bitmap orAll(List<Bitmap> bitmaps) {
        Bitmap result = bitmaps.get(0);
        for (Bitmap b : bitmaps.subList(1, bitmaps.size())) {
            result = result.or(b);
        }
        return result;
    }

    static Bitmap andAll(List<Bitmap> bitmaps) {
        Bitmap result = bitmaps.get(0);
        for (Bitmap b : bitmaps.subList(1, bitmaps.size())) {
            result = result.and(b);
        }
        return result;
    }

    // ---------------------------------------------------------------- daily active users

    static final int USERS = 1_000_000;
    static final int DAYS = 14;
    static final long SEED = 35;

    /**
     * Two weeks of activity for ids 0 .. users-1, from a fixed seed. A user is a regular (10%,
     * active on a day with probability 0.85), occasional (25%, 0.30) or rare (65%, 0.03). One user
     * in ten signs up on a day from 1 to 13 and is inactive before it; another one in ten stops
     * after a day from 0 to 12. Element d is the sorted ids active on day d.
     */
    static List<int[]> simulateActivity(int users, int days, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] pActive = new double[users];
        int[] firstDay = new int[users];
        int[] lastDay = new int[users];
        for (int u = 0; u < users; u++) {
            double kind = random.nextDouble();
            pActive[u] = kind < 0.10 ? 0.85 : kind < 0.35 ? 0.30 : 0.03;
            double lifecycle = random.nextDouble();
            firstDay[u] = lifecycle < 0.10 ? 1 + random.nextInt(days - 1) : 0;
            lastDay[u] = lifecycle >= 0.90 ? random.nextInt(days - 1) : days - 1;
        }
        List<int[]> activity = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            int[] active = new int[users];
            int count = 0;
            for (int u = 0; u < users; u++) {
                if (d >= firstDay[u] && d <= lastDay[u] && random.nextDouble() < pActive[u]) {
                    active[count++] = u;
                }
            }
            activity.add(Arrays.copyOf(active, count));
        }
        return activity;
    }

    /** A sparse set: each user pays with probability 1/1000. */
    static int[] payingUsers(int users, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return java.util.stream.IntStream.range(0, users).filter(u -> random.nextInt(1000) == 0).toArray();
    }

    /** The answers the page discusses, as counts. */
    record Answers(int day1, int day1AndDay2, int week1, int everyDayOfWeek1, int week2,
                   int retained, int churned, int returnedOrNew, int payingSilentInWeek2) {
    }

    // tag::dau[]
    static Answers answer(List<Bitmap> days, Bitmap paying) {
        Bitmap week1 = orAll(days.subList(0, 7));   // active on any day of week 1
        Bitmap week2 = orAll(days.subList(7, 14));
        return new Answers(
                days.get(0).cardinality(),
                days.get(0).and(days.get(1)).cardinality(),  // active on day 1 and on day 2
                week1.cardinality(),
                andAll(days.subList(0, 7)).cardinality(),    // active on every day of week 1
                week2.cardinality(),
                week1.and(week2).cardinality(),              // retained
                week1.andNot(week2).cardinality(),           // churned
                week2.andNot(week1).cardinality(),           // new or back in week 2
                paying.andNot(week2).cardinality());         // paying, silent in week 2
    }
    // end::dau[]

    public static void main(String[] args) {
        List<int[]> activity = simulateActivity(USERS, DAYS, SEED);
        List<Bitmap> days = new ArrayList<>();
        for (int[] active : activity) {
            days.add(of(USERS, active));
        }
        int[] payingIds = payingUsers(USERS, SEED);
        Bitmap paying = of(USERS, payingIds);
        Bitmap week1 = orAll(days.subList(0, 7));
        Bitmap week2 = orAll(days.subList(7, 14));
        Answers a = answer(days, paying);

        System.out.printf(Locale.ROOT, "%,d user ids, %d days of activity (seed %d), one bitmap per day%n",
                USERS, DAYS, SEED);
        System.out.printf(Locale.ROOT, "each bitmap: %,d words x 8 = %,d bytes, whatever the day's count%n",
                days.get(0).words.length, days.get(0).bytes());
        for (int week = 0; week < 2; week++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "week %d daily actives:", week + 1));
            for (int d = 7 * week; d < 7 * week + 7; d++) {
                line.append(String.format(Locale.ROOT, " %,8d", days.get(d).cardinality()));
            }
            System.out.println(line);
        }

        System.out.println();
        System.out.println("question                                operation                users");
        row("active on day 1 and on day 2", "day1 AND day2", a.day1AndDay2());
        row("active in week 1 (any of days 1-7)", "OR of days 1-7", a.week1());
        row("active on every day of week 1", "AND of days 1-7", a.everyDayOfWeek1());
        row("active in week 2 (any of days 8-14)", "OR of days 8-14", a.week2());
        row("retained: active in both weeks", "week1 AND week2", a.retained());
        row("churned: week 1 but not week 2", "week1 AND-NOT week2", a.churned());
        row("new or back: week 2 but not week 1", "week2 AND-NOT week1", a.returnedOrNew());
        row("paying users silent in week 2", "paying AND-NOT week2", a.payingSilentInWeek2());
        System.out.printf(Locale.ROOT, "week-1 users retained in week 2: %.1f%%%n", 100.0 * a.retained() / a.week1());

        Bitmap everyDay = andAll(days);
        StringJoiner first = new StringJoiner(", ");
        int[] visited = {0, -1}; // members seen, previous member
        boolean[] ascendingMembers = {true};
        everyDay.forEach(id -> {
            ascendingMembers[0] &= id > visited[1] && everyDay.get(id);
            visited[1] = id;
            if (visited[0]++ < 8) {
                first.add(String.valueOf(id));
            }
        });
        System.out.printf(Locale.ROOT, "active all 14 days: %,d users; the first 8: %s%n", everyDay.cardinality(), first);

        boolean partition = a.retained() + a.churned() == a.week1()
                && a.retained() + a.returnedOrNew() == a.week2();
        boolean iteration = ascendingMembers[0] && visited[0] == everyDay.cardinality();
        System.out.println("check: retained + churned = week 1 and retained + new = week 2: " + partition);
        System.out.println("check: iteration lists every member once, in ascending order: " + iteration);
        System.out.println("check: every answer equals java.util.BitSet's: " + agreesWithBitSet(activity, payingIds, a));

        System.out.println();
        System.out.println("Memory for one set of user ids, payload bytes (64-bit JVM, compressed oops)");
        System.out.println("set                        members     bitmap  sorted int[]  HashSet<Integer>*");
        memory("day 1 actives", days.get(0));
        memory("week 1 actives", week1);
        memory("active all 14 days", everyDay);
        memory("paying users", paying);
        System.out.printf(Locale.ROOT, "* estimate: %d-byte HashMap.Node + %d-byte Integer per member, %d bytes per table slot%n",
                NODE_BYTES, INTEGER_BYTES, SLOT_BYTES);
        System.out.printf(Locale.ROOT, "a bitmap over %,d ids is smaller than a sorted int[] above %,d members (1 id in 32)%n",
                USERS, breakEven(USERS, Bitmap::sortedArrayBytes));
        System.out.printf(Locale.ROOT, "and smaller than the HashSet<Integer> estimate above %,d members%n",
                breakEven(USERS, Bitmap::hashSetBytesEstimate));
    }

    /** The largest member count at which the alternative takes no more bytes than a bitmap over size ids. */
    static int breakEven(int size, java.util.function.IntToLongFunction alternativeBytes) {
        long bitmapBytes = new Bitmap(size).bytes();
        int members = 0;
        while (alternativeBytes.applyAsLong(members + 1) <= bitmapBytes) {
            members++;
        }
        return members;
    }

    /** Recomputes every answer with java.util.BitSet, built from the raw activity, not from our bitmaps. */
    static boolean agreesWithBitSet(List<int[]> activity, int[] payingIds, Answers answers) {
        List<BitSet> days = new ArrayList<>();
        for (int[] active : activity) {
            BitSet b = new BitSet(USERS);
            Arrays.stream(active).forEach(b::set);
            days.add(b);
        }
        BitSet week1 = new BitSet(), week2 = new BitSet(), everyDay1 = (BitSet) days.get(0).clone();
        for (int d = 0; d < 7; d++) {
            week1.or(days.get(d));
            week2.or(days.get(d + 7));
            everyDay1.and(days.get(d));
        }
        BitSet both = (BitSet) days.get(0).clone();
        both.and(days.get(1));
        BitSet retained = (BitSet) week1.clone();
        retained.and(week2);
        BitSet churned = (BitSet) week1.clone();
        churned.andNot(week2);
        BitSet fresh = (BitSet) week2.clone();
        fresh.andNot(week1);
        BitSet silent = new BitSet(USERS);
        Arrays.stream(payingIds).forEach(silent::set);
        silent.andNot(week2);
        return answers.equals(new Answers(days.get(0).cardinality(), both.cardinality(), week1.cardinality(),
                everyDay1.cardinality(), week2.cardinality(), retained.cardinality(), churned.cardinality(),
                fresh.cardinality(), silent.cardinality()));
    }

    static void row(String question, String operation, int users) {
        System.out.printf(Locale.ROOT, "%-39s %-21s %,9d%n", question, operation, users);
    }

    static void memory(String name, Bitmap set) {
        int n = set.cardinality();
        System.out.printf(Locale.ROOT, "%-22s %,11d %,10d %,13d %,18d%n",
                name, n, set.bytes(), sortedArrayBytes(n), hashSetBytesEstimate(n));
    }
}
