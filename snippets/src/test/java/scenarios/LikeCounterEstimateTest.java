import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks {@link LikeCounterEstimate} against the same figures worked out by hand from its stated
 * assumptions, without {@code Capacity}: a day has 86,400 s, a year 365.25 days.
 */
class LikeCounterEstimateTest {

    private final LikeCounterEstimate.Assumptions a = LikeCounterEstimate.Assumptions.standard();
    private final LikeCounterEstimate.Figures f = LikeCounterEstimate.Figures.of(a);

    @Test
    void ratesFollowFromDailyCounts() {
        // 1e9 users x 10 likes = 1e10 a day; / 86,400 = 115,740.7/s; x 3 = 347,222.2/s.
        assertEquals(1e10, f.likesPerDay(), 1e-3);
        assertEquals(115_740.74, f.likesPerSecond(), 0.01);
        assertEquals(347_222.22, f.peakLikes(), 0.01);
        // 1e9 x 100 reads = 1e11 a day; / 86,400 x 3 = 3,472,222.2/s: ten reads per like.
        assertEquals(3_472_222.2, f.peakReads(), 0.1);
        assertEquals(10, f.peakReads() / f.peakLikes(), 1e-9);
    }

    @Test
    void serverCountsRoundUpAndAddASpare() {
        // 347,222 / (30,000 x 0.5) = 23.1 -> 24, plus 1 spare.
        assertEquals(25, f.counterNodes());
        // 3,472,222 / (50,000 x 0.5) = 138.9 -> 139, plus 1 spare.
        assertEquals(140, f.readServers());
        // a viral post: 5 % of 347,222 = 17,361/s; / 15,000 = 1.16 -> 2 nodes for one post.
        assertEquals(17_361.11, f.hotPostPeak(), 0.01);
        assertEquals(2, f.shardsForHotPost());
        assertTrue(f.shardsForHotPost() > 1, "the page's point: one node cannot take a viral post");
    }

    @Test
    void storageOfTheLikeRecords() {
        // 1e10 a day x 365.25 x 5 years x 64 B x 3 copies = 3.5064e15 B.
        assertEquals(1e10 * 365.25 * 5 * 64 * 3, f.likeStorageBytes(), 1e6);
        List<String[]> lines = LikeCounterEstimate.sheet(a, f).lines();
        assertEquals("3.5 PB", lines.get(lines.size() - 1)[1]);
        assertEquals("347,223/s", lines.get(2)[1], "rates on the sheet round up");
    }
}
