import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Back-of-the-envelope estimation as code: the handful of conversions a design interview needs
 * (daily counts to rates, rates to storage, bandwidth and servers; availability of components in
 * series and in parallel), the reference tables behind them (powers of two, latency numbers), and
 * a {@link Sheet} that prints an estimate with the working shown. Every estimate on a scenario page
 * is computed by this class, so a changed assumption changes every figure that depends on it.
 *
 * <p>Units: storage and bandwidth are printed in decimal SI units (1 GB = 10^9 bytes), as disk and
 * network vendors quote them; the powers-of-two table shows how close 2^10 is to 10^3, which is why
 * the two are interchangeable in an estimate. Sources: the SI brochure (BIPM) and IEC 80000-13 for
 * the prefixes; Jeff Dean's "Numbers everyone should know" (LADIS 2009 keynote) for most of the
 * latencies, and the later, widely copied versions of that list for the SSD rows.
 */
public final class Capacity {

    private Capacity() {
    }

    // tag::conversions[]
    public static final long SECONDS_PER_DAY = 24 * 60 * 60;
    public static final double DAYS_PER_YEAR = 365.25;

    /** Average events per second when {@code perDay} events are spread over a day. */
    public static double perSecond(double perDay) {
        return perDay / SECONDS_PER_DAY;
    }

    /** The rate to provision for: the average times the ratio of the busiest second to the average one. */
    public static double peak(double averagePerSecond, double peakToAverage) {
        nonNegative("average rate", averagePerSecond);
        if (!(peakToAverage >= 1)) {
            throw new IllegalArgumentException("a peak is at least the average: " + peakToAverage);
        }
        return averagePerSecond * peakToAverage;
    }

    /** Bytes written over {@code years} at {@code itemsPerSecond}, each item stored {@code copies} times. */
    public static double storageBytes(double itemsPerSecond, double bytesPerItem, double years, int copies) {
        nonNegative("items per second", itemsPerSecond);
        nonNegative("bytes per item", bytesPerItem);
        nonNegative("years", years);
        if (copies < 1) {
            throw new IllegalArgumentException("at least one copy is stored: " + copies);
        }
        return itemsPerSecond * SECONDS_PER_DAY * DAYS_PER_YEAR * years * bytesPerItem * copies;
    }

    /** Bytes per second moved by {@code requestsPerSecond} requests of {@code bytesPerRequest} each. */
    public static double bandwidthBytesPerSecond(double requestsPerSecond, double bytesPerRequest) {
        nonNegative("requests per second", requestsPerSecond);
        nonNegative("bytes per request", bytesPerRequest);
        return requestsPerSecond * bytesPerRequest;
    }

    /**
     * Servers needed to carry {@code peakPerSecond} when one server handles {@code perServer}, run at
     * no more than {@code utilisation} of that so a server can fail or a burst can land, plus
     * {@code spares} for failures: N + spares. A quotient within floating-point noise of a whole
     * number (4.2 / 0.6 is 7.000000000000001 in doubles) counts as that number, not the next one up.
     */
    public static int servers(double peakPerSecond, double perServer, double utilisation, int spares) {
        if (!(utilisation > 0 && utilisation <= 1)) {
            throw new IllegalArgumentException("utilisation is a fraction in (0, 1]: " + utilisation);
        }
        nonNegative("peak rate", peakPerSecond);
        if (!(perServer > 0)) {
            throw new IllegalArgumentException("a server handles a positive rate: " + perServer);
        }
        if (spares < 0) {
            throw new IllegalArgumentException("spares are not negative: " + spares);
        }
        double needed = peakPerSecond / (perServer * utilisation);
        double whole = Math.rint(needed);
        double n = Math.abs(needed - whole) <= 1e-9 * Math.max(1, whole) ? whole : Math.ceil(needed);
        return Math.toIntExact((long) n) + spares;
    }

    // end::conversions[]

    private static void nonNegative(String what, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(what + " is not negative: " + value);
        }
    }

    // tag::availability[]
    /** Every component must be up: availabilities multiply, so the chain is weaker than its weakest link. */
    public static double inSeries(double... availabilities) {
        double up = 1;
        for (double a : checked(availabilities)) {
            up *= a;
        }
        return up;
    }

    /** Any one replica suffices (failures independent): the chain is down only when all are down. */
    public static double inParallel(double... availabilities) {
        double allDown = 1;
        for (double a : checked(availabilities)) {
            allDown *= 1 - a;
        }
        return 1 - allDown;
    }

    /** {@code copies} identical replicas in parallel. */
    public static double replicated(double availability, int copies) {
        if (copies < 0) {
            throw new IllegalArgumentException("copies are not negative: " + copies);
        }
        double[] same = new double[copies];
        java.util.Arrays.fill(same, availability);
        return inParallel(same);
    }

    /** Expected time down in a year at this availability. */
    public static Duration downtimePerYear(double availability) {
        double seconds = (1 - checked(availability)[0]) * SECONDS_PER_DAY * DAYS_PER_YEAR;
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** The number of nines, e.g. 3.0 for 99.9 %; 99.95 % is 3.3 nines; 100 % is infinitely many. */
    public static double nines(double availability) {
        return 0.0 - Math.log10(1 - checked(availability)[0]);
    }
    // end::availability[]

    private static double[] checked(double... availabilities) {
        for (double a : availabilities) {
            if (!(a >= 0 && a <= 1)) {
                throw new IllegalArgumentException("availability is a fraction in [0, 1]: " + a);
            }
        }
        return availabilities;
    }

    // tag::reference[]
    /**
     * Orders of magnitude from Dean's LADIS 2009 list (its "send 2 KB in 20 µs" halved to 1 KB);
     * the two SSD rows come from later versions of the list that circulate with his name. Real
     * hardware varies, and a round trip inside a modern datacenter is often well under 500 µs;
     * the ratios are what matter.
     */
    public enum Latency {
        L1_CACHE_REFERENCE("L1 cache reference", 0.5),
        BRANCH_MISPREDICT("Branch mispredict", 5),
        L2_CACHE_REFERENCE("L2 cache reference", 7),
        MUTEX_LOCK_UNLOCK("Mutex lock/unlock", 25),
        MAIN_MEMORY_REFERENCE("Main memory reference", 100),
        COMPRESS_1KB("Compress 1 KB with a fast compressor", 3_000),
        SEND_1KB_OVER_1GBPS("Send 1 KB over a 1 Gbps network", 10_000),
        READ_4KB_RANDOM_SSD("Read 4 KB at random from an SSD", 150_000),
        READ_1MB_FROM_MEMORY("Read 1 MB sequentially from memory", 250_000),
        ROUND_TRIP_SAME_DATACENTER("Round trip within a datacenter", 500_000),
        READ_1MB_FROM_SSD("Read 1 MB sequentially from an SSD", 1_000_000),
        DISK_SEEK("Disk seek", 10_000_000),
        READ_1MB_FROM_DISK("Read 1 MB sequentially from disk", 20_000_000),
        ROUND_TRIP_CALIFORNIA_NETHERLANDS("Packet round trip California-Netherlands", 150_000_000);

        public final String what;
        public final double nanos;

        Latency(String what, double nanos) {
            this.what = what;
            this.nanos = nanos;
        }
    }
    // end::reference[]

    // tag::format[]
    /** A byte count in decimal units: 1 kB = 1,000 bytes, up to exabytes; whole bytes, else one decimal. */
    public static String bytes(double bytes) {
        return scaled(bytes, new String[] {"B", "kB", "MB", "GB", "TB", "PB", "EB"}, 0);
    }

    /** Bits per second, as network links are sold, from bytes per second. */
    public static String bitsPerSecond(double bytesPerSecond) {
        return scaled(bytesPerSecond * 8, new String[] {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"}, 1);
    }

    /**
     * Steps up by 1,000 while the value, as it will be printed, reaches 1,000: 999,999 bytes is
     * "1.0 MB", not "1000.0 kB".
     */
    private static String scaled(double value, String[] units, int firstDecimals) {
        int unit = 0;
        while (unit < units.length - 1 && Math.abs(rounded(value, unit == 0 ? firstDecimals : 1)) >= 1000) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%." + (unit == 0 ? firstDecimals : 1) + "f %s", value, units[unit]);
    }

    /** The value as {@code %.Nf} prints it (half up), read back. */
    private static double rounded(double value, int decimals) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    /** A rate with thousands separators, rounded up: provisioning rounds up. */
    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,d/s", (long) Math.ceil(perSecond));
    }

    /** A count with thousands separators. */
    public static String count(double n) {
        return String.format(Locale.ROOT, "%,d", Math.round(n));
    }

    /**
     * An availability as a percentage to four decimals, trailing zeros dropped, e.g. 99.95 %. A value
     * below 1 never prints as 100 %: it gets the decimals it needs (99.99999 %).
     */
    public static String percent(double availability) {
        int decimals = 4;
        while (availability < 1 && decimals < 15 && rounded(availability * 100, decimals) >= 100) {
            decimals++;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", availability * 100).replaceAll("0+$", "").replaceAll("\\.$", "") + " %";
    }

    /**
     * A duration in the largest unit that keeps it readable, one decimal: 8.8 h, 52.6 min, 31.6 s.
     * A value that rounds up to the next unit moves to it: 59.96 s is "1.0 min", not "60.0 s".
     */
    public static String duration(Duration d) {
        double seconds = d.toMillis() / 1000.0;
        if (seconds >= 86_400 || rounded(seconds / 3600, 1) >= 24) {
            return String.format(Locale.ROOT, "%.1f d", seconds / 86_400);
        }
        if (seconds >= 3600 || rounded(seconds / 60, 1) >= 60) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        if (seconds >= 60 || rounded(seconds, 1) >= 60) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /**
     * Nanoseconds in the unit a person would say: ns to one decimal, whole µs or ms (half up). A
     * value that rounds up to 1,000 of a unit moves to the next: 999,999 ns is "1 ms".
     */
    public static String nanos(double nanos) {
        if (nanos >= 1_000_000 || rounded(nanos / 1_000, 0) >= 1_000) {
            return String.format(Locale.ROOT, "%,.0f ms", nanos / 1_000_000);
        }
        if (nanos >= 1_000 || rounded(nanos, 1) >= 1_000) {
            return String.format(Locale.ROOT, "%,.0f µs", nanos / 1_000);
        }
        return String.format(Locale.ROOT, "%.1f ns", nanos);
    }
    // end::format[]

    // tag::sheet[]
    /**
     * An estimate with its working: each line is a quantity, its value, and how it was computed, so
     * an interviewer can follow (and challenge) every step. {@link #print()} aligns the columns.
     */
    public static final class Sheet {
        private final String title;
        private final List<String[]> lines = new ArrayList<>();

        public Sheet(String title) {
            this.title = title;
        }

        /** Adds one line and returns the sheet, so lines chain. */
        public Sheet line(String quantity, String value, String working) {
            lines.add(new String[] {quantity, value, working});
            return this;
        }

        public List<String[]> lines() {
            return List.copyOf(lines);
        }

        public void print() {
            // At least 1: "%-0s" is not a valid format, so a column of empty strings would throw.
            int q = Math.max(1, lines.stream().mapToInt(l -> l[0].length()).max().orElse(0));
            int v = Math.max(1, lines.stream().mapToInt(l -> l[1].length()).max().orElse(0));
            System.out.println(title);
            for (String[] l : lines) {
                String row = String.format(Locale.ROOT, "  %-" + q + "s  %" + v + "s  %s", l[0], l[1], l[2]);
                System.out.println(row.stripTrailing());
            }
        }
    }
    // end::sheet[]

    /** Prints the reference tables a candidate is expected to know, computed rather than remembered. */
    public static void main(String[] args) {
        Sheet powers = new Sheet("Powers of two, and the decimal prefix each is close to");
        String[] prefixes = {"kilo", "mega", "giga", "tera", "peta"};
        for (int i = 1; i <= prefixes.length; i++) {
            double two = Math.pow(2, 10 * i);
            double ten = Math.pow(10, 3 * i);
            powers.line("2^" + (10 * i), String.format(Locale.ROOT, "%,.0f", two),
                    String.format(Locale.ROOT, "%s (10^%d) + %.1f %%", prefixes[i - 1], 3 * i, (two / ten - 1) * 100));
        }
        powers.print();
        System.out.println();

        Sheet latency = new Sheet("Latency, relative to a main-memory reference");
        for (Latency l : Latency.values()) {
            latency.line(l.what, nanos(l.nanos),
                    String.format(Locale.ROOT, "x %,.3f", l.nanos / Latency.MAIN_MEMORY_REFERENCE.nanos).replaceAll("\\.?0+$", ""));
        }
        latency.print();
        System.out.println();

        Sheet nines = new Sheet("Availability and the downtime it allows per year");
        for (double a : new double[] {0.99, 0.999, 0.9995, 0.9999, 0.99999}) {
            nines.line(percent(a), duration(downtimePerYear(a)), String.format(Locale.ROOT, "%.1f nines", nines(a)));
        }
        double web = 0.999;
        double db = 0.9995;
        nines.line("web 99.9 % then database 99.95 %", percent(inSeries(web, db)), "in series: both must be up");
        nines.line("two 99.9 % web servers", percent(replicated(web, 2)), "in parallel: either may serve");
        nines.line("both web servers, then database", percent(inSeries(replicated(web, 2), db)), "the database now dominates");
        nines.print();
    }
}
