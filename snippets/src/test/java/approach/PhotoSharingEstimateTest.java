import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the worked estimate against the same arithmetic done by hand in the comments, from the
 * assumptions alone: 10 million users, 0.1 uploads and 30 views each a day, 500 kB stored per
 * photo, 200 kB sent per view, peak 3x the average, 5 years, 3 copies, 2,000 requests/s per
 * server at 60 % plus 2 spares.
 */
class PhotoSharingEstimateTest {

    private static final PhotoSharingEstimate.Estimate E = PhotoSharingEstimate.estimate(PhotoSharingEstimate.PHOTO_SHARING);

    private static void near(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-12);
    }

    @Test
    void ratesFollowFromDailyCounts() {
        near(1_000_000 / 86_400.0, E.uploadsPerSecond());   // 11.57/s
        near(3 * 1_000_000 / 86_400.0, E.uploadsAtPeak());  // 34.72/s
        near(300_000_000 / 86_400.0, E.viewsPerSecond());   // 3,472.2/s
        near(3 * 300_000_000 / 86_400.0, E.viewsAtPeak());  // 10,416.7/s
    }

    @Test
    void storageIsDailyBytesTimesDaysTimesCopies() {
        near(500e9, E.newBytesPerDay());                       // 1,000,000 x 500 kB = 500 GB
        near(500e9 * 365.25 * 5 * 3, E.storedBytes());         // 2.739375 PB
        assertEquals("2.7 PB", Capacity.bytes(E.storedBytes()));
    }

    @Test
    void egressAndServersFollowFromThePeak() {
        // 10,416.7 views/s x 200 kB x 8 = 16.67 Gbit/s.
        near(3 * 300_000_000 / 86_400.0 * 200_000, E.egressBytesPerSecondAtPeak());
        assertEquals("16.7 Gbit/s", Capacity.bitsPerSecond(E.egressBytesPerSecondAtPeak()));
        // (10,416.7 + 34.7) / (2,000 x 0.6) = 8.71, rounded up to 9, plus 2 spares.
        assertEquals(11, E.servers());
    }

    @Test
    void serversCarryUploadsAndViewsTogether() {
        // As many uploads as views, 30 each per user a day: peak = 2 x 3 x 300,000,000 / 86,400 = 20,833.3/s;
        // 20,833.3 / 1,200 = 17.36, rounded up to 18, plus 2 spares. Views alone would need 9 + 2.
        PhotoSharingEstimate.Assumptions a = PhotoSharingEstimate.PHOTO_SHARING;
        PhotoSharingEstimate.Estimate even = PhotoSharingEstimate.estimate(new PhotoSharingEstimate.Assumptions(
                a.dailyUsers(), 30, 30, a.storedBytesPerPhoto(), a.bytesPerView(), a.peakToAverage(), a.years(),
                a.copies(), a.requestsPerServer(), a.utilisation(), a.spares()));
        assertEquals(20, even.servers());
    }

    @Test
    void doublingThePeakDoublesPeakFiguresButNotStorageOrSpares() {
        PhotoSharingEstimate.Assumptions a = PhotoSharingEstimate.PHOTO_SHARING;
        PhotoSharingEstimate.Estimate s = PhotoSharingEstimate.estimate(new PhotoSharingEstimate.Assumptions(
                a.dailyUsers(), a.uploadsPerUserPerDay(), a.viewsPerUserPerDay(), a.storedBytesPerPhoto(),
                a.bytesPerView(), 6, a.years(), a.copies(), a.requestsPerServer(), a.utilisation(), a.spares()));
        near(E.storedBytes(), s.storedBytes());
        near(2 * E.egressBytesPerSecondAtPeak(), s.egressBytesPerSecondAtPeak());
        // 2 x 10,451.4 / 1,200 = 17.42, rounded up to 18, plus 2 spares: 20, less than 2 x 11.
        assertEquals(20, s.servers());
        assertTrue(s.servers() < 2 * E.servers());
    }

    @Test
    void mainPrintsTheAssumptionsThenTheWorking() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            PhotoSharingEstimate.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        List<String> out = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+servers\\s+11\\s+peak requests.*")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+storage\\s+2\\.7 PB\\s+unchanged.*")));
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+egress at peak\\s+33\\.3 Gbit/s\\s+doubled")));
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+servers\\s+20\\s+not quite doubled.*")));
        assertTrue(out.size() <= 35, "lines: " + out.size());
    }
}
