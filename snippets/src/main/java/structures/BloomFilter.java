import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Bloom filter: a set of strings kept as m bits, which answers "definitely absent" or "possibly
 * present".
 *
 * <p>Algorithm. Adding an item sets k bits, chosen by hashing the item; a query reports the item
 * present when all k of its bits are set. The k positions come from one 128-bit MurmurHash3 of the
 * item's UTF-8 bytes, split into two 64-bit halves h1 and h2, by double hashing: position i is
 * h1 + i·h2 (64-bit arithmetic, sign bit cleared) modulo m, for i = 0 .. k−1. This is the layout
 * Guava's {@code BloomFilter} uses, so the two can be compared bit for bit.
 *
 * <p>Trade-off. An item that was added is always reported present: bits are only ever set. An item
 * that was never added is reported present when its k bits were all set by other items, which after
 * n insertions happens with probability about (1 − e^(−kn/m))^k. For a target rate p the fewest bits
 * are m = −n ln p / (ln 2)^2, with k = (m/n) ln 2 hash functions. Fewer functions leave each test too
 * easy to pass; more fill the array so fast that each bit is more likely set, and the rate rises
 * again. Nothing can be removed, because a bit may belong to several items.
 *
 * <p>Sources. B. H. Bloom, "Space/time trade-offs in hash coding with allowable errors", CACM 13(7),
 * 1970. A. Broder, M. Mitzenmacher, "Network applications of Bloom filters: a survey", Internet
 * Mathematics 1(4), 2004 (the false-positive formula, the optimal k, union and intersection).
 * A. Kirsch, M. Mitzenmacher, "Less hashing, same performance: building a better Bloom filter",
 * ESA 2006 and Random Structures &amp; Algorithms 33(2), 2008 (two hashes are enough). MurmurHash3 by
 * Austin Appleby (SMHasher, public domain).
 */
public final class BloomFilter {

    // tag::filter[]
    private final long[] words;   // the bit array, 64 bits per long
    private final long bits;      // m, a whole number of longs
    private final int hashes;     // k

    /** A filter of at least {@code bits} bits (rounded up to whole longs) with k hash functions. */
    BloomFilter(long bits, int hashes) {
        if (bits < 1 || hashes < 1) {
            throw new IllegalArgumentException("need bits >= 1 and hashes >= 1");
        }
        this.words = new long[Math.toIntExact((bits + 63) / 64)];
        this.bits = 64L * words.length;
        this.hashes = hashes;
    }

    void put(String item) {
        long[] h = Murmur3.hash128(item.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < hashes; i++) {
            long bit = position(h[0], h[1], i);
            words[(int) (bit >>> 6)] |= 1L << bit;          // the shift uses the low 6 bits only
        }
    }

    /** False means the item was never added. True means it was added, or is a false positive. */
    boolean mightContain(String item) {
        long[] h = Murmur3.hash128(item.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < hashes; i++) {
            long bit = position(h[0], h[1], i);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;                              // one clear bit is proof of absence
            }
        }
        return true;
    }

    /** The i-th of k positions by double hashing (Kirsch and Mitzenmacher): h1 + i·h2, mod m. */
    private long position(long h1, long h2, int i) {
        return ((h1 + i * h2) & Long.MAX_VALUE) % bits;
    }
    // end::filter[]

    // tag::sizing[]
    /** Bits per item for false-positive rate p at the best k: −ln p / (ln 2)^2, about 1.44 log2(1/p). */
    static double bitsPerItem(double p) {
        return -Math.log(p) / (Math.log(2) * Math.log(2));
    }

    /** Bits for n items at false-positive rate p: m = −n ln p / (ln 2)^2, rounded up. */
    static long optimalBits(long n, double p) {
        return (long) Math.ceil(n * bitsPerItem(p));
    }

    /** The k that minimises the false-positive rate for m bits and n items: (m/n) ln 2. */
    static double optimalHashes(long bits, long n) {
        return (double) bits / n * Math.log(2);
    }

    /** Expected false-positive rate after n insertions: (1 − e^(−kn/m))^k. */
    static double falsePositiveRate(long bits, long n, double k) {
        return Math.pow(1 - Math.exp(-k * n / bits), k);
    }
    // end::sizing[]

    // tag::combine[]
    /** Bitwise OR: exactly the filter that adding both sets would have built. */
    BloomFilter union(BloomFilter other) {
        BloomFilter result = compatibleCopy(other);
        for (int w = 0; w < words.length; w++) {
            result.words[w] = words[w] | other.words[w];
        }
        return result;
    }

    /** Bitwise AND: holds every item of both sets, but more bits than a filter built from the intersection. */
    BloomFilter intersection(BloomFilter other) {
        BloomFilter result = compatibleCopy(other);
        for (int w = 0; w < words.length; w++) {
            result.words[w] = words[w] & other.words[w];
        }
        return result;
    }

    private BloomFilter compatibleCopy(BloomFilter other) {
        if (other.bits != bits || other.hashes != hashes) {
            throw new IllegalArgumentException("filters must share m, k and the hash function");
        }
        return new BloomFilter(bits, hashes);
    }
    // end::combine[]

    long bitSize() {
        return bits;
    }

    int hashes() {
        return hashes;
    }

    /** Fraction of bits set. */
    double fill() {
        long set = 0;
        for (long w : words) {
            set += Long.bitCount(w);
        }
        return (double) set / bits;
    }

    /** A copy of the bit array, for tests. */
    long[] words() {
        return words.clone();
    }

    /** The k bit positions of an item, in probe order. */
    long[] positions(String item) {
        long[] h = Murmur3.hash128(item.getBytes(StandardCharsets.UTF_8));
        long[] positions = new long[hashes];
        for (int i = 0; i < hashes; i++) {
            positions[i] = position(h[0], h[1], i);
        }
        return positions;
    }

    /** Clears bits, to show why a Bloom filter cannot delete. */
    void clear(long[] positions) {
        for (long bit : positions) {
            words[(int) (bit >>> 6)] &= ~(1L << bit);
        }
    }

    // tag::hash[]
    /**
     * MurmurHash3 x64 128 (Austin Appleby), seed 0: a fast non-cryptographic hash whose 128 output
     * bits are well mixed, so its two halves can serve as the independent h1 and h2 of double
     * hashing. Returns {h1, h2}; as bytes, h1 then h2 little-endian, like Guava's murmur3_128.
     */
    static final class Murmur3 {
        private static final long C1 = 0x87c37b91114253d5L;
        private static final long C2 = 0x4cf5ad432745937fL;

        static long[] hash128(byte[] data) {
            long h1 = 0;
            long h2 = 0;
            int blocks = data.length / 16;
            for (int b = 0; b < blocks; b++) {
                h1 ^= mixK1(littleEndian(data, 16 * b, 8));
                h1 = Long.rotateLeft(h1, 27) + h2;
                h1 = h1 * 5 + 0x52dce729;
                h2 ^= mixK2(littleEndian(data, 16 * b + 8, 8));
                h2 = Long.rotateLeft(h2, 31) + h1;
                h2 = h2 * 5 + 0x38495ab5;
            }
            int tail = 16 * blocks;
            int rest = data.length - tail;                      // 0 .. 15 bytes left
            h1 ^= mixK1(littleEndian(data, tail, Math.min(rest, 8)));
            h2 ^= mixK2(littleEndian(data, tail + 8, Math.max(rest - 8, 0)));

            h1 ^= data.length;
            h2 ^= data.length;
            h1 += h2;
            h2 += h1;
            h1 = fmix64(h1);
            h2 = fmix64(h2);
            h1 += h2;
            h2 += h1;
            return new long[] {h1, h2};
        }

        /** Up to 8 bytes from {@code offset}, least significant first; missing bytes are zero. */
        private static long littleEndian(byte[] data, int offset, int length) {
            long value = 0;
            for (int i = length - 1; i >= 0; i--) {
                value = (value << 8) | (data[offset + i] & 0xFFL);
            }
            return value;
        }

        private static long mixK1(long k) {
            return Long.rotateLeft(k * C1, 31) * C2;            // mixK1(0) == 0: an empty tail is a no-op
        }

        private static long mixK2(long k) {
            return Long.rotateLeft(k * C2, 33) * C1;
        }

        private static long fmix64(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            k *= 0xc4ceb9fe1a85ec53L;
            k ^= k >>> 33;
            return k;
        }
    }
    // end::hash[]

    // ---------------------------------------------------------------- harness

    static final int N = 10_000;                      // items the filter is designed for
    static final double P = 0.01;                     // target false-positive rate
    static final int PROBES = 200_000;                // never-inserted items used to measure it
    static final int[] SWEEP = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 20};

    /** {@code prefix + from} .. {@code prefix + (to - 1)}. */
    static List<String> names(String prefix, int from, int to) {
        List<String> names = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    static BloomFilter filled(long bits, int hashes, List<String> items) {
        BloomFilter filter = new BloomFilter(bits, hashes);
        items.forEach(filter::put);
        return filter;
    }

    /** How many of the probes the filter reports present. */
    static int positives(BloomFilter filter, List<String> probes) {
        int count = 0;
        for (String probe : probes) {
            count += filter.mightContain(probe) ? 1 : 0;
        }
        return count;
    }

    /** How many of the items the filter reports absent: must be zero for items it holds. */
    static int falseNegatives(BloomFilter filter, List<String> items) {
        return items.size() - positives(filter, items);
    }

    /** Inserted items other than {@code victim} that test absent once the victim's bits are cleared. */
    static int hiddenByClearing(BloomFilter filter, String victim, List<String> items) {
        BloomFilter copy = filter.union(new BloomFilter(filter.bitSize(), filter.hashes())); // OR with empty: a copy
        copy.clear(copy.positions(victim));
        int hidden = 0;
        for (String item : items) {
            hidden += !item.equals(victim) && !copy.mightContain(item) ? 1 : 0;
        }
        return hidden;
    }

    /** The k in the sweep with the fewest false positives (the first on a tie). */
    static int lowestMeasuredK(int[] sweep, int[] falsePositives) {
        int best = 0;
        for (int i = 1; i < sweep.length; i++) {
            if (falsePositives[i] < falsePositives[best]) {
                best = i;
            }
        }
        return sweep[best];
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3f%%", 100 * fraction);
    }

    public static void main(String[] args) {
        long bits = new BloomFilter(optimalBits(N, P), 1).bitSize();
        double kOpt = optimalHashes(bits, N);
        System.out.printf(Locale.ROOT, "Design: n = %d items, p = %s%n", N, percent(P));
        System.out.printf(Locale.ROOT, "  m = -n ln p / (ln 2)^2 = %d bits, rounded up to %d longs = %d bits%n",
                optimalBits(N, P), bits / 64, bits);
        System.out.printf(Locale.ROOT, "  (m/n) ln 2 = %.2f hash functions; %.2f bits per item%n", kOpt,
                (double) bits / N);
        System.out.println("Bits per item at the optimal k, for other targets");
        for (double p : new double[] {0.1, 0.01, 0.001}) {
            System.out.printf(Locale.ROOT, "  p = %-8s %6.2f bits per item, k = %5.2f%n", percent(p),
                    bitsPerItem(p), bitsPerItem(p) * Math.log(2));
        }

        List<String> items = names("item-", 0, N);
        List<String> probes = names("probe-", 0, PROBES);
        System.out.printf(Locale.ROOT, "%nm = %d, n = %d (item-0 .. item-%d), %d probes never inserted%n",
                bits, N, N - 1, PROBES);
        System.out.println("   k    fill  false positives  measured    theory");
        int[] falsePositives = new int[SWEEP.length];
        int missed = 0;
        for (int i = 0; i < SWEEP.length; i++) {
            int k = SWEEP[i];
            BloomFilter filter = filled(bits, k, items);
            missed += falseNegatives(filter, items);
            falsePositives[i] = positives(filter, probes);
            System.out.printf(Locale.ROOT, "%4d %6.1f%% %16d %9s %9s%n", k, 100 * filter.fill(), falsePositives[i],
                    percent((double) falsePositives[i] / PROBES), percent(falsePositiveRate(bits, N, k)));
        }
        System.out.printf(Locale.ROOT, "lowest measured rate at k = %d; optimum (m/n) ln 2 = %.2f%n",
                lowestMeasuredK(SWEEP, falsePositives), kOpt);
        System.out.printf(Locale.ROOT, "inserted items reported absent, over all k: %d%n", missed);

        int k = (int) Math.round(kOpt);
        System.out.printf(Locale.ROOT, "%nOverfilling the same filter (k = %d, designed for %d items)%n", k, N);
        System.out.println("  items    fill  measured    theory");
        for (int n : new int[] {N / 2, N, 2 * N, 4 * N}) {
            BloomFilter filter = filled(bits, k, names("item-", 0, n));
            System.out.printf(Locale.ROOT, "%7d %6.1f%% %9s %9s%n", n, 100 * filter.fill(),
                    percent((double) positives(filter, probes) / PROBES), percent(falsePositiveRate(bits, n, k)));
        }

        System.out.printf(Locale.ROOT, "%nTwo filters, same m, k and hash: A = item-0 .. item-%d, B = item-%d .. item-%d%n",
                N - 1, N / 2, N + N / 2 - 1);
        BloomFilter a = filled(bits, k, items);
        BloomFilter b = filled(bits, k, names("item-", N / 2, N + N / 2));
        BloomFilter union = a.union(b);
        BloomFilter built = filled(bits, k, names("item-", 0, N + N / 2));
        System.out.println("  union (A OR B) equals the filter built from all of A and B, bit for bit: "
                + Arrays.equals(union.words(), built.words()));
        BloomFilter and = a.intersection(b);
        BloomFilter exact = filled(bits, k, names("item-", N / 2, N));
        System.out.printf(Locale.ROOT, "  %-36s fill %5.1f%%, false positives %s, common items missed: %d%n",
                "intersection (A AND B):", 100 * and.fill(), percent((double) positives(and, probes) / PROBES),
                falseNegatives(and, names("item-", N / 2, N)));
        System.out.printf(Locale.ROOT, "  %-36s fill %5.1f%%, false positives %s%n",
                "filter built from the common items:", 100 * exact.fill(),
                percent((double) positives(exact, probes) / PROBES));

        BloomFilter full = filled(bits, k, items);
        System.out.printf(Locale.ROOT, "%nClearing the %d bits of item-42 also hides %d other inserted items%n",
                k, hiddenByClearing(full, "item-42", items));
    }
}
