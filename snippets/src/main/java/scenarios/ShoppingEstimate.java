// uses: Capacity

import java.util.Locale;

/**
 * The back-of-the-envelope estimate for the shopping application, computed with {@code Capacity} so
 * that every figure follows from the stated assumptions: browsing served by a CDN, the live price and
 * stock lookups that static pages still make, the checkout load and order storage, a flash sale on one
 * SKU against the throughput of one database row, and the availability of the synchronous checkout chain.
 *
 * <p>Trade-off. The figures are orders of magnitude: they say which part needs a CDN, which a cache,
 * which a queue and which nothing special, not how many machines to buy.
 *
 * <p>Sources. The conversions and latency orders of magnitude in {@code Capacity}; the assumptions are
 * this page's, stated in {@link Assumptions}.
 */
public class ShoppingEstimate {

    // tag::assumptions[]
    /** Every input of the estimate, in one place, so the interviewer can challenge each one. */
    record Assumptions(
            double dailyUsers,            // people who open at least one page a day
            double pageViewsPerUser,      // product and listing pages per user per day
            double peakToAverage,         // busiest second over the average second
            double bytesPerPageView,      // HTML and images, compressed, as the CDN sends them
            double cdnHitRatio,           // share of requests the CDN answers without the origin
            double products,              // SKUs in the catalogue
            double bytesPerProductPage,   // one rendered product page, HTML only
            double productsChangedPerDay, // share of products whose page is republished each day
            double ordersPerUser,         // orders per daily user per day (a conversion rate)
            double bytesPerOrder,         // order, lines, payment, reservation, outbox and key rows
            double years,
            int copies,                   // database replicas
            double flashBuyers,           // buyers who press "buy" on one SKU ...
            double flashSeconds,          // ... within this many seconds of the sale opening
            double rowLockSeconds,        // how long one reservation holds the SKU's row lock
            double[] checkoutChain,       // availability of each service the buy call waits for
            double cdnAvailability) {     // availability of the CDN that serves the pages

        static Assumptions typical() {
            return new Assumptions(20e6, 15, 3, 300e3, 0.98, 2e6, 80e3, 0.05, 0.03, 2e3, 5, 3,
                    1e6, 60, 0.002, new double[] {0.9999, 0.9995, 0.9995, 0.999}, 0.9999);
        }
    }
    // end::assumptions[]

    // tag::browse[]
    static Capacity.Sheet browse(Assumptions a) {
        double views = Capacity.peak(Capacity.perSecond(a.dailyUsers() * a.pageViewsPerUser()), a.peakToAverage());
        double origin = views * (1 - a.cdnHitRatio());
        double site = a.products() * a.bytesPerProductPage();
        double republished = Capacity.perSecond(a.products() * a.productsChangedPerDay());
        return new Capacity.Sheet("Browsing: static product pages on a CDN")
                .line("page views at peak", Capacity.rate(views), "users x views / 86,400 s x peak factor")
                .line("CDN egress at peak", Capacity.bitsPerSecond(Capacity.bandwidthBytesPerSecond(views, a.bytesPerPageView())),
                        "views x bytes per view")
                .line("requests reaching the origin", Capacity.rate(origin), "views x CDN miss ratio")
                .line("live price and stock lookups", Capacity.rate(views), "one per view unless cached")
                .line("rendered catalogue (HTML)", Capacity.bytes(site), "products x page size")
                .line("pages republished", Capacity.rate(republished), "products x daily change / 86,400 s");
    }
    // end::browse[]

    // tag::checkout[]
    static Capacity.Sheet checkout(Assumptions a) {
        double ordersPerDay = a.dailyUsers() * a.ordersPerUser();
        double orders = Capacity.perSecond(ordersPerDay);
        return new Capacity.Sheet("Checkout: orders, payments and their storage")
                .line("orders per day", Capacity.count(ordersPerDay), "users x conversion")
                .line("orders at peak", Capacity.rate(Capacity.peak(orders, a.peakToAverage())), "average x peak factor")
                .line("browse-to-buy ratio", Capacity.count(a.pageViewsPerUser() / a.ordersPerUser()), "views per order")
                .line("order storage", Capacity.bytes(Capacity.storageBytes(orders, a.bytesPerOrder(), a.years(), a.copies())),
                        String.format(Locale.ROOT, "orders x %s x %.0f years x %d copies",
                                Capacity.bytes(a.bytesPerOrder()), a.years(), a.copies()));
    }
    // end::checkout[]

    // tag::flash[]
    static Capacity.Sheet flashSale(Assumptions a) {
        double attempts = a.flashBuyers() / a.flashSeconds();
        double rowCeiling = 1 / a.rowLockSeconds(); // one row serves one reservation at a time
        return new Capacity.Sheet("Flash sale: one SKU, one stock row")
                .line("buy attempts on the SKU", Capacity.rate(attempts), "buyers / seconds")
                .line("one row's ceiling", Capacity.rate(rowCeiling), "1 / lock hold time")
                .line("demand over ceiling", String.format(Locale.ROOT, "x %.0f", Math.ceil(attempts / rowCeiling)),
                        "rows (stock buckets) needed to keep up");
    }
    // end::flash[]

    // tag::availability[]
    static Capacity.Sheet availability(Assumptions a) {
        double chain = Capacity.inSeries(a.checkoutChain());
        return new Capacity.Sheet("Availability of the synchronous buy call")
                .line("gateway, orders, inventory, payment", Capacity.percent(chain), "in series: all must be up")
                .line("downtime per year", Capacity.duration(Capacity.downtimePerYear(chain)), "(1 - availability) x 1 year")
                .line("payment provider alone", Capacity.duration(Capacity.downtimePerYear(a.checkoutChain()[3])),
                        "the weakest link's share")
                .line("browsing on the CDN alone", Capacity.percent(a.cdnAvailability()),
                        "static pages need no service behind them");
    }
    // end::availability[]

    public static void main(String[] args) {
        Assumptions a = Assumptions.typical();
        browse(a).print();
        System.out.println();
        checkout(a).print();
        System.out.println();
        flashSale(a).print();
        System.out.println();
        availability(a).print();
    }
}
