import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the build-service estimate against the same arithmetic done by hand. */
class BuildServiceEstimateTest {

    private final BuildServiceEstimate.Assumptions a = BuildServiceEstimate.defaults();

    private static String value(Capacity.Sheet sheet, String quantity) {
        for (String[] line : sheet.lines()) {
            if (line[0].equals(quantity)) {
                return line[1];
            }
        }
        throw new AssertionError("no line " + quantity);
    }

    @Test
    void workersFollowLittlesLaw() {
        // 5,000 x 8 = 40,000 builds a day; / 86,400 s x 4 = 1.85185 builds/s at peak.
        double peak = 40_000.0 / 86_400 * 4;
        // 90 % hits: 60 min x 10 % = 360 worker-seconds per build; busy = 666.7; / 0.75 = 888.9 -> 889.
        assertEquals((int) Math.ceil(peak * 360 / 0.75), BuildServiceEstimate.workersAtPeak(a, 0.90));
        assertEquals(889, BuildServiceEstimate.workersAtPeak(a, 0.90));
        // No cache: 3,600 worker-seconds per build -> 8,888.9 -> 8,889.
        assertEquals(8_889, BuildServiceEstimate.workersAtPeak(a, 0));
        assertEquals("667", value(BuildServiceEstimate.load(a), "workers busy at peak"));
    }

    @Test
    void workersScaleWithTheMissRatio() {
        // Halving the misses halves the workers, up to the rounding up of ceil.
        for (double hit : List.of(0.5, 0.8, 0.9, 0.95)) {
            double expected = 8_888.9 * (1 - hit);
            int got = BuildServiceEstimate.workersAtPeak(a, hit);
            assertEquals(expected, got, 1.0, "hit ratio " + hit);
        }
    }

    @Test
    void storageUnderRetention() {
        // CAS: 40,000 builds/day x 3 GB x 10 % new = 12 TB/day; x 14 days = 168 TB.
        Capacity.Sheet storage = BuildServiceEstimate.storage(a);
        assertEquals("168.0 TB", value(storage, "CAS (artifact cache)"));
        // Logs: 40,000 x 5 MB = 200 GB/day; x 90 days = 18 TB.
        assertEquals("18.0 TB", value(storage, "logs"));
        // Releases: 20/day x 500 MB x 365.25 x 5 years x 3 copies = 54.79 TB.
        assertEquals(Capacity.bytes(20 * 500e6 * 365.25 * 5 * 3), value(storage, "release artifacts"));
        assertEquals("54.8 TB", value(storage, "release artifacts"));
    }

    @Test
    void theArtifactCacheIsTheLargestStore() {
        BuildServiceEstimate.Assumptions x = a;
        double average = 40_000.0 / 86_400;
        double cas = average * 86_400 * 14 * 3e9 * 0.1;
        double logs = average * 86_400 * 90 * 5e6;
        double releases = 20 * 500e6 * 365.25 * 5 * 3;
        double metadata = average * 86_400 * 365.25 * 1_500 * 200 * 3;
        assertEquals(168e12, cas, 1e6);
        assertTrue(cas > releases && releases > logs && logs > metadata, "CAS is the largest of the four");
        assertEquals(Capacity.bytes(metadata), value(BuildServiceEstimate.storage(x), "metadata (step rows)"));
    }

    @Test
    void bandwidthAtPeak() {
        // 1.85185 builds/s x 2 GB x 8 bits = 29.6 Gbit/s.
        assertEquals("29.6 Gbit/s", value(BuildServiceEstimate.load(a), "CAS reads at peak"));
    }
}
