import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Why a latency requirement is stated as a percentile, not an average. A seeded synthetic sample of
 * request latencies, mostly fast with a slow tail (a garbage-collection pause, a cache miss, a
 * retry), meets an objective on the mean and fails one on the 99th percentile. Then a request that
 * fans out to N backends and waits for all of them is fast only if every call is fast: with
 * probability q per call, q^N for the request, computed and also measured by simulation.
 *
 * <p>Percentile definition: nearest rank. Of n values sorted ascending, the p-th percentile is the
 * value at 1-based rank ceil(p/100 x n). It is always an observed value, never an interpolation,
 * so "p99 = x" means at least 99 % of the requests took x or less. Monitoring systems often
 * interpolate or use histogram buckets instead; they differ in the last digits, not in the lesson.
 *
 * <p>Sources: Dean and Barroso, "The Tail at Scale", Communications of the ACM 56(2), 2013, for
 * fan-out and the tail; Beyer et al., "Site Reliability Engineering" (O'Reilly, 2016), chapter
 * "Service Level Objectives", for stating objectives as percentiles.
 */
public final class LatencyRequirement {

    private LatencyRequirement() {
    }

    // tag::model[]
    /**
     * Latency of one backend call, in milliseconds: with probability 1 - slowShare a fast call,
     * uniform in [fastMin, fastMax); otherwise a slow one, uniform in [slowMin, slowMax).
     */
    public record LatencyModel(double fastMin, double fastMax, double slowShare, double slowMin, double slowMax) {

        public double sample(SplittableRandom random) {
            return random.nextDouble() < slowShare
                    ? slowMin + (slowMax - slowMin) * random.nextDouble()
                    : fastMin + (fastMax - fastMin) * random.nextDouble();
        }

        /** P[latency <= ms], from the model itself: what the sample should show. */
        public double cdf(double ms) {
            return (1 - slowShare) * fraction(ms, fastMin, fastMax) + slowShare * fraction(ms, slowMin, slowMax);
        }

        private static double fraction(double x, double lo, double hi) {
            return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
        }
    }

    /** 98 % of calls take 5 to 30 ms; 2 % take 150 ms to 1 s. */
    public static final LatencyModel BACKEND = new LatencyModel(5, 30, 0.02, 150, 1_000);
    // end::model[]

    // tag::percentile[]
    /**
     * Nearest-rank percentile of an ascending array: the value at 1-based rank ceil(p/100 x n).
     * The rank is computed in decimal, not in doubles: 99.9 / 100 x 100,000 is 99,900.00000000001
     * as a double, and its ceiling would be one rank too high.
     */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p is in (0, 100]: " + p);
        }
        int rank = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(sorted.length))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact();
        return sorted[Math.max(rank, 1) - 1];
    }

    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
    // end::percentile[]

    /** n latencies drawn from the model with a fixed seed, sorted ascending. */
    public static double[] sortedSample(LatencyModel model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = model.sample(random);
        }
        Arrays.sort(values);
        return values;
    }

    // tag::fanout[]
    /** A request that calls every one of {@code fanOut} backends in parallel waits for the slowest. */
    public static double requestLatency(LatencyModel model, int fanOut, SplittableRandom random) {
        double slowest = 0;
        for (int i = 0; i < fanOut; i++) {
            slowest = Math.max(slowest, model.sample(random));
        }
        return slowest;
    }

    /** P[every one of N independent calls is fast] when one call is fast with probability q. */
    public static double allFast(double q, int fanOut) {
        return Math.pow(q, fanOut);
    }

    /** The latencies of {@code requests} simulated requests with fixed seed, sorted ascending. */
    public static double[] sortedRequestLatencies(LatencyModel model, int fanOut, int requests, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] latencies = new double[requests];
        for (int r = 0; r < requests; r++) {
            latencies[r] = requestLatency(model, fanOut, random);
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** The share of the values that are at most {@code ms}. */
    public static double shareAtMost(double[] values, double ms) {
        return (double) Arrays.stream(values).filter(v -> v <= ms).count() / values.length;
    }
    // end::fanout[]

    public static final int SAMPLE = 100_000;
    public static final int REQUESTS = 20_000;
    public static final long SEED = 42;
    public static final double MEAN_OBJECTIVE_MS = 50;
    public static final double P99_OBJECTIVE_MS = 100;
    public static final int[] FAN_OUTS = {1, 10, 100};

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String verdict(double value, double objective) {
        return value <= objective ? "meets" : "MISSES";
    }

    public static void main(String[] args) {
        double[] sample = sortedSample(BACKEND, SAMPLE, SEED);
        double mean = mean(sample);
        double p99 = percentile(sample, 99);
        System.out.printf(Locale.ROOT, "%,d calls to one backend, seed %d%n", SAMPLE, SEED);
        System.out.printf(Locale.ROOT, "  mean    %9s  objective mean <= %s: %s%n", ms(mean), ms(MEAN_OBJECTIVE_MS), verdict(mean, MEAN_OBJECTIVE_MS));
        for (double p : new double[] {50, 95, 99, 99.9}) {
            String label = "p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p));
            String note = p == 99 ? String.format(Locale.ROOT, "  objective p99 <= %s: %s", ms(P99_OBJECTIVE_MS), verdict(p99, P99_OBJECTIVE_MS)) : "";
            System.out.printf(Locale.ROOT, "  %-6s  %9s%s%n", label, ms(percentile(sample, p)), note);
        }
        System.out.printf(Locale.ROOT, "  max     %9s%n", ms(sample[sample.length - 1]));

        // q: the share of single calls within the p99 objective, measured on the sample.
        double q = shareAtMost(sample, P99_OBJECTIVE_MS);
        System.out.println();
        System.out.printf(Locale.ROOT, "Fan-out: a request waits for all N calls; one call is within %s with q = %.4f%n", ms(P99_OBJECTIVE_MS), q);
        System.out.printf(Locale.ROOT, "  %4s  %13s  %17s  %15s%n", "N", "q^N (formula)", "simulated, %,d".formatted(REQUESTS), "request p99");
        for (int n : FAN_OUTS) {
            double[] requests = sortedRequestLatencies(BACKEND, n, REQUESTS, SEED + n);
            System.out.printf(Locale.ROOT, "  %4d  %13.4f  %17.4f  %15s%n",
                    n, allFast(q, n), shareAtMost(requests, P99_OBJECTIVE_MS), ms(percentile(requests, 99)));
        }
    }
}
