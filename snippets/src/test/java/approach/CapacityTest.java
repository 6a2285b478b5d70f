import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Capacity} to hand computations. Every expected value below is worked out in the
 * comment next to it, from first principles (86,400 s a day, 365.25 days a year, 10^3 per decimal
 * prefix), not by calling the method under test. Floating-point results are compared with a
 * relative tolerance of 1e-12, far above double rounding (about 1e-16 per operation) and far
 * below any difference an estimate would print.
 */
class CapacityTest {

    private static final double REL = 1e-12;

    private static void near(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * REL + 1e-15, () -> "expected " + expected + " got " + actual);
    }

    @Nested
    class Conversions {

        @Test
        void aDayHas86400SecondsAndAYear31557600() {
            assertEquals(86_400, Capacity.SECONDS_PER_DAY); // 24 * 60 * 60
            // Julian year: 365.25 * 86,400 = 31,557,600 s.
            near(31_557_600, Capacity.SECONDS_PER_DAY * Capacity.DAYS_PER_YEAR);
        }

        @Test
        void perSecondSpreadsADailyCountOverTheDay() {
            near(1, Capacity.perSecond(86_400));
            near(0, Capacity.perSecond(0));
            // 100 million a day: 100,000,000 / 86,400 = 1,157.407407...
            near(1_157.407_407_407_407_4, Capacity.perSecond(100_000_000));
        }

        @Test
        void peakMultipliesTheAverageByThePeakToAverageRatio() {
            near(30, Capacity.peak(10, 3));
            near(10, Capacity.peak(10, 1)); // a flat load: the peak is the average
            near(0, Capacity.peak(0, 5));
        }

        @ParameterizedTest
        @ValueSource(doubles = {0.999, 0.5, 0, -1, Double.NaN})
        void aPeakBelowTheAverageIsRejected(double ratio) {
            assertThrows(IllegalArgumentException.class, () -> Capacity.peak(10, ratio));
        }

        @Test
        void aNegativeOrUndefinedAverageIsRejected() {
            assertThrows(IllegalArgumentException.class, () -> Capacity.peak(-1, 2));
            assertThrows(IllegalArgumentException.class, () -> Capacity.peak(Double.NaN, 2));
        }

        @Test
        void storageIsRateTimesSecondsTimesSizeTimesCopies() {
            // One byte a second for a year, one copy: 31,557,600 bytes.
            near(31_557_600, Capacity.storageBytes(1, 1, 1, 1));
            // 1,000 items/s of 1,000 bytes for 5 years, 3 replicas:
            // 1e3 * 1e3 * 5 * 31,557,600 * 3 = 473,364,000,000,000 bytes (473.4 TB).
            near(473_364_000_000_000.0, Capacity.storageBytes(1_000, 1_000, 5, 3));
            near(0, Capacity.storageBytes(1_000, 1_000, 0, 3));
        }

        @Test
        void storageIsLinearInEachFactor() {
            double base = Capacity.storageBytes(12.5, 300, 2, 2);
            near(2 * base, Capacity.storageBytes(25, 300, 2, 2));
            near(2 * base, Capacity.storageBytes(12.5, 600, 2, 2));
            near(2 * base, Capacity.storageBytes(12.5, 300, 4, 2));
            near(2 * base, Capacity.storageBytes(12.5, 300, 2, 4));
        }

        @Test
        void storageRejectsNoCopiesAndNegativeInputs() {
            assertThrows(IllegalArgumentException.class, () -> Capacity.storageBytes(1, 1, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> Capacity.storageBytes(1, 1, 1, -3));
            assertThrows(IllegalArgumentException.class, () -> Capacity.storageBytes(-1, 1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> Capacity.storageBytes(1, -1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> Capacity.storageBytes(1, 1, -1, 1));
        }

        @Test
        void bandwidthIsRateTimesSize() {
            near(500_000, Capacity.bandwidthBytesPerSecond(1_000, 500));
            near(0, Capacity.bandwidthBytesPerSecond(0, 500));
            assertThrows(IllegalArgumentException.class, () -> Capacity.bandwidthBytesPerSecond(-1, 500));
            assertThrows(IllegalArgumentException.class, () -> Capacity.bandwidthBytesPerSecond(1, -500));
        }
    }

    @Nested
    class Servers {

        @Test
        void serversCarryThePeakAtTheTargetUtilisationPlusSpares() {
            // 10,000/s at 1,000/s per server run at 50 %: 500/s each, 20 servers, + 2 spares.
            assertEquals(22, Capacity.servers(10_000, 1_000, 0.5, 2));
            // Just over a whole number of servers needs one more: 10,001 / 500 = 20.002 -> 21.
            assertEquals(21, Capacity.servers(10_001, 1_000, 0.5, 0));
            // Full utilisation: 3,000 / 1,000 = 3.
            assertEquals(3, Capacity.servers(3_000, 1_000, 1.0, 0));
            // Any load at all needs one server; no load needs only the spares.
            assertEquals(1, Capacity.servers(0.001, 1_000, 0.7, 0));
            assertEquals(2, Capacity.servers(0, 1_000, 0.7, 2));
        }

        @Test
        void floatingPointNoiseDoesNotAddAServer() {
            // 4.2 / (1 * 0.6) is 7.000000000000001 in doubles; the answer is 7 servers, not 8.
            assertEquals(7, Capacity.servers(4.2, 1, 0.6, 0));
            // 42,000/s at 10,000/s per server at 60 %: 6,000 each, exactly 7.
            assertEquals(7, Capacity.servers(42_000, 10_000, 0.6, 0));
        }

        @Test
        void exactMultiplesGiveExactlyNAndAnyExcessGivesNPlusOne() {
            double[] utilisations = {0.3, 0.35, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
            for (double u : utilisations) {
                for (int perServer = 1; perServer <= 2_000; perServer += 37) {
                    for (int n = 1; n <= 60; n++) {
                        // The load that needs exactly n servers, computed in decimal, not in doubles.
                        double exact = new BigDecimal(Double.toString(u)).multiply(BigDecimal.valueOf((long) perServer * n)).doubleValue();
                        String where = u + " " + perServer + " " + n;
                        assertEquals(n, Capacity.servers(exact, perServer, u, 0), where);
                        assertEquals(n + 3, Capacity.servers(exact, perServer, u, 3), where);
                        // One part in a million more load than n servers carry needs one more.
                        assertEquals(n + 1, Capacity.servers(exact * (1 + 1e-6), perServer, u, 0), where);
                    }
                }
            }
        }

        @ParameterizedTest
        @ValueSource(doubles = {0, -0.5, 1.01, 2, Double.NaN})
        void utilisationOutsideZeroToOneIsRejected(double utilisation) {
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(100, 10, utilisation, 0));
        }

        @Test
        void nonsensicalCapacityIsRejected() {
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(100, 0, 0.5, 0));
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(100, -10, 0.5, 0));
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(100, 10, 0.5, -1));
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(-100, 10, 0.5, 0));
            assertThrows(IllegalArgumentException.class, () -> Capacity.servers(Double.NaN, 10, 0.5, 0));
        }

        @Test
        void aCountBeyondAnIntIsAnErrorNotAWrappedNumber() {
            assertThrows(ArithmeticException.class, () -> Capacity.servers(1e12, 1, 0.5, 0));
        }
    }

    @Nested
    class Availability {

        @Test
        void seriesMultiplies() {
            near(0.9801, Capacity.inSeries(0.99, 0.99)); // 0.99^2
            // 0.999 * 0.9995 = 0.9985005
            near(0.998_500_5, Capacity.inSeries(0.999, 0.9995));
            near(0.5, Capacity.inSeries(0.5));
            near(1, Capacity.inSeries()); // the empty product
            near(0, Capacity.inSeries(0.999, 0, 0.999));
        }

        @Test
        void parallelIsDownOnlyWhenAllAreDown() {
            near(0.9999, Capacity.inParallel(0.99, 0.99)); // 1 - 0.01^2
            // 1 - 0.001 * 0.0005 = 0.9999995
            near(0.999_999_5, Capacity.inParallel(0.999, 0.9995));
            near(0.5, Capacity.inParallel(0.5));
            near(0, Capacity.inParallel()); // no replica at all is never up
            near(1, Capacity.inParallel(0.3, 1));
            near(0, Capacity.inParallel(0, 0));
        }

        @Test
        void seriesAndParallelIdentities() {
            double[][] cases = {{0.9, 0.99}, {0.999, 0.9995, 0.98}, {0.5, 0.25, 0.125, 0.75}, {0.999_99}};
            for (double[] a : cases) {
                double series = Capacity.inSeries(a);
                double parallel = Capacity.inParallel(a);
                double min = Arrays.stream(a).min().orElseThrow();
                double max = Arrays.stream(a).max().orElseThrow();
                // A chain is no stronger than its weakest link; a replica set no weaker than its best member.
                assertTrue(series <= min + 1e-15);
                assertTrue(parallel >= max - 1e-15);
                // De Morgan: parallel up = 1 - (all down), and "all down" is a series of unavailabilities.
                double[] down = Arrays.stream(a).map(x -> 1 - x).toArray();
                near(parallel, 1 - Capacity.inSeries(down));
                near(series, 1 - Capacity.inParallel(down));
                // Order does not matter.
                double[] reversed = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    reversed[i] = a[a.length - 1 - i];
                }
                near(series, Capacity.inSeries(reversed));
                near(parallel, Capacity.inParallel(reversed));
            }
            // Grouping does not matter.
            near(Capacity.inSeries(0.9, 0.8, 0.7), Capacity.inSeries(Capacity.inSeries(0.9, 0.8), 0.7));
            near(Capacity.inParallel(0.9, 0.8, 0.7), Capacity.inParallel(Capacity.inParallel(0.9, 0.8), 0.7));
        }

        @Test
        void replicatedIsParallelOfIdenticalCopies() {
            near(0.999_999, Capacity.replicated(0.999, 2)); // 1 - 0.001^2
            near(1 - 1e-9, Capacity.replicated(0.999, 3)); // 1 - 0.001^3
            near(0.875, Capacity.replicated(0.5, 3)); // 1 - 0.5^3
            near(0.999, Capacity.replicated(0.999, 1));
            near(0, Capacity.replicated(0.999, 0));
            assertThrows(IllegalArgumentException.class, () -> Capacity.replicated(0.999, -1));
            assertThrows(IllegalArgumentException.class, () -> Capacity.replicated(1.5, 2));
        }

        @Test
        void theMainExampleReplicatingTheWebTierLeavesTheDatabaseDominant() {
            double web = 0.999;
            double db = 0.9995;
            // (1 - 0.001^2) * 0.9995 = 0.999999 * 0.9995 = 0.9994990005: just below the database alone.
            double both = Capacity.inSeries(Capacity.replicated(web, 2), db);
            near(0.999_499_000_5, both);
            assertTrue(both < db && both > Capacity.inSeries(web, db));
        }

        @ParameterizedTest
        @ValueSource(doubles = {-0.000_001, 1.000_001, 99.9, Double.NaN, Double.POSITIVE_INFINITY})
        void availabilityOutsideZeroToOneIsRejectedEverywhere(double bad) {
            assertThrows(IllegalArgumentException.class, () -> Capacity.inSeries(0.9, bad));
            assertThrows(IllegalArgumentException.class, () -> Capacity.inParallel(bad, 0.9));
            assertThrows(IllegalArgumentException.class, () -> Capacity.replicated(bad, 2));
            assertThrows(IllegalArgumentException.class, () -> Capacity.downtimePerYear(bad));
            assertThrows(IllegalArgumentException.class, () -> Capacity.nines(bad));
        }

        @Test
        void downtimeOfThreeNinesIs8Point766Hours() {
            // 0.001 * 31,557,600 s = 31,557.6 s = 8.766 h.
            Duration d = Capacity.downtimePerYear(0.999);
            assertEquals(31_557_600, d.toMillis());
            near(8.766, d.toMillis() / 3_600_000.0);
            assertTrue(d.toMillis() > 8 * 3_600_000, "the page: more than a full working day");
            // The page: ten components at three nines in series have fewer than three nines.
            double[] ten = new double[10];
            Arrays.fill(ten, 0.999);
            assertTrue(Capacity.nines(Capacity.inSeries(ten)) < 3);
            // 99.99 %: 3,155.76 s = 52.596 min. 99.999 %: 315.576 s = 5.2596 min.
            assertEquals(3_155_760, Capacity.downtimePerYear(0.9999).toMillis());
            assertEquals(315_576, Capacity.downtimePerYear(0.999_99).toMillis());
            // 99 %: 3.6525 days.
            assertEquals(315_576_000, Capacity.downtimePerYear(0.99).toMillis());
            assertEquals(Duration.ZERO, Capacity.downtimePerYear(1));
            assertEquals(Duration.ofMillis(31_557_600_000L), Capacity.downtimePerYear(0));
        }

        @Test
        void ninesIsMinusLog10OfUnavailability() {
            near(2, Capacity.nines(0.99));
            near(3, Capacity.nines(0.999));
            near(5, Capacity.nines(0.999_99));
            // 99.95 %: -log10(0.0005) = 4 - log10(5) = 3 + log10(2) = 3.30103.
            near(3 + Math.log10(2), Capacity.nines(0.9995));
            near(Math.log10(2), Capacity.nines(0.5));
            assertEquals(Double.POSITIVE_INFINITY, Capacity.nines(1));
            // Zero availability has zero nines, printed "0.0", not "-0.0".
            assertEquals(0, Double.compare(0.0, Capacity.nines(0)));
        }
    }

    @Nested
    class Reference {

        @Test
        void latenciesMatchDeansLadis2009ListWhereItHasThem() {
            // Jeff Dean, LADIS 2009 keynote, "Numbers everyone should know", in ns.
            near(0.5, Capacity.Latency.L1_CACHE_REFERENCE.nanos);
            near(5, Capacity.Latency.BRANCH_MISPREDICT.nanos);
            near(7, Capacity.Latency.L2_CACHE_REFERENCE.nanos);
            near(25, Capacity.Latency.MUTEX_LOCK_UNLOCK.nanos);
            near(100, Capacity.Latency.MAIN_MEMORY_REFERENCE.nanos);
            near(3_000, Capacity.Latency.COMPRESS_1KB.nanos);
            near(20_000 / 2.0, Capacity.Latency.SEND_1KB_OVER_1GBPS.nanos); // "send 2K bytes: 20,000 ns", halved
            near(250_000, Capacity.Latency.READ_1MB_FROM_MEMORY.nanos);
            near(500_000, Capacity.Latency.ROUND_TRIP_SAME_DATACENTER.nanos);
            near(10_000_000, Capacity.Latency.DISK_SEEK.nanos);
            near(20_000_000, Capacity.Latency.READ_1MB_FROM_DISK.nanos);
            near(150_000_000, Capacity.Latency.ROUND_TRIP_CALIFORNIA_NETHERLANDS.nanos);
        }

        @Test
        void theTableIsInIncreasingOrder() {
            Capacity.Latency[] all = Capacity.Latency.values();
            for (int i = 1; i < all.length; i++) {
                assertTrue(all[i - 1].nanos < all[i].nanos, all[i].name());
            }
        }

        @Test
        void theNumbersAgreeWithPhysics() {
            // 1 KB = 8,000 bits at 10^9 bit/s takes 8 µs on the wire: the 10 µs entry is that, rounded up.
            double wire = 1_000 * 8 / 1e9 * 1e9;
            assertTrue(wire <= Capacity.Latency.SEND_1KB_OVER_1GBPS.nanos && Capacity.Latency.SEND_1KB_OVER_1GBPS.nanos < 2 * wire);
            // San Francisco to Amsterdam is about 8,800 km great-circle; light in fibre travels about
            // 200,000 km/s, so a round trip can be no faster than 2 * 8,800 / 200,000 s = 88 ms.
            double floorNanos = 2 * 8_800 / 200_000.0 * 1e9;
            assertTrue(Capacity.Latency.ROUND_TRIP_CALIFORNIA_NETHERLANDS.nanos > floorNanos);
            // A 1 MB sequential read from memory at 250 µs is 4 GB/s; from disk at 20 ms, 50 MB/s.
            near(4e9, 1e6 / (Capacity.Latency.READ_1MB_FROM_MEMORY.nanos / 1e9));
            near(5e7, 1e6 / (Capacity.Latency.READ_1MB_FROM_DISK.nanos / 1e9));
        }
    }

    @Nested
    class Format {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0              | 0 B",
                "999            | 999 B",
                "999.4          | 999 B",
                "999.5          | 1.0 kB",   // rounds to 1000 B, so it moves up a unit
                "1000           | 1.0 kB",
                "1500           | 1.5 kB",
                "999940         | 999.9 kB",
                "999960         | 1.0 MB",   // not 1000.0 kB
                "1073741824     | 1.1 GB",   // 2^30 bytes is 1.07 decimal gigabytes
                "473364000000000 | 473.4 TB",
                "1e18           | 1.0 EB",
                "1e21           | 1000.0 EB", // no unit above exabytes
                "-1500          | -1.5 kB",
        })
        void bytesUseDecimalPrefixes(double bytes, String expected) {
            assertEquals(expected, Capacity.bytes(bytes));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0          | 0.0 bit/s",
                "1          | 8.0 bit/s",
                "124.995    | 1.0 kbit/s",  // 999.96 bit/s rounds to 1000.0
                "125        | 1.0 kbit/s",
                "125000000  | 1.0 Gbit/s",  // 125 MB/s fills a 1 Gbit/s link
                "1.25e12    | 10.0 Tbit/s",
                "1.25e15    | 10000.0 Tbit/s",
        })
        void bitsPerSecondIsEightTimesBytes(double bytesPerSecond, String expected) {
            assertEquals(expected, Capacity.bitsPerSecond(bytesPerSecond));
        }

        @Test
        void ratesRoundUpAndCountsRoundToNearest() {
            assertEquals("1/s", Capacity.rate(0.01));
            assertEquals("0/s", Capacity.rate(0));
            assertEquals("1,000/s", Capacity.rate(1_000));
            assertEquals("1,001/s", Capacity.rate(1_000.001));
            assertEquals("1,158/s", Capacity.rate(100_000_000 / 86_400.0)); // 1,157.4 rounded up
            assertEquals("1,234,567", Capacity.count(1_234_567.4));
            assertEquals("1,234,568", Capacity.count(1_234_567.5));
            assertEquals("0", Capacity.count(0.4));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0.999        | 99.9 %",
                "0.9995       | 99.95 %",
                "0.99         | 99 %",
                "0.5          | 50 %",
                "0            | 0 %",
                "1            | 100 %",
                "0.999999     | 99.9999 %",
                "0.9999999    | 99.99999 %",  // would round to 100.0000 at four decimals
                "0.99999999   | 99.999999 %",
                "0.9994990005 | 99.9499 %",
                "0.12345678   | 12.3457 %",
        })
        void percentDropsTrailingZerosAndNeverShowsHundredBelowOne(double availability, String expected) {
            assertEquals(expected, Capacity.percent(availability));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0          | 0.0 s",
                "59900      | 59.9 s",
                "59960      | 1.0 min",   // not 60.0 s
                "60000      | 1.0 min",
                "3155760    | 52.6 min",  // downtime at 99.99 %
                "3599900    | 1.0 h",     // 59.998 min, not 60.0 min
                "31557600   | 8.8 h",     // downtime at 99.9 %
                "86399000   | 1.0 d",     // 23.9997 h, not 24.0 h
                "86400000   | 1.0 d",
                "315576000  | 3.7 d",     // downtime at 99 %
        })
        void durationPicksTheLargestReadableUnit(long millis, String expected) {
            assertEquals(expected, Capacity.duration(Duration.ofMillis(millis)));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "0.5          | 0.5 ns",
                "100          | 100.0 ns",
                "999.9        | 999.9 ns",
                "999.96       | 1 µs",     // not 1000.0 ns
                "1000         | 1 µs",
                "150000       | 150 µs",
                "999499       | 999 µs",
                "999500       | 1 ms",     // not 1,000 µs
                "1000000      | 1 ms",
                "150000000    | 150 ms",
                "1500000000   | 1,500 ms",
        })
        void nanosPicksNsMicrosOrMillis(double nanos, String expected) {
            assertEquals(expected, Capacity.nanos(nanos));
        }
    }

    @Nested
    class SheetTest {

        private String printed(Capacity.Sheet sheet) {
            PrintStream original = System.out;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                sheet.print();
            } finally {
                System.setOut(original);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Test
        void linesChainAndAreReturnedAsACopy() {
            Capacity.Sheet sheet = new Capacity.Sheet("t");
            assertSame(sheet, sheet.line("a", "1", "x"));
            sheet.line("b", "2", "y");
            List<String[]> lines = sheet.lines();
            assertEquals(2, lines.size());
            assertEquals(List.of("a", "1", "x"), List.of(lines.get(0)));
            assertThrows(UnsupportedOperationException.class, () -> lines.add(new String[] {"c", "3", "z"}));
            assertNotSame(lines, sheet.lines());
        }

        @Test
        void printLeftAlignsQuantitiesRightAlignsValuesAndStripsTrailingSpace() {
            Capacity.Sheet sheet = new Capacity.Sheet("Estimate")
                    .line("writes", "1,158/s", "100M a day / 86,400 s")
                    .line("peak writes", "3/s", "")
                    .line("100 % sure", "x", "a % in a value is not a format");
            String expected = String.join(System.lineSeparator(),
                    "Estimate",
                    "  writes       1,158/s  100M a day / 86,400 s",
                    "  peak writes      3/s",
                    "  100 % sure         x  a % in a value is not a format",
                    "");
            assertEquals(expected, printed(sheet));
        }

        @Test
        void emptySheetsAndEmptyColumnsPrint() {
            assertEquals("Empty" + System.lineSeparator(), printed(new Capacity.Sheet("Empty")));
            Capacity.Sheet blank = new Capacity.Sheet("Blank").line("", "", "note");
            assertEquals("Blank" + System.lineSeparator() + "        note" + System.lineSeparator(), printed(blank));
        }
    }

    @Nested
    class Main {

        private List<String> run() {
            PrintStream original = System.out;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                Capacity.main(new String[0]);
            } finally {
                System.setOut(original);
            }
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }

        @Test
        void powersOfTwoDriftFurtherFromDecimalPrefixesAtEachStep() {
            List<String> out = run();
            // 2^10 / 10^3 = 1.024, 2^20 / 10^6 = 1.048576, 2^30 / 10^9 = 1.073741824,
            // 2^40 / 10^12 = 1.099511627776, 2^50 / 10^15 = 1.125899906842624.
            String[] expected = {"+ 2.4 %", "+ 4.9 %", "+ 7.4 %", "+ 10.0 %", "+ 12.6 %"};
            for (int i = 0; i < expected.length; i++) {
                String line = out.get(1 + i);
                assertTrue(line.startsWith("  2^" + 10 * (i + 1) + " "), line);
                assertTrue(line.endsWith(expected[i]), line);
            }
            assertTrue(out.get(3).contains("1,073,741,824"));
        }

        @Test
        void theNinesTableShowsHandComputedDowntimes() {
            List<String> out = run();
            assertTrue(out.stream().anyMatch(l -> l.matches("\\s+99\\.9 %\\s+8\\.8 h\\s+3\\.0 nines")), String.join("\n", out));
            assertTrue(out.stream().anyMatch(l -> l.matches("\\s+99\\.99 %\\s+52\\.6 min\\s+4\\.0 nines")));
            assertTrue(out.stream().anyMatch(l -> l.matches("\\s+99\\.95 %\\s+4\\.4 h\\s+3\\.3 nines")));
            assertTrue(out.stream().anyMatch(l -> l.matches("\\s+99 %\\s+3\\.7 d\\s+2\\.0 nines")));
            assertTrue(out.stream().anyMatch(l -> l.contains("99.8501 %") && l.contains("in series")));
            assertTrue(out.stream().anyMatch(l -> l.contains("99.9999 %") && l.contains("in parallel")));
            assertTrue(out.stream().anyMatch(l -> l.contains("99.9499 %") && l.contains("dominates")));
        }

        @Test
        void outputIsDeterministicAndShort() {
            List<String> first = run();
            assertEquals(first, run());
            assertTrue(first.size() <= 35, "lines: " + first.size());
        }
    }
}
