import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the URL shortener estimate against a hand computation from the same assumptions, done here
 * with plain arithmetic rather than through {@code Capacity}.
 */
class UrlShortenerEstimateTest {

    private static final UrlShortenerEstimate.Assumptions A = UrlShortenerEstimate.Assumptions.typical();

    private static String value(Capacity.Sheet sheet, String quantity) {
        return sheet.lines().stream().filter(l -> l[0].equals(quantity)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + quantity))[1];
    }

    @Test
    void ratesFromOneHundredMillionLinksADay() {
        Capacity.Sheet t = UrlShortenerEstimate.traffic(A);
        assertEquals("1,158/s", value(t, "links created"));        // 1e8 / 86,400 = 1,157.4, rounded up
        assertEquals("3,473/s", value(t, "links created at peak")); // x 3 = 3,472.2
        assertEquals("115,741/s", value(t, "redirects"));           // x 100 = 115,740.7
        assertEquals("347,223/s", value(t, "redirects at peak"));   // x 3 = 347,222.2
    }

    @Test
    void storageCacheBandwidthAndServers() {
        Capacity.Sheet t = UrlShortenerEstimate.traffic(A);
        double links = 1e8 * 365.25 * 5;
        assertEquals(String.format(Locale.ROOT, "%,d", Math.round(links)), value(t, "links stored"));
        assertEquals("273.9 TB", value(t, "storage"));               // 1.826e11 x 500 B x 3 = 2.739e14
        assertEquals("1.0 TB", value(t, "cache for hot links"));     // 1e10 reads x 0.2 x 500 B
        double peakReads = 1e8 / 86_400.0 * 100 * 3;
        assertEquals(String.format(Locale.ROOT, "%.1f Gbit/s", peakReads * 500 * 8 / 1e9), value(t, "redirect bandwidth at peak"));
        // 347,222 / (20,000 x 0.6) = 28.9 -> 29, plus 2 spares
        assertEquals("31", value(t, "application servers"));
    }

    @Test
    void sevenCharactersAreEnoughAndSixAreNot() {
        Capacity.Sheet k = UrlShortenerEstimate.keys(A);
        double needed = 1e8 * 365.25 * 5;
        double six = Math.pow(62, 6);
        double seven = Math.pow(62, 7);
        assertEquals("56,800,235,584", value(k, "62^6 keys"));
        assertEquals("3,521,614,606,208", value(k, "62^7 keys"));
        assertTrue(six < needed && needed < seven);
        assertEquals(String.format(Locale.ROOT, "%.1f %%", needed / seven * 100), value(k, "random keys: P(collision) at the end"));
        assertEquals("5.2 %", value(k, "random keys: P(collision) at the end"));
        // birthday bound: sum over i < n of i / N = n(n-1) / 2N
        assertEquals(String.format(Locale.ROOT, "%,d", Math.round(needed * needed / (2 * seven))), value(k, "random keys: collisions in all"));
        assertEquals("3.5/s", value(k, "range claims at peak")); // 3,472.2 / 1,000
    }
}
