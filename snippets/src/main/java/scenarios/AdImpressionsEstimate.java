// uses: Capacity
import java.util.Locale;

/**
 * The back-of-the-envelope estimate for an ad service that serves impressions within budgets,
 * computed with {@code Capacity}: request and token-pop rates at the peak, how many tokens the
 * budgets turn into and the memory they take (one token per impression, or one per block of
 * impressions), the queues the largest campaign needs, and the size of the served-token log that
 * billing reads.
 *
 * <p>Every figure follows from the assumptions in {@link Assumptions}. Prices are per impression in
 * dollars; the industry quotes them per thousand impressions (CPM), so a $2 CPM is $0.002 here.
 */
public class AdImpressionsEstimate {

    // tag::assumptions[]
    /** The inputs: each one is a guess to state out loud and let the interviewer change. */
    record Assumptions(
            double adRequestsPerDay,
            double peakToAverage,
            double fillRate,                 // share of requests that get a budgeted ad
            double campaigns,                // active campaigns with a daily budget
            double dailyBudgetDollars,       // average per campaign
            double pricePerImpression,       // dollars: a $2 CPM
            double bytesPerToken,            // token id plus queue overhead
            double impressionsPerBlock,      // when one token stands for a block of impressions
            double largestCampaignShare,     // of all impressions at the peak
            double popsPerQueueNode,         // pops per second one queue node sustains
            double utilisation,
            double bytesPerServedRow,        // token id, campaign, server, time
            int copies) {

        static Assumptions standard() {
            return new Assumptions(10e9, 3, 0.6, 100_000, 500, 0.002, 16, 1_000, 0.2, 50_000, 0.5, 40, 3);
        }
    }
    // end::assumptions[]

    // tag::estimate[]
    /** The figures, computed once so the sheet and the tests read the same numbers. */
    record Figures(double peakRequests, double impressionsPerDay, double peakPops, double tokensPerDay,
                   double tokenBytes, double blockTokenBytes, double peakBlockPops,
                   double largestCampaignPeak, int queuesForLargest, double servedLogBytesPerYear) {

        static Figures of(Assumptions a) {
            double peakRequests = Capacity.peak(Capacity.perSecond(a.adRequestsPerDay()), a.peakToAverage());
            double impressionsPerDay = a.adRequestsPerDay() * a.fillRate();
            double peakPops = peakRequests * a.fillRate();
            double tokensPerDay = a.campaigns() * a.dailyBudgetDollars() / a.pricePerImpression();
            double largestCampaignPeak = peakPops * a.largestCampaignShare();
            return new Figures(peakRequests, impressionsPerDay, peakPops, tokensPerDay,
                    tokensPerDay * a.bytesPerToken(),
                    tokensPerDay / a.impressionsPerBlock() * a.bytesPerToken(),
                    peakPops / a.impressionsPerBlock(),
                    largestCampaignPeak,
                    Capacity.servers(largestCampaignPeak, a.popsPerQueueNode(), a.utilisation(), 0),
                    Capacity.storageBytes(Capacity.perSecond(impressionsPerDay), a.bytesPerServedRow(), 1, a.copies()));
        }
    }
    // end::estimate[]

    static Capacity.Sheet sheet(Assumptions a, Figures f) {
        return new Capacity.Sheet("Ad impressions: " + Capacity.count(a.adRequestsPerDay()) + " ad requests a day")
                .line("ad requests, peak", Capacity.rate(f.peakRequests()),
                        fmt("per day / 86,400 s x %s peak to average", num(a.peakToAverage())))
                .line("impressions a day", Capacity.count(f.impressionsPerDay()),
                        fmt("requests x %s %% filled by a budgeted ad", num(a.fillRate() * 100)))
                .line("token pops, peak", Capacity.rate(f.peakPops()), "one pop per impression served")
                .line("tokens issued a day", Capacity.count(f.tokensPerDay()),
                        fmt("%s campaigns x $%s / $%s per impression", Capacity.count(a.campaigns()),
                                num(a.dailyBudgetDollars()), num(a.pricePerImpression())))
                .line("token memory, 1 per impression", Capacity.bytes(f.tokenBytes()),
                        fmt("x %s B per token", num(a.bytesPerToken())))
                .line("token memory, 1 per block", Capacity.bytes(f.blockTokenBytes()),
                        fmt("a token stands for %s impressions", Capacity.count(a.impressionsPerBlock())))
                .line("block pops, peak", Capacity.rate(f.peakBlockPops()), "one pop per block, not per impression")
                .line("largest campaign, peak", Capacity.rate(f.largestCampaignPeak()),
                        fmt("%s %% of impressions", num(a.largestCampaignShare() * 100)))
                .line("queues for that campaign", Integer.toString(f.queuesForLargest()),
                        fmt("its peak / (%s pops/s per queue x %s busy)", Capacity.count(a.popsPerQueueNode()), num(a.utilisation())))
                .line("served log per year", Capacity.bytes(f.servedLogBytesPerYear()),
                        fmt("%s B a row, %d copies", num(a.bytesPerServedRow()), a.copies()));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A number without trailing zeros: 500, 0.002, 60. */
    private static String num(double x) {
        return x == Math.rint(x) ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%s", x);
    }

    public static void main(String[] args) {
        Assumptions a = Assumptions.standard();
        sheet(a, Figures.of(a)).print();
    }
}
