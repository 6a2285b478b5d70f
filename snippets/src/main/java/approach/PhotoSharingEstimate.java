// uses: Capacity
/**
 * A worked back-of-the-envelope estimate for a photo-sharing service, computed with {@link Capacity}
 * so that every figure follows from the stated assumptions: daily counts become average rates,
 * a peak-to-average ratio turns them into the rates to provision for, and those give storage,
 * egress bandwidth and a server count with utilisation headroom and spares.
 *
 * <p>The trade-off of any such estimate: it is only as good as its assumptions, so it prints them
 * first and shows the working of every figure, which lets a reader challenge one assumption and
 * see which figures move.
 */
public final class PhotoSharingEstimate {

    private PhotoSharingEstimate() {
    }

    // tag::assumptions[]
    /** Everything the estimate depends on, stated once. */
    public record Assumptions(
            double dailyUsers,
            double uploadsPerUserPerDay,
            double viewsPerUserPerDay,
            double storedBytesPerPhoto,   // original plus resized copies
            double bytesPerView,          // one screen-sized image
            double peakToAverage,
            double years,
            int copies,
            double requestsPerServer,     // measured by a load test, not guessed
            double utilisation,
            int spares) {
    }

    public static final Assumptions PHOTO_SHARING = new Assumptions(
            10_000_000, 0.1, 30, 500_000, 200_000, 3, 5, 3, 2_000, 0.6, 2);
    // end::assumptions[]

    // tag::estimate[]
    /** The figures, each computed from the assumptions and the figures before it. */
    public record Estimate(double uploadsPerSecond, double uploadsAtPeak, double viewsPerSecond,
                           double viewsAtPeak, double newBytesPerDay, double storedBytes,
                           double egressBytesPerSecondAtPeak, int servers) {
    }

    public static Estimate estimate(Assumptions a) {
        double uploads = Capacity.perSecond(a.dailyUsers() * a.uploadsPerUserPerDay());
        double views = Capacity.perSecond(a.dailyUsers() * a.viewsPerUserPerDay());
        double uploadsAtPeak = Capacity.peak(uploads, a.peakToAverage());
        double viewsAtPeak = Capacity.peak(views, a.peakToAverage());
        double perDay = a.dailyUsers() * a.uploadsPerUserPerDay() * a.storedBytesPerPhoto();
        double stored = Capacity.storageBytes(uploads, a.storedBytesPerPhoto(), a.years(), a.copies());
        double egress = Capacity.bandwidthBytesPerSecond(viewsAtPeak, a.bytesPerView());
        int servers = Capacity.servers(uploadsAtPeak + viewsAtPeak, a.requestsPerServer(), a.utilisation(), a.spares());
        return new Estimate(uploads, uploadsAtPeak, views, viewsAtPeak, perDay, stored, egress, servers);
    }
    // end::estimate[]

    // tag::sheet[]
    public static Capacity.Sheet sheet(Assumptions a, Estimate e) {
        return new Capacity.Sheet("Photo sharing: the estimate, with its working")
                .line("uploads, average", Capacity.rate(e.uploadsPerSecond()),
                        Capacity.count(a.dailyUsers() * a.uploadsPerUserPerDay()) + " a day / 86,400 s")
                .line("uploads, peak", Capacity.rate(e.uploadsAtPeak()), "x " + number(a.peakToAverage()))
                .line("views, average", Capacity.rate(e.viewsPerSecond()),
                        Capacity.count(a.dailyUsers() * a.viewsPerUserPerDay()) + " a day / 86,400 s")
                .line("views, peak", Capacity.rate(e.viewsAtPeak()), "x " + number(a.peakToAverage()))
                .line("new photos a day", Capacity.bytes(e.newBytesPerDay()),
                        Capacity.count(a.dailyUsers() * a.uploadsPerUserPerDay()) + " x " + Capacity.bytes(a.storedBytesPerPhoto()))
                .line("storage", Capacity.bytes(e.storedBytes()),
                        "x 365.25 days x " + number(a.years()) + " years x " + a.copies() + " copies")
                .line("egress at peak", Capacity.bitsPerSecond(e.egressBytesPerSecondAtPeak()),
                        "peak views x " + Capacity.bytes(a.bytesPerView()) + " x 8 bits")
                .line("servers", Capacity.count(e.servers()),
                        "peak requests / (" + Capacity.count(a.requestsPerServer()) + "/s x " + Capacity.percent(a.utilisation())
                                + "), rounded up, + " + a.spares() + " spares");
    }
    // end::sheet[]

    private static String number(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    public static void main(String[] args) {
        Assumptions a = PHOTO_SHARING;
        new Capacity.Sheet("Photo sharing: assumptions")
                .line("daily active users", Capacity.count(a.dailyUsers()), "")
                .line("uploads per user per day", number(a.uploadsPerUserPerDay()), "")
                .line("views per user per day", number(a.viewsPerUserPerDay()), "")
                .line("stored per photo", Capacity.bytes(a.storedBytesPerPhoto()), "original plus resized copies")
                .line("sent per view", Capacity.bytes(a.bytesPerView()), "one screen-sized image")
                .line("peak / average", number(a.peakToAverage()), "")
                .line("retention", number(a.years()) + " years", a.copies() + " copies of everything")
                .line("one server handles", Capacity.rate(a.requestsPerServer()), "measured by a load test")
                .line("target utilisation", Capacity.percent(a.utilisation()), "headroom for bursts and a lost server")
                .print();
        System.out.println();

        Estimate e = estimate(a);
        sheet(a, e).print();
        System.out.println();

        // What a doubled peak does: only the peak-driven figures move.
        Assumptions spiky = new Assumptions(a.dailyUsers(), a.uploadsPerUserPerDay(), a.viewsPerUserPerDay(),
                a.storedBytesPerPhoto(), a.bytesPerView(), 2 * a.peakToAverage(), a.years(), a.copies(),
                a.requestsPerServer(), a.utilisation(), a.spares());
        Estimate s = estimate(spiky);
        new Capacity.Sheet("The same service with peak / average = " + number(spiky.peakToAverage()))
                .line("storage", Capacity.bytes(s.storedBytes()), "unchanged: storage follows the average")
                .line("egress at peak", Capacity.bitsPerSecond(s.egressBytesPerSecondAtPeak()), "doubled")
                .line("servers", Capacity.count(s.servers()), "not quite doubled: the spares stay " + a.spares())
                .print();
    }
}
