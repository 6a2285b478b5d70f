import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Five rate limiters, each admitting at most 5 requests per 1000 ms in its own sense of the words,
 * replay one request trace on a manual clock. The trace has a steady part, then a burst that
 * straddles the edge between two fixed windows, then two late requests. The table shows which
 * requests each limiter admits and the most requests that reach the service in any 1000 ms.
 */
public class RateLimiters {

    // tag::clock[]
    /** Where a limiter reads the time, in milliseconds. Production code would wrap System.nanoTime(). */
    interface Ticker {
        long millis();
    }

    /** A clock that moves only when told to, so every run makes the same decisions. */
    static final class ManualTicker implements Ticker {
        private long now;

        void set(long millis) {
            if (millis < now) {
                throw new IllegalArgumentException("time only moves forward: " + millis + " < " + now);
            }
            now = millis;
        }

        @Override
        public long millis() {
            return now;
        }
    }

    /** Decides, at the ticker's current time, whether one more request may pass. */
    interface RateLimiter {
        boolean tryAcquire();
    }
    // end::clock[]

    // tag::token-bucket[]
    /**
     * Token bucket. The bucket holds at most {@code capacity} tokens and gains {@code tokensPerPeriod}
     * tokens every {@code periodMillis}, continuously; tokens that would overflow it are lost. A request
     * takes one token, or is rejected when none is left. The capacity is the largest burst and the refill
     * rate is the sustained rate: in any span of T ms at most capacity + rate × T requests pass.
     * Source: RFC 2697 and RFC 2698 (three-colour markers built from token buckets).
     */
    static final class TokenBucket implements RateLimiter {
        private final Ticker ticker;
        private final long unitsPerToken;   // a token is periodMillis units, so refill is exact integer math
        private final long capacityUnits;
        private final long unitsPerMilli;   // = tokensPerPeriod
        private long units;
        private long lastRefill;

        TokenBucket(Ticker ticker, long capacity, long tokensPerPeriod, long periodMillis) {
            this.ticker = ticker;
            this.unitsPerToken = periodMillis;
            this.capacityUnits = capacity * periodMillis;
            this.unitsPerMilli = tokensPerPeriod;
            this.units = capacityUnits;     // starts full
            this.lastRefill = ticker.millis();
        }

        @Override
        public boolean tryAcquire() {
            refill();
            if (units < unitsPerToken) {
                return false;
            }
            units -= unitsPerToken;
            return true;
        }

        /** Whole tokens in the bucket now. */
        long tokens() {
            refill();
            return units / unitsPerToken;
        }

        private void refill() {
            long now = ticker.millis();
            long elapsed = Math.min(now - lastRefill, capacityUnits); // a longer pause fills it anyway
            units = Math.min(capacityUnits, units + elapsed * unitsPerMilli);
            lastRefill = now;
        }
    }
    // end::token-bucket[]

    // tag::leaky-bucket[]
    /**
     * Leaky bucket as a queue. Admitted requests wait in a FIFO queue that holds at most
     * {@code capacity} of them and leaves it one at a time, one every {@code drainIntervalMillis};
     * a request that finds the drain idle passes straight through, one that finds the queue full is
     * rejected. What reaches the service is perfectly smooth, paid for in delay. (The other variant,
     * the leaky bucket as a meter, queues nothing and decides exactly as a token bucket of the same
     * size and rate.) Source: ITU-T I.371's GCRA is the meter form; nginx's limit_req queues like this.
     */
    static final class LeakyBucket implements RateLimiter {
        private final Ticker ticker;
        private final int capacity;
        private final long drainIntervalMillis;
        private final ArrayDeque<Long> waiting = new ArrayDeque<>(); // when each queued request leaves
        private long drainFreeAt = Long.MIN_VALUE;                   // earliest time the next one may leave
        private long lastDeparture;

        LeakyBucket(Ticker ticker, int capacity, long drainIntervalMillis) {
            this.ticker = ticker;
            this.capacity = capacity;
            this.drainIntervalMillis = drainIntervalMillis;
        }

        @Override
        public boolean tryAcquire() {
            long now = ticker.millis();
            while (!waiting.isEmpty() && waiting.peekFirst() <= now) {
                waiting.pollFirst();                                  // already sent on
            }
            if (waiting.size() == capacity) {
                return false;
            }
            long departure = Math.max(now, drainFreeAt);
            drainFreeAt = departure + drainIntervalMillis;
            if (departure > now) {
                waiting.addLast(departure);
            }
            lastDeparture = departure;
            return true;
        }

        /** When the most recently admitted request leaves the bucket for the service. */
        long lastDeparture() {
            return lastDeparture;
        }
    }
    // end::leaky-bucket[]

    // tag::fixed-window[]
    /**
     * Fixed window. Time is cut into windows of {@code windowMillis} that start at multiples of it, with
     * one counter per window; a request passes while its window's counter is below the limit. One small
     * counter per client (Redis: INCR on a key named after the window, plus EXPIRE). The cost: a burst at
     * the end of one window and another at the start of the next pass 2 × limit in far less than a window.
     */
    static final class FixedWindow implements RateLimiter {
        private final Ticker ticker;
        private final int limit;
        private final long windowMillis;
        private long window = Long.MIN_VALUE;
        private int count;

        FixedWindow(Ticker ticker, int limit, long windowMillis) {
            this.ticker = ticker;
            this.limit = limit;
            this.windowMillis = windowMillis;
        }

        @Override
        public boolean tryAcquire() {
            long current = Math.floorDiv(ticker.millis(), windowMillis);
            if (current != window) {
                window = current;
                count = 0;
            }
            if (count == limit) {
                return false;
            }
            count++;
            return true;
        }
    }
    // end::fixed-window[]

    // tag::sliding-log[]
    /**
     * Sliding log. Keeps the time of every admitted request of the last {@code windowMillis} and admits a
     * new one while fewer than {@code limit} are logged. Exact: no span of windowMillis ever holds more than
     * limit admitted requests. The cost is memory in proportion to the limit, per client (Redis: a sorted
     * set per client, trimmed with ZREMRANGEBYSCORE and counted with ZCARD).
     */
    static final class SlidingLog implements RateLimiter {
        private final Ticker ticker;
        private final int limit;
        private final long windowMillis;
        private final ArrayDeque<Long> log = new ArrayDeque<>();

        SlidingLog(Ticker ticker, int limit, long windowMillis) {
            this.ticker = ticker;
            this.limit = limit;
            this.windowMillis = windowMillis;
        }

        @Override
        public boolean tryAcquire() {
            long now = ticker.millis();
            while (!log.isEmpty() && log.peekFirst() <= now - windowMillis) {
                log.pollFirst();                  // fell out of the window (now - windowMillis, now]
            }
            if (log.size() == limit) {
                return false;
            }
            log.addLast(now);
            return true;
        }
    }
    // end::sliding-log[]

    // tag::sliding-window-counter[]
    /**
     * Sliding-window counter. Keeps two fixed-window counts, the current window's and the previous one's,
     * and estimates how many requests the sliding window (now - windowMillis, now] holds by weighting the
     * previous count by the share of the previous window the sliding window still overlaps:
     * estimate = previous × (windowMillis - elapsed) / windowMillis + current. A request passes while the
     * estimate is below the limit. Two counters per client instead of a log, but the estimate assumes the
     * previous window's requests were spread evenly, so a burst at the end of it is under-counted. Source: Cloudflare, "How we built rate limiting capable of scaling to millions of
     * domains" (2017).
     */
    static final class SlidingWindowCounter implements RateLimiter {
        private final Ticker ticker;
        private final long limit;
        private final long windowMillis;
        private long window = Long.MIN_VALUE;
        private long previous;
        private long current;

        SlidingWindowCounter(Ticker ticker, int limit, long windowMillis) {
            this.ticker = ticker;
            this.limit = limit;
            this.windowMillis = windowMillis;
        }

        @Override
        public boolean tryAcquire() {
            if (scaledEstimate() >= limit * windowMillis) {
                return false;
            }
            current++;
            return true;
        }

        /** The estimate as a fraction, for display and tests. */
        double estimate() {
            return (double) scaledEstimate() / windowMillis;
        }

        /** The estimate times windowMillis: an exact integer, so no rounding decides a request. */
        private long scaledEstimate() {
            long now = ticker.millis();
            long index = Math.floorDiv(now, windowMillis);
            if (index != window) {
                previous = index == window + 1 ? current : 0;   // a gap of two windows forgets both
                current = 0;
                window = index;
            }
            long elapsed = now - index * windowMillis;
            return previous * (windowMillis - elapsed) + current * windowMillis;
        }
    }
    // end::sliding-window-counter[]

    // tag::trace[]
    static final int LIMIT = 5;
    static final long WINDOW_MILLIS = 1000;

    /** Request times in ms: steady, a burst before and after the window edge at 2000, then a tail. */
    static final long[][] TRACE = {
            {0, 250, 500, 750},
            {1900, 1920, 1940, 1960, 1980},
            {2000, 2020, 2040, 2060, 2080},
            {2500, 2950},
    };
    static final String[] PARTS = {"steady", "before", "after", "tail"};

    record Lane(String name, Function<Ticker, RateLimiter> make) {
    }

    static final List<Lane> LANES = List.of(
            new Lane("token bucket", t -> new TokenBucket(t, LIMIT, LIMIT, WINDOW_MILLIS)),
            new Lane("leaky bucket (queue)", t -> new LeakyBucket(t, LIMIT, WINDOW_MILLIS / LIMIT)),
            new Lane("fixed window", t -> new FixedWindow(t, LIMIT, WINDOW_MILLIS)),
            new Lane("sliding log", t -> new SlidingLog(t, LIMIT, WINDOW_MILLIS)),
            new Lane("sliding-window counter", t -> new SlidingWindowCounter(t, LIMIT, WINDOW_MILLIS)));
    // end::trace[]

    public static void main(String[] args) {
        System.out.println(String.format(Locale.ROOT,
                "Limit: %d requests per %d ms; fixed windows start at multiples of %d ms.",
                LIMIT, WINDOW_MILLIS, WINDOW_MILLIS));
        System.out.println(String.format(Locale.ROOT,
                "Request times (ms), with a burst just before and after the edge at %d:", 2 * WINDOW_MILLIS));
        for (int part = 0; part < TRACE.length; part++) {
            System.out.println(String.format(Locale.ROOT, "  %-7s%s", PARTS[part], joined(TRACE[part])));
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-22s %-6s %-6s %-6s %-6s %8s %15s",
                "+ admitted, . rejected", PARTS[0], PARTS[1], PARTS[2], PARTS[3],
                "admitted", "busiest 1000 ms"));
        long[] leakyDepartures = {};
        for (Lane lane : LANES) {
            StringBuilder row = new StringBuilder();
            long[] reachService = replay(lane.make(), row);
            if (lane.name().startsWith("leaky")) {
                leakyDepartures = reachService;
            }
            System.out.println(String.format(Locale.ROOT, "%-22s%s %8d %15d", lane.name(), row,
                    reachService.length, busiestSpan(reachService, WINDOW_MILLIS)));
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "busiest 1000 ms: most admitted requests reaching the service within any %d ms.",
                WINDOW_MILLIS));
        System.out.println("The leaky bucket's admitted requests leave its queue for the service at (ms):");
        System.out.println(" " + joined(leakyDepartures));
    }

    // tag::replay[]
    /**
     * Replays the trace through a fresh limiter on a manual clock. Appends one cell per part of the trace
     * to {@code row} ('+' admitted, '.' rejected) and returns when each admitted request reaches the
     * service: at once, except behind a leaky bucket's queue.
     */
    static long[] replay(Function<Ticker, RateLimiter> make, StringBuilder row) {
        ManualTicker ticker = new ManualTicker();
        RateLimiter limiter = make.apply(ticker);
        List<Long> reachService = new ArrayList<>();
        for (long[] part : TRACE) {
            StringBuilder cell = new StringBuilder();
            for (long t : part) {
                ticker.set(t);
                boolean admitted = limiter.tryAcquire();
                cell.append(admitted ? '+' : '.');
                if (admitted) {
                    reachService.add(limiter instanceof LeakyBucket leaky ? leaky.lastDeparture() : t);
                }
            }
            row.append(String.format(Locale.ROOT, " %-6s", cell));
        }
        return reachService.stream().mapToLong(Long::longValue).toArray();
    }
    // end::replay[]

    /** The largest number of the given times (ascending) that fall in one span [a, a + span). */
    static int busiestSpan(long[] times, long span) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < times.length; start++) {
            while (end < times.length && times[end] < times[start] + span) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    static String joined(long[] times) {
        StringBuilder text = new StringBuilder();
        for (long t : times) {
            text.append(' ').append(t);
        }
        return text.toString();
    }
}
