import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks {@link AdImpressionsEstimate} against the same figures worked out by hand from its stated
 * assumptions, without {@code Capacity}: a day has 86,400 s, a year 365.25 days, 1 GB is 10^9 bytes.
 */
class AdImpressionsEstimateTest {

    private final AdImpressionsEstimate.Assumptions a = AdImpressionsEstimate.Assumptions.standard();
    private final AdImpressionsEstimate.Figures f = AdImpressionsEstimate.Figures.of(a);

    @Test
    void ratesFollowFromDailyCounts() {
        // 1e10 / 86,400 x 3 = 347,222.2 requests/s; 60 % filled: 208,333.3 pops/s.
        assertEquals(347_222.22, f.peakRequests(), 0.01);
        assertEquals(208_333.33, f.peakPops(), 0.01);
        assertEquals(6e9, f.impressionsPerDay(), 1e-3);
    }

    @Test
    void budgetsBecomeTokensAndTokensTakeMemory() {
        // 100,000 campaigns x $500 / $0.002 = 2.5e10 tokens; x 16 B = 4e11 B = 400 GB.
        assertEquals(2.5e10, f.tokensPerDay(), 1);
        assertEquals(4e11, f.tokenBytes(), 1e3);
        // One token per 1,000 impressions: a thousand times less memory and a thousand times fewer pops.
        assertEquals(4e8, f.blockTokenBytes(), 1);
        assertEquals(208.33, f.peakBlockPops(), 0.01);
        List<String[]> lines = AdImpressionsEstimate.sheet(a, f).lines();
        assertEquals("400.0 GB", lines.get(4)[1]);
        assertEquals("400.0 MB", lines.get(5)[1]);
    }

    @Test
    void theLargestCampaignNeedsMoreThanOneQueue() {
        // 20 % of 208,333 = 41,667 pops/s; / (50,000 x 0.5) = 1.67 -> 2 queues.
        assertEquals(41_666.67, f.largestCampaignPeak(), 0.01);
        assertEquals(2, f.queuesForLargest());
    }

    @Test
    void servedLogGrowth() {
        // 6e9 rows a day x 365.25 x 40 B x 3 copies = 2.6298e14 B = 263.0 TB.
        assertEquals(6e9 * 365.25 * 40 * 3, f.servedLogBytesPerYear(), 1e6);
    }
}
