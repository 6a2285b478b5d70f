// uses: Capacity
import java.util.Locale;

/**
 * The back-of-the-envelope estimate for the like counter, computed with {@code Capacity}: write and
 * read rates at the peak, the counter shards and read servers they need, what a viral post alone
 * asks of one shard, what the aggregator writes after batching, and the storage of the like records
 * that make likes idempotent.
 *
 * <p>Every figure follows from the assumptions in {@link Assumptions}; change one and every figure
 * that depends on it changes. The per-node throughputs are assumptions for a single in-memory store
 * node (Redis documents well over 100,000 simple operations per second on one node with
 * pipelining; far less without), not measurements.
 */
public class LikeCounterEstimate {

    // tag::assumptions[]
    /** The inputs: each one is a guess to state out loud and let the interviewer change. */
    record Assumptions(
            double dailyActiveUsers,
            double likesPerUserPerDay,
            double countsViewedPerUserPerDay,   // every post shown displays its like count
            double peakToAverage,
            double likesPerShardNode,           // likes per second one counter node sustains (3 operations each)
            double readsPerServer,              // cached count reads per second one server answers
            double utilisation,                 // run nodes at most this busy
            double hotPostShareOfPeak,          // a viral post's share of all likes at the peak
            double likesPerAggregateWrite,      // changes the aggregator folds into one write of a total
            double bytesPerLikeRecord,          // (post id, user id, time) plus index overhead
            double years,
            int copies) {

        static Assumptions standard() {
            return new Assumptions(1e9, 10, 100, 3, 30_000, 50_000, 0.5, 0.05, 10, 64, 5, 3);
        }
    }
    // end::assumptions[]

    // tag::estimate[]
    /** The figures, computed once so the sheet and the tests read the same numbers. */
    record Figures(double likesPerDay, double likesPerSecond, double peakLikes, int counterNodes,
                   double readsPerSecond, double peakReads, int readServers,
                   double hotPostPeak, int shardsForHotPost, double aggregateWritesPerSecond,
                   double likeStorageBytes) {

        static Figures of(Assumptions a) {
            double likesPerDay = a.dailyActiveUsers() * a.likesPerUserPerDay();
            double likesPerSecond = Capacity.perSecond(likesPerDay);
            double peakLikes = Capacity.peak(likesPerSecond, a.peakToAverage());
            double readsPerSecond = Capacity.perSecond(a.dailyActiveUsers() * a.countsViewedPerUserPerDay());
            double peakReads = Capacity.peak(readsPerSecond, a.peakToAverage());
            double hotPostPeak = peakLikes * a.hotPostShareOfPeak();
            return new Figures(likesPerDay, likesPerSecond, peakLikes,
                    Capacity.servers(peakLikes, a.likesPerShardNode(), a.utilisation(), 1),
                    readsPerSecond, peakReads,
                    Capacity.servers(peakReads, a.readsPerServer(), a.utilisation(), 1),
                    hotPostPeak,
                    Capacity.servers(hotPostPeak, a.likesPerShardNode(), a.utilisation(), 0),
                    peakLikes / a.likesPerAggregateWrite(),
                    Capacity.storageBytes(likesPerSecond, a.bytesPerLikeRecord(), a.years(), a.copies()));
        }
    }
    // end::estimate[]

    static Capacity.Sheet sheet(Assumptions a, Figures f) {
        return new Capacity.Sheet("Like counter: " + Capacity.count(a.dailyActiveUsers()) + " daily users")
                .line("likes per day", Capacity.count(f.likesPerDay()),
                        fmt("%s users x %s likes", Capacity.count(a.dailyActiveUsers()), num(a.likesPerUserPerDay())))
                .line("likes, average", Capacity.rate(f.likesPerSecond()), "per day / 86,400 s")
                .line("likes, peak", Capacity.rate(f.peakLikes()), fmt("x %s peak to average", num(a.peakToAverage())))
                .line("counter shard nodes", Integer.toString(f.counterNodes()),
                        fmt("peak / (%s likes/s per node x %s busy) + 1 spare", Capacity.count(a.likesPerShardNode()), num(a.utilisation())))
                .line("count reads, peak", Capacity.rate(f.peakReads()),
                        fmt("%s counts viewed per user a day, x %s", num(a.countsViewedPerUserPerDay()), num(a.peakToAverage())))
                .line("read servers", Integer.toString(f.readServers()),
                        fmt("peak / (%s/s per server x %s busy) + 1 spare", Capacity.count(a.readsPerServer()), num(a.utilisation())))
                .line("reads per like", fmt("%.0f", f.peakReads() / f.peakLikes()), "a read-heavy service")
                .line("one viral post, peak", Capacity.rate(f.hotPostPeak()),
                        fmt("%s %% of all likes at the peak", num(a.hotPostShareOfPeak() * 100)))
                .line("shards that post needs", Integer.toString(f.shardsForHotPost()),
                        fmt("its peak / (%s x %s busy): one node is not enough", Capacity.count(a.likesPerShardNode()), num(a.utilisation())))
                .line("aggregate writes, peak", Capacity.rate(f.aggregateWritesPerSecond()),
                        fmt("peak likes / %s changes folded into each write", num(a.likesPerAggregateWrite())))
                .line("like records stored", Capacity.bytes(f.likeStorageBytes()),
                        fmt("%s B each, %s years, %d copies", num(a.bytesPerLikeRecord()), num(a.years()), a.copies()));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A number without trailing zeros: 5, 0.5, 1. */
    private static String num(double x) {
        return x == Math.rint(x) ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%s", x);
    }

    public static void main(String[] args) {
        Assumptions a = Assumptions.standard();
        sheet(a, Figures.of(a)).print();
    }
}
