// uses: Capacity

import java.util.Locale;

/**
 * The back-of-the-envelope estimate for the URL shortener, computed with {@code Capacity}: request
 * rates, storage over the retention period, the size of the key space against the keys needed, what
 * random keys would cost in collisions, how often key queues touch the shared range allocator, the
 * cache for the hot links, and the servers and bandwidth for the read path.
 *
 * <p>Collisions. If each new key were drawn uniformly at random from N possible keys and checked
 * against the n keys already stored, it would collide with probability n / N, so the expected number
 * of collisions while filling n keys is about n^2 / (2N), the birthday bound. Keys taken from a
 * permutation of a counter never collide, at the price of coordinating who owns which counter values.
 *
 * <p>Trade-off. The figures are orders of magnitude, good for choosing a key length and seeing which
 * tier needs what; they are not a purchase order.
 *
 * <p>Sources. The conversions in {@code Capacity}; the assumptions are this page's, in
 * {@link Assumptions}.
 */
public class UrlShortenerEstimate {

    // tag::assumptions[]
    /** Every input of the estimate in one place, so each can be challenged. */
    record Assumptions(
            double newLinksPerDay,
            double readsPerWrite,     // redirects per link created
            double peakToAverage,     // busiest second over the average second
            double bytesPerLink,      // row, index entry and overhead for one link
            double years,             // links are kept this long
            int copies,               // database replicas
            int keyLength,            // base-62 characters in a generated key
            double rangeSize,         // keys a key queue claims at a time
            double hotShareOfReads,   // share of a day's reads the cache is sized for
            double bytesPerRedirect,  // response: status line, Location header, other headers
            double redirectsPerServer,// one application server, serving mostly from cache
            double utilisation) {     // run servers no hotter than this

        static Assumptions typical() {
            return new Assumptions(100e6, 100, 3, 500, 5, 3, 7, 1_000, 0.2, 500, 20_000, 0.6);
        }
    }
    // end::assumptions[]

    static double keySpace(int length) {
        return Math.pow(62, length);
    }

    // tag::traffic[]
    static Capacity.Sheet traffic(Assumptions a) {
        double writes = Capacity.perSecond(a.newLinksPerDay());
        double reads = writes * a.readsPerWrite();
        double peakReads = Capacity.peak(reads, a.peakToAverage());
        return new Capacity.Sheet("Traffic, storage and servers")
                .line("links created", Capacity.rate(writes), "links per day / 86,400 s")
                .line("links created at peak", Capacity.rate(Capacity.peak(writes, a.peakToAverage())), "x peak factor")
                .line("redirects", Capacity.rate(reads), "creates x read:write ratio")
                .line("redirects at peak", Capacity.rate(peakReads), "x peak factor")
                .line("links stored", Capacity.count(linksStored(a)), String.format(Locale.ROOT,
                        "per day x 365.25 x %.0f years", a.years()))
                .line("storage", Capacity.bytes(Capacity.storageBytes(writes, a.bytesPerLink(), a.years(), a.copies())),
                        String.format(Locale.ROOT, "links x %s x %d copies", Capacity.bytes(a.bytesPerLink()), a.copies()))
                .line("cache for hot links", Capacity.bytes(a.newLinksPerDay() * a.readsPerWrite() * a.hotShareOfReads()
                        * a.bytesPerLink()), String.format(Locale.ROOT, "%.0f %% of a day's reads x bytes per link (upper bound)", a.hotShareOfReads() * 100))
                .line("redirect bandwidth at peak", Capacity.bitsPerSecond(Capacity.bandwidthBytesPerSecond(peakReads,
                        a.bytesPerRedirect())), "peak redirects x response size")
                .line("application servers", Capacity.count(Capacity.servers(peakReads, a.redirectsPerServer(),
                        a.utilisation(), 2)), "peak / (per server x utilisation) + 2 spares");
    }
    // end::traffic[]

    static double linksStored(Assumptions a) {
        return a.newLinksPerDay() * Capacity.DAYS_PER_YEAR * a.years();
    }

    // tag::keys[]
    static Capacity.Sheet keys(Assumptions a) {
        double needed = linksStored(a);
        double space = keySpace(a.keyLength());
        double shorter = keySpace(a.keyLength() - 1);
        double peakWrites = Capacity.peak(Capacity.perSecond(a.newLinksPerDay()), a.peakToAverage());
        return new Capacity.Sheet("Keys")
                .line("keys needed", Capacity.count(needed), "links stored over the retention period")
                .line(String.format(Locale.ROOT, "62^%d keys", a.keyLength() - 1), Capacity.count(shorter),
                        String.format(Locale.ROOT, "%s of the need", percent(shorter / needed)))
                .line(String.format(Locale.ROOT, "62^%d keys", a.keyLength()), Capacity.count(space),
                        String.format(Locale.ROOT, "%s used after %.0f years", percent(needed / space), a.years()))
                .line("random keys: P(collision) at the end", percent(needed / space), "keys stored / key space")
                .line("random keys: collisions in all", Capacity.count(needed * needed / (2 * space)),
                        "n^2 / 2N, each one a retry")
                .line("range claims at peak", String.format(Locale.ROOT, "%.1f/s", peakWrites / a.rangeSize()),
                        String.format(Locale.ROOT, "peak creates / %,.0f keys per range", a.rangeSize()));
    }
    // end::keys[]

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    public static void main(String[] args) {
        Assumptions a = Assumptions.typical();
        traffic(a).print();
        System.out.println();
        keys(a).print();
    }
}
