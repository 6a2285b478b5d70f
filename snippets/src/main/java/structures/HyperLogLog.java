import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * HyperLogLog: an estimate of the number of distinct items in a stream, from a fixed array of small
 * registers.
 *
 * <p>Algorithm. Every item is hashed to 64 bits. The first p bits choose one of m = 2^p registers;
 * the rank of the item is the position of the first 1 bit in the other 64 − p bits (leading zeros
 * plus one). A register keeps the largest rank it has seen. A rank of k has probability 2^−k, so a
 * register that has seen about n/m distinct hashes holds a maximum near log2(n/m). The estimate is
 * the bias-corrected harmonic mean of 2^M[j] over the registers, times m: α_m · m² / Σ 2^−M[j].
 * While the raw estimate is at most 2.5·m and some registers are still empty, linear counting,
 * m · ln(m / V) with V empty registers, replaces it. With a 64-bit hash the paper's large-range
 * correction (for 32-bit hashes near 2^32) is not needed.
 *
 * <p>Trade-off. Memory is m registers whatever the count, and the relative standard error is about
 * 1.04/√m: four times the memory halves the error. The answer is an estimate, never exact, and the
 * sketch cannot list, test or delete items. Duplicates change nothing, and two sketches with the same
 * p and the same hash merge exactly by taking the larger value of each register.
 *
 * <p>Sources. P. Flajolet, É. Fusy, O. Gandouet, F. Meunier, "HyperLogLog: the analysis of a
 * near-optimal cardinality estimation algorithm", AofA 2007, DMTCS proceedings AH (the register rule,
 * α_m, the 1.04/√m error, the small-range correction). K.-Y. Whang, B. T. Vander-Zanden,
 * H. M. Taylor, "A linear-time probabilistic counting algorithm for database applications", ACM TODS
 * 15(2), 1990 (linear counting). S. Heule, M. Nunkesser, A. Hall, "HyperLogLog in practice:
 * algorithmic engineering of a state of the art cardinality estimation algorithm", EDBT 2013 (64-bit
 * hash, empirical bias correction, sparse representation; not implemented here).
 */
public final class HyperLogLog {

    // tag::hash[]
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** FNV-1a, 64-bit: folds any number of bytes into 64 bits, one byte at a time. */
    static long fnv1a64(byte[] bytes) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * MurmurHash3's 64-bit finaliser. It is a bijection, and it makes each input bit flip about half
     * of the output bits, so the top bits and the leading zeros HyperLogLog reads are well mixed.
     */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** FNV-1a over the 8 bytes of a 64-bit id, least significant byte first. */
    static long fnv1a64(long id) {
        long h = FNV_OFFSET_BASIS;
        for (int shift = 0; shift < 64; shift += 8) {
            h ^= (id >>> shift) & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** The hash of a string: FNV-1a over its UTF-8 bytes, then the finaliser. */
    static long hash(String item) {
        return fmix64(fnv1a64(item.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hash of a 64-bit id: FNV-1a over its bytes, then the finaliser. */
    static long hash(long id) {
        return fmix64(fnv1a64(id));
    }
    // end::hash[]

    // tag::sketch[]
    private final int p;             // precision: the first p bits of a hash choose the register
    private final int m;             // number of registers, 2^p
    private final byte[] registers;  // M[j]: the largest rank register j has seen, 0 while empty

    HyperLogLog(int p) {
        if (p < 4 || p > 18) {
            throw new IllegalArgumentException("p must be between 4 and 18, got " + p);
        }
        this.p = p;
        this.m = 1 << p;
        this.registers = new byte[m];
    }

    // end::sketch[]

    // tag::add[]
    boolean add(String item) {
        return addHash(hash(item));
    }

    boolean add(long id) {
        return addHash(hash(id));
    }

    /** Records one hash; returns true if a register grew (Redis's PFADD answers 1 in that case). */
    boolean addHash(long hash) {
        int j = (int) (hash >>> (64 - p));   // the first p bits pick the register
        long rest = hash << p;               // the other 64 - p bits, moved to the top
        // Rank = leading zeros + 1. The sentinel bit caps it at 65 - p when all 64 - p bits are zero.
        int rank = Long.numberOfLeadingZeros(rest | (1L << (p - 1))) + 1;
        if (rank > registers[j]) {
            registers[j] = (byte) rank;
            return true;
        }
        return false;
    }
    // end::add[]

    // tag::estimate[]
    /** The constant α_m from the paper, which removes the bias of the harmonic mean. */
    static double alpha(int m) {
        return switch (m) {
            case 16 -> 0.673;
            case 32 -> 0.697;
            case 64 -> 0.709;
            default -> 0.7213 / (1 + 1.079 / m);
        };
    }

    /** The raw estimate: α_m · m² / Σ 2^−M[j]. An empty register adds 2^0 = 1 to the sum. */
    double rawEstimate() {
        double sum = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
        }
        return alpha(m) * m * m / sum;
    }

    int emptyRegisters() {
        int empty = 0;
        for (byte r : registers) {
            if (r == 0) {
                empty++;
            }
        }
        return empty;
    }

    /** The paper's small range: the raw estimate is at most 2.5·m and some register is still empty. */
    boolean inSmallRange() {
        return rawEstimate() <= 2.5 * m && emptyRegisters() > 0;
    }

    /** Linear counting: n items leave about m·e^(−n/m) registers empty, so n ≈ m·ln(m / V). */
    double linearCounting() {
        return m * StrictMath.log((double) m / emptyRegisters());
    }

    double estimate() {
        return inSmallRange() ? linearCounting() : rawEstimate();
    }
    // end::estimate[]

    // tag::merge[]
    /** Union: each register keeps the larger value. Both sketches need the same p and hash. */
    void merge(HyperLogLog other) {
        if (other.p != p) {
            throw new IllegalArgumentException("cannot merge p=" + other.p + " into p=" + p);
        }
        for (int j = 0; j < m; j++) {
            if (other.registers[j] > registers[j]) {
                registers[j] = other.registers[j];
            }
        }
    }
    // end::merge[]

    int precision() {
        return p;
    }

    int registerCount() {
        return m;
    }

    /** A copy of the registers, for tests. */
    byte[] registers() {
        return registers.clone();
    }

    /** Relative standard error from the paper, about 1.04/√m. */
    static double standardError(int p) {
        return 1.04 / Math.sqrt(1 << p);
    }

    /** Bytes with 6-bit registers packed back to back, as Redis stores them (ranks fit in 6 bits). */
    static int packedBytes(int p) {
        return ((1 << p) * 6 + 7) / 8;
    }

    // ---------------------------------------------------------------- harness

    static final int P = 14;
    static final int[] DISTINCT = {1_000, 10_000, 100_000, 1_000_000};
    static final int[] SWEEP = {10, 12, 14, 16};
    static final long SEED = 42;

    /**
     * A stream of 2·distinct user ids: every id from 0 to distinct − 1 once, then as many repeats
     * drawn at random from the same ids. Each hash is computed once and fed to every sketch.
     */
    static void feed(int distinct, long seed, HyperLogLog... sketches) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2 * distinct; i++) {
            long id = i < distinct ? i : random.nextInt(distinct);
            long h = hash(id);
            for (HyperLogLog sketch : sketches) {
                sketch.addHash(h);
            }
        }
    }

    /** Feeds the ids from {@code from} (inclusive) to {@code to} (exclusive); returns registers that grew. */
    static int feedRange(HyperLogLog sketch, long from, long to) {
        int grew = 0;
        for (long id = from; id < to; id++) {
            grew += sketch.add(id) ? 1 : 0;
        }
        return grew;
    }

    /**
     * Estimated heap of a {@code java.util.HashSet<Long>} with n entries on 64-bit HotSpot with
     * compressed oops and 12-byte object headers (the defaults for heaps under 32 GB): per entry a
     * 32-byte HashMap node and a 24-byte Long, plus one 4-byte slot per table entry. The table is
     * the smallest power of two of at least 16 whose 0.75 load-factor threshold holds n.
     */
    static long hashSetOfLongBytes(int n) {
        return 56L * n + 16 + 4L * hashSetTableLength(n);
    }

    static int hashSetTableLength(int n) {
        int length = 16;
        while (n > length * 3 / 4) {
            length *= 2;
        }
        return length;
    }

    /** A sketch with p = P of the ids 0 .. distinct - 1, under the given hash. */
    static HyperLogLog sketchWith(LongUnaryOperator hash, int distinct) {
        HyperLogLog sketch = new HyperLogLog(P);
        for (long id = 0; id < distinct; id++) {
            sketch.addHash(hash.applyAsLong(id));
        }
        return sketch;
    }

    static double relativeError(double estimate, long truth) {
        return (estimate - truth) / truth;
    }

    static void printCount(String label, long distinct, double estimate) {
        System.out.printf(Locale.ROOT, "%-34s  %,8d  %,8.0f  %+6.2f%%%n",
                label, distinct, estimate, 100 * relativeError(estimate, distinct));
    }

    static void printBytes(String label, long bytes) {
        System.out.printf(Locale.ROOT, "%-40s  %,11d bytes%n", label, bytes);
    }

    public static void main(String[] args) {
        int m = 1 << P;
        System.out.printf(Locale.ROOT, "HyperLogLog, p = %d: m = %,d registers, standard error 1.04/sqrt(m) = %.2f%%%n",
                P, m, 100 * standardError(P));
        System.out.println("Each stream holds every id once plus as many random repeats.");
        System.out.println();
        System.out.println("  distinct       items    estimate    error  raw estimate  estimate from");
        HyperLogLog[] sweep = new HyperLogLog[SWEEP.length];
        for (int distinct : DISTINCT) {
            HyperLogLog sketch = new HyperLogLog(P);
            if (distinct == DISTINCT[DISTINCT.length - 1]) {
                for (int i = 0; i < SWEEP.length; i++) {
                    sweep[i] = SWEEP[i] == P ? sketch : new HyperLogLog(SWEEP[i]);
                }
                feed(distinct, SEED, sweep);
            } else {
                feed(distinct, SEED, sketch);
            }
            System.out.printf(Locale.ROOT, "%,10d  %,10d  %,10.0f  %+6.2f%%  %,12.0f  %s%n",
                    distinct, 2 * distinct, sketch.estimate(), 100 * relativeError(sketch.estimate(), distinct),
                    sketch.rawEstimate(), sketch.inSmallRange() ? "linear counting" : "raw estimate");
        }

        int million = DISTINCT[DISTINCT.length - 1];
        System.out.println();
        System.out.printf(Locale.ROOT, "Precision against memory, same %,d distinct ids%n", million);
        System.out.println(" p   registers  bytes (6-bit)  std error    error");
        for (HyperLogLog sketch : sweep) {
            System.out.printf(Locale.ROOT, "%2d  %,10d  %,13d  %8.2f%%  %+6.2f%%%n",
                    sketch.precision(), sketch.registerCount(), packedBytes(sketch.precision()),
                    100 * standardError(sketch.precision()), 100 * relativeError(sketch.estimate(), million));
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "Hash quality, p = %d%n", P);
        System.out.println("hash                                distinct  estimate    error");
        int hundredK = DISTINCT[2];
        printCount("FNV-1a, then fmix64 (used above)", hundredK, sketchWith(HyperLogLog::hash, hundredK).estimate());
        printCount("FNV-1a alone", hundredK, sketchWith(HyperLogLog::fnv1a64, hundredK).estimate());
        System.out.println();
        System.out.printf(Locale.ROOT, "Memory to count %,d distinct ids%n", million);
        printBytes("HyperLogLog p=" + P + ", a byte per register", m);
        printBytes("HyperLogLog p=" + P + ", 6 bits per register", packedBytes(P));
        printBytes("long[] of the ids, no overhead", 8L * million);
        printBytes("HashSet<Long> of the ids (layout model)", hashSetOfLongBytes(million));

        System.out.println();
        System.out.printf(Locale.ROOT, "Duplicates and merging, p = %d%n", P);
        HyperLogLog monday = new HyperLogLog(P);
        HyperLogLog tuesday = new HyperLogLog(P);
        HyperLogLog both = new HyperLogLog(P);
        feedRange(monday, 0, 60_000);
        int grewOnRepeat = feedRange(monday, 0, 60_000);
        feedRange(tuesday, 30_000, 90_000);
        feedRange(both, 0, 90_000);
        HyperLogLog merged = new HyperLogLog(P);
        merged.merge(monday);
        merged.merge(tuesday);
        System.out.println("sketch                              distinct  estimate    error");
        printCount("monday: ids 0-59,999, fed twice", 60_000, monday.estimate());
        printCount("tuesday: ids 30,000-89,999", 60_000, tuesday.estimate());
        printCount("monday + tuesday, counts added", 90_000, monday.estimate() + tuesday.estimate());
        printCount("merge(monday, tuesday)", 90_000, merged.estimate());
        boolean sameRegisters = Arrays.equals(merged.registers(), both.registers());
        System.out.println("registers that grew when monday's ids came again: " + grewOnRepeat);
        System.out.println("merged registers equal those of one sketch fed both days: " + sameRegisters);
        if (grewOnRepeat != 0 || !sameRegisters) {
            throw new IllegalStateException("a duplicate changed the sketch, or merge is not the union");
        }
    }
}
