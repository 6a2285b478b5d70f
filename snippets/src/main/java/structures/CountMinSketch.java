import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Count-min sketch: approximate frequencies of a stream in a fixed d × w table of counters, with a
 * conservative-update variant and a heavy-hitters tracker built on top.
 *
 * <p>Algorithm. Each of the d rows has its own hash function, drawn at random from a pairwise
 * independent family, that maps an item to one of w columns. Adding c occurrences of an item adds c
 * to one counter in every row; the estimate of an item is the smallest of its d counters. With
 * non-negative additions every counter holds the item's true count plus the counts of the items that
 * collide with it, so an estimate is never too low. With w = ⌈e/ε⌉ and d = ⌈ln(1/δ)⌉, an estimate
 * exceeds the true count by more than εN (N = total of all additions) with probability at most δ.
 *
 * <p>Trade-off. The table's size depends on ε and δ only, not on the number of distinct items or the
 * length of the stream, so a few kilobytes can summarise billions of events. The price: the error is a
 * share of the whole stream, so estimates of rare items are mostly collision noise, and the sketch
 * cannot list its items. An exact hash map is smaller and exact while the distinct items are few.
 *
 * <p>Sources. G. Cormode, S. Muthukrishnan, "An improved data stream summary: the count-min sketch
 * and its applications", Journal of Algorithms 55(1), 2005 (the structure, the bounds, heavy hitters).
 * C. Estan, G. Varghese, "New directions in traffic measurement and accounting", SIGCOMM 2002
 * (conservative update). J. L. Carter, M. N. Wegman, "Universal classes of hash functions", JCSS 18(2),
 * 1979 (the hash family).
 */
public class CountMinSketch {

    // tag::hash[]
    /** The Mersenne prime 2^61 − 1: reducing modulo it needs only shifts, masks and additions. */
    static final long P = (1L << 61) - 1;

    /** x mod P for any 0 ≤ x < 2^63, using 2^61 ≡ 1 (mod P). */
    static long modP(long x) {
        long r = (x & P) + (x >>> 61);
        return r >= P ? r - P : r;
    }

    /** a·x mod P for 0 ≤ a, x < P: the 122-bit product folded at bit 61. */
    static long mulModP(long a, long x) {
        long hi = Math.multiplyHigh(a, x);       // bits 64..121 of the product
        long lo = a * x;                          // bits 0..63
        long above61 = (hi << 3) | (lo >>> 61);   // product >> 61, below 2^61
        return modP(above61 + (lo & P));
    }

    /**
     * One row's hash, h(x) = ((a·x + b) mod P) mod w, with a and b drawn at random. Over the random
     * choice of a and b, any two distinct items land in independent, (almost) uniform columns: the
     * family is pairwise independent, which is all the count-min bounds need. The final "mod w" makes
     * some columns likelier than others by at most w/P, about 10^-15 here.
     */
    record RowHash(long a, long b, int width) {
        static RowHash random(SplittableRandom random, int width) {
            return new RowHash(random.nextLong(1, P), random.nextLong(0, P), width);
        }

        int column(long item) {
            long x = Long.remainderUnsigned(item, P);  // items that differ by a multiple of P collide
            return (int) (modP(mulModP(a, x) + b) % width);
        }
    }
    // end::hash[]

    // tag::sketch[]
    /** A frequency summary of a stream of non-negative additions. */
    interface FrequencySketch {
        void add(long item, long count);

        /** Never below the item's true count. */
        long estimate(long item);

        /** N, the sum of all additions so far. */
        long total();
    }

    /** How an addition changes the item's d counters. */
    enum Update {
        /** Add to every one of the item's counters (Cormode and Muthukrishnan). */
        STANDARD,
        /** Raise each counter only as far as the new estimate needs (Estan and Varghese). */
        CONSERVATIVE
    }

    /**
     * The d × w table. The standard update is linear: the table of a concatenated stream is the sum of
     * the tables of its parts, so sketches merge by adding counters. Conservative update gives smaller
     * errors but loses that property.
     */
    static final class CountMin implements FrequencySketch {
        private final RowHash[] rows;
        private final long[][] counts;
        private final Update update;
        private final long seed;
        private long total;

        CountMin(int width, int depth, long seed, Update update) {
            if (width < 1 || depth < 1) {
                throw new IllegalArgumentException("width and depth must be positive");
            }
            SplittableRandom random = new SplittableRandom(seed);
            this.rows = new RowHash[depth];
            for (int j = 0; j < depth; j++) {
                rows[j] = RowHash.random(random, width);
            }
            this.counts = new long[depth][width];
            this.update = update;
            this.seed = seed;
        }

        /** w = ⌈e/ε⌉ columns and d = ⌈ln(1/δ)⌉ rows. */
        static CountMin forError(double epsilon, double delta, long seed, Update update) {
            int width = (int) Math.ceil(Math.E / epsilon);
            int depth = (int) Math.ceil(Math.log(1 / delta));
            return new CountMin(width, depth, seed, update);
        }

        @Override
        public void add(long item, long count) {
            if (count < 0) {
                throw new IllegalArgumentException("negative counts break the never-under-count rule");
            }
            total += count;
            if (update == Update.STANDARD) {
                for (int j = 0; j < rows.length; j++) {
                    counts[j][rows[j].column(item)] += count;
                }
            } else {
                long target = estimate(item) + count;   // the smallest counter, raised by count
                for (int j = 0; j < rows.length; j++) {
                    int c = rows[j].column(item);
                    counts[j][c] = Math.max(counts[j][c], target);
                }
            }
        }

        @Override
        public long estimate(long item) {
            long min = Long.MAX_VALUE;
            for (int j = 0; j < rows.length; j++) {
                min = Math.min(min, counts[j][rows[j].column(item)]);
            }
            return min;
        }

        @Override
        public long total() {
            return total;
        }
        // end::sketch[]

        // tag::merge[]
        /** Adds another sketch's counters: valid only for standard sketches with the same hashes. */
        void merge(CountMin other) {
            if (update != Update.STANDARD || other.update != Update.STANDARD) {
                throw new IllegalArgumentException("conservative-update sketches do not merge exactly");
            }
            if (other.seed != seed || other.width() != width() || other.depth() != depth()) {
                throw new IllegalArgumentException("sketches must share width, depth and hash seed");
            }
            for (int j = 0; j < counts.length; j++) {
                for (int c = 0; c < counts[j].length; c++) {
                    counts[j][c] += other.counts[j][c];
                }
            }
            total += other.total;
        }
        // end::merge[]

        int width() {
            return counts[0].length;
        }

        int depth() {
            return counts.length;
        }

        long counter(int row, int column) {
            return counts[row][column];
        }

        RowHash row(int j) {
            return rows[j];
        }

        boolean sameCounters(CountMin other) {
            return Arrays.deepEquals(counts, other.counts);
        }
    }

    // tag::heavy[]
    /**
     * φ-heavy hitters over a standard sketch, as Cormode and Muthukrishnan describe for streams of
     * insertions. After each arrival the item's estimate is compared with φ·n (n = events so far);
     * items at or above it are kept with that estimate, and kept items whose stored estimate falls below
     * φ·n are dropped. An item whose final count is at least φN was at least φN at its last arrival,
     * so it is always reported; an item below (φ − ε)N is reported only if its estimate was off by more
     * than εN, which happens with probability at most δ.
     */
    static final class HeavyHitters {
        record Candidate(long item, long estimate) {}

        private final CountMin sketch;
        private final double phi;
        private final Map<Long, Long> stored = new HashMap<>();
        private final NavigableSet<Candidate> byEstimate = new TreeSet<>(
                Comparator.comparingLong(Candidate::estimate).thenComparingLong(Candidate::item));
        private int peak;

        HeavyHitters(CountMin sketch, double phi) {
            this.sketch = sketch;
            this.phi = phi;
        }

        void add(long item) {
            sketch.add(item, 1);
            double threshold = phi * sketch.total();
            Long old = stored.remove(item);
            if (old != null) {
                byEstimate.remove(new Candidate(item, old));
            }
            long estimate = sketch.estimate(item);
            if (estimate >= threshold) {
                stored.put(item, estimate);
                byEstimate.add(new Candidate(item, estimate));
            }
            while (!byEstimate.isEmpty() && byEstimate.first().estimate() < threshold) {
                stored.remove(byEstimate.pollFirst().item());
            }
            peak = Math.max(peak, stored.size());
        }

        /** The candidates, largest stored estimate first. */
        List<Candidate> report() {
            return new ArrayList<>(byEstimate.descendingSet());
        }
        // end::heavy[]

        int peakCandidates() {
            return peak;
        }
    }

    // ---------------------------------------------------------------- harness

    static final long SEED = 2005;
    static final int EVENTS = 1_000_000;
    static final int UNIVERSE = 1_000_000;
    static final double ZIPF_EXPONENT = 1.0;
    static final double EPSILON = 0.001;
    static final double DELTA = 0.01;
    static final double PHI = 0.01;
    static final long[] SHOWN = {1, 2, 3, 4, 5, 6, 7, 8, 1_000, 10_000, 100_000};

    /**
     * A skewed stream: item i (1 ≤ i ≤ universe) is drawn with probability proportional to 1/i^s, by
     * binary search in the cumulative weights, from a seeded generator.
     */
    static long[] zipfStream(int events, int universe, double exponent, long seed) {
        double[] cumulative = new double[universe];
        double sum = 0;
        for (int i = 0; i < universe; i++) {
            sum += 1 / Math.pow(i + 1, exponent);
            cumulative[i] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] stream = new long[events];
        for (int e = 0; e < events; e++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = universe - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            stream[e] = lo + 1;
        }
        return stream;
    }

    /** Everything the demo prints, computed once so the test can check the same numbers. */
    record Report(long[] stream, Map<Long, Long> exact, CountMin standard, CountMin conservative,
                  HeavyHitters heavy, boolean mergeMatches, Stats standardStats, Stats conservativeStats) {}

    /** Over-count statistics across every distinct item of the stream. */
    record Stats(double meanOver, long maxOver, int overBound, int underCounted) {}

    static Stats stats(FrequencySketch sketch, Map<Long, Long> exact, double bound) {
        long sum = 0;
        long max = 0;
        int over = 0;
        int under = 0;
        for (Map.Entry<Long, Long> e : exact.entrySet()) {
            long diff = sketch.estimate(e.getKey()) - e.getValue();
            sum += diff;
            max = Math.max(max, diff);
            over += diff > bound ? 1 : 0;
            under += diff < 0 ? 1 : 0;
        }
        return new Stats((double) sum / exact.size(), max, over, under);
    }

    static Report run() {
        long[] stream = zipfStream(EVENTS, UNIVERSE, ZIPF_EXPONENT, SEED);
        Map<Long, Long> exact = new HashMap<>();
        CountMin standard = CountMin.forError(EPSILON, DELTA, SEED, Update.STANDARD);
        CountMin conservative = CountMin.forError(EPSILON, DELTA, SEED, Update.CONSERVATIVE);
        HeavyHitters heavy = new HeavyHitters(standard, PHI);
        CountMin firstHalf = CountMin.forError(EPSILON, DELTA, SEED, Update.STANDARD);
        CountMin secondHalf = CountMin.forError(EPSILON, DELTA, SEED, Update.STANDARD);
        for (int e = 0; e < stream.length; e++) {
            long item = stream[e];
            exact.merge(item, 1L, Long::sum);
            heavy.add(item);                     // adds to the standard sketch
            conservative.add(item, 1);
            (e < stream.length / 2 ? firstHalf : secondHalf).add(item, 1);
        }
        firstHalf.merge(secondHalf);
        double bound = EPSILON * standard.total();
        return new Report(stream, exact, standard, conservative, heavy, firstHalf.sameCounters(standard),
                stats(standard, exact, bound), stats(conservative, exact, bound));
    }

    static String fraction(int part, int whole) {
        return String.format(Locale.ROOT, "%.5f", (double) part / whole);
    }

    static void row(String label, Object standard, Object conservative) {
        String a = standard instanceof Number ? String.format(Locale.ROOT, "%,d", standard) : standard.toString();
        String b = conservative instanceof Number ? String.format(Locale.ROOT, "%,d", conservative) : conservative.toString();
        System.out.printf(Locale.ROOT, "%-42s %12s %14s%n", label, a, b);
    }

    public static void main(String[] args) {
        Report r = run();
        CountMin cm = r.standard();
        long n = cm.total();
        double bound = EPSILON * n;
        System.out.printf(Locale.ROOT, "Stream: %,d events over items 1..%,d, Zipf exponent %.1f, seed %d%n",
                n, UNIVERSE, ZIPF_EXPONENT, SEED);
        System.out.printf(Locale.ROOT, "Sketch: eps = %s, delta = %s -> w = %,d, d = %d: %,d counters x 8 bytes = %,d bytes%n",
                EPSILON, DELTA, cm.width(), cm.depth(), cm.width() * cm.depth(), 8L * cm.width() * cm.depth());
        System.out.printf(Locale.ROOT, "Exact map: %,d distinct items x 16 bytes (key and count alone) = %,d bytes%n",
                r.exact().size(), 16L * r.exact().size());

        System.out.println();
        System.out.printf(Locale.ROOT, "Estimates (over = estimate - true; bound eps*N = %,.0f)%n", bound);
        System.out.println("   item     true  count-min   over  conservative   over");
        for (long item : SHOWN) {
            long truth = r.exact().getOrDefault(item, 0L);
            long a = cm.estimate(item);
            long b = r.conservative().estimate(item);
            System.out.printf(Locale.ROOT, "%,7d %,8d %,10d %,6d %,13d %,6d%n", item, truth, a, a - truth, b, b - truth);
        }

        System.out.println();
        Stats s = r.standardStats();
        Stats c = r.conservativeStats();
        int distinct = r.exact().size();
        System.out.printf(Locale.ROOT, "%-42s %12s %14s%n",
                String.format(Locale.ROOT, "Over-count, all %,d distinct items", distinct), "count-min", "conservative");
        row("  mean", String.format(Locale.ROOT, "%.1f", s.meanOver()), String.format(Locale.ROOT, "%.1f", c.meanOver()));
        row("  largest", s.maxOver(), c.maxOver());
        row("  items over eps*N (delta = " + DELTA + ")", s.overBound(), c.overBound());
        row("  fraction over eps*N", fraction(s.overBound(), distinct), fraction(c.overBound(), distinct));
        row("  items under-counted", s.underCounted(), c.underCounted());

        System.out.println();
        System.out.printf(Locale.ROOT, "Heavy hitters, phi = %s: must report items >= %,.0f, may report items >= %,.0f%n",
                PHI, PHI * n, (PHI - EPSILON) * n);
        System.out.println("   item     true  estimate");
        for (HeavyHitters.Candidate h : r.heavy().report()) {
            System.out.printf(Locale.ROOT, "%,7d %,8d %,9d%n", h.item(), r.exact().getOrDefault(h.item(), 0L), h.estimate());
        }
        System.out.printf(Locale.ROOT, "peak candidates kept: %d (1/(phi - eps) = %d)%n",
                r.heavy().peakCandidates(), (int) Math.floor(1 / (PHI - EPSILON)));

        System.out.println();
        System.out.println("sketch(first half) merged with sketch(second half) equals sketch(whole stream): " + r.mergeMatches());
    }
}
