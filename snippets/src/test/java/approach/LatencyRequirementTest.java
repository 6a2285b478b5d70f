import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link LatencyRequirement} to the nearest-rank definition (checked by hand and by its
 * defining property) and its statistics to the model they are drawn from. Statistical bounds are
 * five standard errors: for a share estimated from m independent draws, 5 * sqrt(p(1 - p) / m);
 * for a mean, 5 * sd / sqrt(n) with the model's own standard deviation. A fixed seed makes each
 * run identical; the bounds say the seed was not picked to pass.
 */
class LatencyRequirementTest {

    private static final LatencyRequirement.LatencyModel MODEL = LatencyRequirement.BACKEND;
    private static final double[] SAMPLE =
            LatencyRequirement.sortedSample(MODEL, LatencyRequirement.SAMPLE, LatencyRequirement.SEED);

    private static double binomialBound(double p, int m) {
        return 5 * Math.sqrt(p * (1 - p) / m);
    }

    @Test
    void nearestRankOnAHandCheckedSample() {
        // 3 1 4 1 5 9 2 6 5 3 sorted: 1 1 2 3 3 4 5 5 6 9 (n = 10); rank = ceil(p / 100 * 10).
        double[] sorted = {1, 1, 2, 3, 3, 4, 5, 5, 6, 9};
        assertEquals(1, LatencyRequirement.percentile(sorted, 0.1)); // rank ceil(0.01) = 1
        assertEquals(1, LatencyRequirement.percentile(sorted, 10));  // rank 1
        assertEquals(2, LatencyRequirement.percentile(sorted, 25));  // rank ceil(2.5) = 3
        assertEquals(3, LatencyRequirement.percentile(sorted, 50));  // rank 5, not the mean of ranks 5 and 6
        assertEquals(6, LatencyRequirement.percentile(sorted, 90));  // rank 9
        assertEquals(9, LatencyRequirement.percentile(sorted, 90.1)); // rank ceil(9.01) = 10
        assertEquals(9, LatencyRequirement.percentile(sorted, 100)); // rank 10: the maximum
        assertEquals(7, LatencyRequirement.percentile(new double[] {7}, 50));
    }

    @Test
    void rankIsComputedExactlyNotInDoubles() {
        // 99.9 / 100 * 100,000 is 99,900.00000000001 in doubles; the rank is 99,900.
        double[] ranks = new double[100_000];
        Arrays.setAll(ranks, i -> i + 1);
        assertEquals(99_900, LatencyRequirement.percentile(ranks, 99.9));
        assertEquals(99_000, LatencyRequirement.percentile(ranks, 99));
        assertEquals(50_000, LatencyRequirement.percentile(ranks, 50));
        assertEquals(99_991, LatencyRequirement.percentile(ranks, 99.99001));
    }

    @Test
    void nearestRankHasItsDefiningPropertyOnRandomArrays() {
        // The value v at rank ceil(pn/100): at least p % of values are <= v, and fewer than p % are < v.
        SplittableRandom random = new SplittableRandom(7);
        double[] ps = {0.1, 1, 5, 25, 33.3, 50, 66.7, 90, 95, 99, 99.9, 100};
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextInt(50); // ties on purpose
            }
            Arrays.sort(values);
            for (double p : ps) {
                double v = LatencyRequirement.percentile(values, p);
                long atMost = Arrays.stream(values).filter(x -> x <= v).count();
                long below = Arrays.stream(values).filter(x -> x < v).count();
                BigDecimal needed = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(n));
                assertTrue(BigDecimal.valueOf(100 * atMost).compareTo(needed) >= 0, "p" + p + " n" + n);
                assertTrue(BigDecimal.valueOf(100 * below).compareTo(needed) < 0, "p" + p + " n" + n);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, 100.0001, Double.NaN})
    void percentilesOutsideZeroToHundredAreRejected(double p) {
        assertThrows(IllegalArgumentException.class, () -> LatencyRequirement.percentile(new double[] {1, 2}, p));
    }

    @Test
    void anEmptySampleHasNoPercentile() {
        assertThrows(IllegalArgumentException.class, () -> LatencyRequirement.percentile(new double[0], 50));
    }

    @Test
    void theSampleFollowsTheModel() {
        // Mixture mean: 0.98 * (5 + 30) / 2 + 0.02 * (150 + 1000) / 2 = 17.15 + 11.5 = 28.65 ms.
        double fastMean = (MODEL.fastMin() + MODEL.fastMax()) / 2;
        double slowMean = (MODEL.slowMin() + MODEL.slowMax()) / 2;
        double mean = (1 - MODEL.slowShare()) * fastMean + MODEL.slowShare() * slowMean;
        assertEquals(28.65, mean, 1e-9);
        // Variance of a mixture: E[X^2] - mean^2, with E[X^2] = var + mean^2 of each uniform part.
        double fastSq = Math.pow(MODEL.fastMax() - MODEL.fastMin(), 2) / 12 + fastMean * fastMean;
        double slowSq = Math.pow(MODEL.slowMax() - MODEL.slowMin(), 2) / 12 + slowMean * slowMean;
        double sd = Math.sqrt((1 - MODEL.slowShare()) * fastSq + MODEL.slowShare() * slowSq - mean * mean);
        assertEquals(mean, LatencyRequirement.mean(SAMPLE), 5 * sd / Math.sqrt(SAMPLE.length));
        // Each reported percentile sits where the model's CDF says it should, within sampling noise.
        for (double p : new double[] {50, 95, 99, 99.9}) {
            double at = MODEL.cdf(LatencyRequirement.percentile(SAMPLE, p));
            assertEquals(p / 100, at, binomialBound(p / 100, SAMPLE.length) + 1.0 / SAMPLE.length, "p" + p);
        }
    }

    @Test
    void theMeanMeetsItsObjectiveWhileP99MissesByFar() {
        assertTrue(LatencyRequirement.mean(SAMPLE) <= LatencyRequirement.MEAN_OBJECTIVE_MS);
        assertTrue(LatencyRequirement.percentile(SAMPLE, 95) <= LatencyRequirement.P99_OBJECTIVE_MS);
        // The model's own p99: 0.98 + 0.02 * (x - 150) / 850 = 0.99 gives x = 575 ms.
        assertEquals(0.99, MODEL.cdf(575), 1e-12);
        assertTrue(LatencyRequirement.percentile(SAMPLE, 99) > 5 * LatencyRequirement.P99_OBJECTIVE_MS);
    }

    @Test
    void allFastIsQToTheN() {
        assertEquals(0.98, LatencyRequirement.allFast(0.98, 1), 1e-15);
        assertEquals(1, LatencyRequirement.allFast(0.98, 0), 1e-15);
        // 0.99^100 = exp(100 ln 0.99) = 0.36603...: with 100 calls, 63 % of requests meet a slow one.
        assertEquals(0.366_032_341, LatencyRequirement.allFast(0.99, 100), 1e-9);
        // 0.98^10 by repeated multiplication.
        double q10 = 1;
        for (int i = 0; i < 10; i++) {
            q10 *= 0.98;
        }
        assertEquals(q10, LatencyRequirement.allFast(0.98, 10), 1e-15);
    }

    @Test
    void simulationAgreesWithTheFormulaWithinBinomialNoise() {
        double q = MODEL.cdf(LatencyRequirement.P99_OBJECTIVE_MS);
        assertEquals(0.98, q, 1e-12); // every fast call is within 100 ms, no slow call is
        // The measured q, on 100,000 calls.
        double measured = LatencyRequirement.shareAtMost(SAMPLE, LatencyRequirement.P99_OBJECTIVE_MS);
        assertEquals(q, measured, binomialBound(q, SAMPLE.length));
        double previousP99 = 0;
        for (int n : LatencyRequirement.FAN_OUTS) {
            double[] requests = LatencyRequirement.sortedRequestLatencies(
                    MODEL, n, LatencyRequirement.REQUESTS, LatencyRequirement.SEED + n);
            double expected = LatencyRequirement.allFast(q, n);
            double simulated = LatencyRequirement.shareAtMost(requests, LatencyRequirement.P99_OBJECTIVE_MS);
            assertEquals(expected, simulated, binomialBound(expected, requests.length), "N=" + n);
            // The request's p99 is where the CDF of the slowest call, cdf(x)^N, reaches 0.99.
            double p99 = LatencyRequirement.percentile(requests, 99);
            assertEquals(0.99, Math.pow(MODEL.cdf(p99), n), binomialBound(0.99, requests.length) + 1.0 / requests.length, "N=" + n);
            // The page: the request p99 grows with N towards the slowest possible call.
            assertTrue(p99 > previousP99 && p99 <= MODEL.slowMax(), "N=" + n);
            previousP99 = p99;
        }
        // The page: at N = 100 most requests are slow, by formula and by simulation.
        double[] hundred = LatencyRequirement.sortedRequestLatencies(
                MODEL, 100, LatencyRequirement.REQUESTS, LatencyRequirement.SEED + 100);
        assertTrue(LatencyRequirement.allFast(measured, 100) < 0.5);
        assertTrue(LatencyRequirement.shareAtMost(hundred, LatencyRequirement.P99_OBJECTIVE_MS) < 0.5);
    }

    @Test
    void aRequestWaitsForItsSlowestCall() {
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        double slowest = 0;
        for (int i = 0; i < 5; i++) {
            slowest = Math.max(slowest, MODEL.sample(b));
        }
        assertEquals(slowest, LatencyRequirement.requestLatency(MODEL, 5, a));
    }

    @Test
    void mainPrintsTheVerdictsAndIsDeterministic() {
        List<String> first = run();
        assertEquals(first, run());
        assertTrue(first.stream().anyMatch(l -> l.startsWith("  mean") && l.endsWith("meets")), String.join("\n", first));
        assertTrue(first.stream().anyMatch(l -> l.startsWith("  p99 ") && l.endsWith("MISSES")));
        assertTrue(first.size() <= 35);
    }

    private static List<String> run() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            LatencyRequirement.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
