import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds each limiter in {@link RateLimiters} to its decisions on the page's trace, worked out by hand
 * (see the comments), and to the property that defines it: a token bucket refills at its rate and
 * stops at its capacity, a sliding log never lets more than the limit into any window, a fixed window
 * lets twice the limit through at an edge, a sliding-window counter's estimate follows its formula.
 */
class RateLimitersTest {

    private static final int LIMIT = 5;
    private static final long WINDOW = 1000;

    /** The page's trace, flattened: steady, burst before the edge at 2000, burst after it, tail. */
    private static final long[] TRACE = {
            0, 250, 500, 750,
            1900, 1920, 1940, 1960, 1980,
            2000, 2020, 2040, 2060, 2080,
            2500, 2950};

    /** Runs times through a fresh limiter and returns its decisions as '+' and '.'. */
    private static String decisions(Function<RateLimiters.Ticker, RateLimiters.RateLimiter> make, long... times) {
        RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
        RateLimiters.RateLimiter limiter = make.apply(ticker);
        StringBuilder out = new StringBuilder();
        for (long t : times) {
            ticker.set(t);
            out.append(limiter.tryAcquire() ? '+' : '.');
        }
        return out.toString();
    }

    private static long[] admittedTimes(String decisions, long[] times) {
        List<Long> admitted = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            if (decisions.charAt(i) == '+') {
                admitted.add(times[i]);
            }
        }
        return admitted.stream().mapToLong(Long::longValue).toArray();
    }

    /** Most of the given ascending times inside one span [a, a + span), counted the slow, obvious way. */
    private static int busiest(long[] times, long span) {
        int most = 0;
        for (long start : times) {
            int inside = 0;
            for (long t : times) {
                if (t >= start && t < start + span) {
                    inside++;
                }
            }
            most = Math.max(most, inside);
        }
        return most;
    }

    @Nested
    @DisplayName("the page's trace: 5 per 1000 ms, a burst straddling the window edge at 2000")
    class PageTrace {

        @Test
        void tokenBucket() {
            // Starts full (5 tokens), gains one token per 200 ms. Steady requests every 250 ms keep it full.
            // 1900..1980 take 5 tokens while only 0.4 more arrive; at 2000..2080 the bucket holds 0.5..0.9 of
            // a token, so all five are rejected. By 2500 it has refilled to 3 tokens, by 2950 to 4.25.
            String got = decisions(t -> new RateLimiters.TokenBucket(t, LIMIT, LIMIT, WINDOW), TRACE);
            assertEquals("++++" + "+++++" + "....." + "++", got);
        }

        @Test
        void leakyBucketQueue() {
            // The drain sends one request per 200 ms. 1900 passes straight through; 1920..1980 queue to leave
            // at 2100, 2300, 2500, 2700; 2000 is the fifth waiting (leaves at 2900); 2020..2080 find the queue
            // full. At 2500 three have left (2100, 2300, 2500), so 2500 queues for 3100; 2950 queues for 3300.
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.LeakyBucket bucket = new RateLimiters.LeakyBucket(ticker, LIMIT, WINDOW / LIMIT);
            StringBuilder got = new StringBuilder();
            List<Long> departures = new ArrayList<>();
            for (long t : TRACE) {
                ticker.set(t);
                boolean admitted = bucket.tryAcquire();
                got.append(admitted ? '+' : '.');
                if (admitted) {
                    departures.add(bucket.lastDeparture());
                }
            }
            assertEquals("++++" + "+++++" + "+...." + "++", got.toString());
            assertEquals(List.of(0L, 250L, 500L, 750L, 1900L, 2100L, 2300L, 2500L, 2700L, 2900L, 3100L, 3300L),
                    departures);
            long[] leaving = departures.stream().mapToLong(Long::longValue).toArray();
            assertEquals(LIMIT, busiest(leaving, WINDOW), "the queue's output never exceeds the drain rate");
        }

        @Test
        void fixedWindowLetsTwiceTheLimitThroughAtTheEdge() {
            // Window [1000, 2000) is empty until 1900, so 1900..1980 all pass; window [2000, 3000) starts
            // a fresh count, so 2000..2080 all pass too, and its count of 5 rejects 2500 and 2950.
            String got = decisions(t -> new RateLimiters.FixedWindow(t, LIMIT, WINDOW), TRACE);
            assertEquals("++++" + "+++++" + "+++++" + "..", got);

            long[] burst = {1900, 1920, 1940, 1960, 1980, 2000, 2020, 2040, 2060, 2080};
            String burstDecisions = decisions(t -> new RateLimiters.FixedWindow(t, LIMIT, WINDOW), burst);
            assertEquals("++++++++++", burstDecisions, "2 x limit admitted");
            assertTrue(burst[burst.length - 1] - burst[0] < WINDOW / 5, "within a fifth of a window");
            assertEquals(2 * LIMIT, busiest(admittedTimes(got, TRACE), WINDOW));
        }

        @Test
        void slidingLog() {
            // Admits while fewer than 5 admitted requests lie in (t - 1000, t]. 2000..2500 each see the five
            // of 1900..1980; at 2950 the window (1950, 2950] holds only 1960 and 1980, so 2950 passes.
            String got = decisions(t -> new RateLimiters.SlidingLog(t, LIMIT, WINDOW), TRACE);
            assertEquals("++++" + "+++++" + "....." + ".+", got);
            assertEquals(LIMIT, busiest(admittedTimes(got, TRACE), WINDOW));
        }

        @Test
        void slidingWindowCounter() {
            // Estimate = previous x (1000 - elapsed) / 1000 + current. At 1900: 4 x 0.1 + 0 passes, ... at
            // 1980: 4 x 0.02 + 4 = 4.08 passes. At 2000: 5 x 1.0 + 0 = 5, rejected. At 2020: 5 x 0.98 + 0
            // = 4.9, passes. 2040..2080: 5 x 0.96 + 1 = 5.8 and lower but still >= 5, rejected.
            // 2500: 5 x 0.5 + 1 = 3.5 passes; 2950: 5 x 0.05 + 2 = 2.25 passes.
            String got = decisions(t -> new RateLimiters.SlidingWindowCounter(t, LIMIT, WINDOW), TRACE);
            assertEquals("++++" + "+++++" + ".+..." + "++", got);
            assertEquals(7, busiest(admittedTimes(got, TRACE), WINDOW),
                    "a burst at the end of the previous window is under-counted");
        }

        @Test
        void mainsSpanCountMatchesTheObviousOne() {
            long[] times = {0, 250, 1000, 1100, 1999, 2000, 2999};
            assertEquals(busiest(times, WINDOW), RateLimiters.busiestSpan(times, WINDOW));
            assertEquals(3, RateLimiters.busiestSpan(times, WINDOW));
        }
    }

    @Nested
    class TokenBucket {

        @Test
        void refillsAtTheConfiguredRateAndStopsAtCapacity() {
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.TokenBucket bucket = new RateLimiters.TokenBucket(ticker, 5, 5, 1000);
            assertEquals(5, bucket.tokens(), "starts full");
            for (int i = 0; i < 5; i++) {
                assertTrue(bucket.tryAcquire());
            }
            assertFalse(bucket.tryAcquire(), "empty");
            ticker.set(199);
            assertEquals(0, bucket.tokens());
            assertFalse(bucket.tryAcquire(), "199 ms is not yet a whole token at 5 per 1000 ms");
            ticker.set(200);
            assertTrue(bucket.tryAcquire(), "one token after 200 ms");
            assertFalse(bucket.tryAcquire());
            ticker.set(600);
            assertEquals(2, bucket.tokens());
            ticker.set(60_000);
            assertEquals(5, bucket.tokens(), "a long pause fills it to capacity, no further");
            for (int i = 0; i < 5; i++) {
                assertTrue(bucket.tryAcquire());
            }
            assertFalse(bucket.tryAcquire());
        }

        @Test
        void fractionalRatesAreExact() {
            // 3 tokens per 1000 ms: one token every 333.3 ms, so the first refill completes at 334 ms.
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.TokenBucket bucket = new RateLimiters.TokenBucket(ticker, 1, 3, 1000);
            assertTrue(bucket.tryAcquire());
            ticker.set(333);
            assertFalse(bucket.tryAcquire());
            ticker.set(334);
            assertTrue(bucket.tryAcquire());
        }

        @Test
        void admitsCapacityPlusRateTimesTimeUnderConstantPressure() {
            // A client asking every millisecond for 10 s gets the 5 initial tokens plus one per 200 ms.
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.TokenBucket bucket = new RateLimiters.TokenBucket(ticker, 5, 5, 1000);
            int admitted = 0;
            for (long t = 0; t <= 10_000; t++) {
                ticker.set(t);
                if (bucket.tryAcquire()) {
                    admitted++;
                }
            }
            assertEquals(5 + 50, admitted);
        }
    }

    @Nested
    class LeakyBucket {

        @Test
        void aSlotFreesTheMomentItsRequestLeaves() {
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.LeakyBucket bucket = new RateLimiters.LeakyBucket(ticker, 1, 200);
            assertTrue(bucket.tryAcquire(), "idle drain: passes straight through");
            assertEquals(0, bucket.lastDeparture());
            assertTrue(bucket.tryAcquire(), "waits in the one slot");
            assertEquals(200, bucket.lastDeparture());
            assertFalse(bucket.tryAcquire(), "queue full");
            ticker.set(199);
            assertFalse(bucket.tryAcquire(), "still waiting");
            ticker.set(200);
            assertTrue(bucket.tryAcquire(), "the waiting one left at 200");
            assertEquals(400, bucket.lastDeparture());
        }

        @Test
        void outputIsEvenlySpacedAndNoRequestWaitsLongerThanTheQueue() {
            int capacity = 4;
            long interval = 50;
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.LeakyBucket bucket = new RateLimiters.LeakyBucket(ticker, capacity, interval);
            Random random = new Random(11);
            long t = 0;
            long previousDeparture = Long.MIN_VALUE / 2;
            int admitted = 0;
            for (int i = 0; i < 20_000; i++) {
                t += random.nextInt(60);                 // about 33 a second offered, 20 a second drained
                ticker.set(t);
                if (bucket.tryAcquire()) {
                    admitted++;
                    long departure = bucket.lastDeparture();
                    assertTrue(departure >= t, "leaves no earlier than it arrived");
                    assertTrue(departure - t <= capacity * interval, "waited " + (departure - t));
                    assertTrue(departure - previousDeparture >= interval, "spacing at " + t);
                    previousDeparture = departure;
                }
            }
            assertTrue(admitted < 20_000, "the offered rate is above the drain rate, so some are rejected");
        }
    }

    @Nested
    class SlidingLogAndFixedWindow {

        /** Increasing times with random gaps of 0..99 ms: about 20 requests a second, fixed seed. */
        private long[] randomTrace(long seed, int n) {
            Random random = new Random(seed);
            long[] times = new long[n];
            long t = 0;
            for (int i = 0; i < n; i++) {
                t += random.nextInt(100);
                times[i] = t;
            }
            return times;
        }

        /** How many of the ascending times are at or before t. */
        private int atOrBefore(long[] times, long t) {
            int low = 0;
            int high = times.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (times[mid] <= t) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        @Test
        void slidingLogNeverExceedsTheLimitInAnyWindowAndRejectsOnlyWhenFull() {
            int limit = 7;
            long window = 500;
            long[] times = randomTrace(42, 20_000);
            String got = decisions(t -> new RateLimiters.SlidingLog(t, limit, window), times);
            long[] admitted = admittedTimes(got, times);
            assertEquals(limit, RateLimiters.busiestSpan(admitted, window), "at most the limit, and it is reached");
            for (int i = 0; i < times.length; i++) {
                if (got.charAt(i) == '.') {
                    long now = times[i];
                    int inWindow = atOrBefore(admitted, now) - atOrBefore(admitted, now - window);
                    assertEquals(limit, inWindow, "rejected at " + now + " although the window was not full");
                }
            }
        }

        @Test
        void fixedWindowCountsEachWindowSeparately() {
            int limit = 7;
            long window = 500;
            long[] times = randomTrace(7, 20_000);
            String got = decisions(t -> new RateLimiters.FixedWindow(t, limit, window), times);
            int[] perWindow = new int[(int) (times[times.length - 1] / window) + 1];
            int[] requested = new int[perWindow.length];
            for (int i = 0; i < times.length; i++) {
                int w = (int) (times[i] / window);
                requested[w]++;
                if (got.charAt(i) == '+') {
                    perWindow[w]++;
                }
            }
            for (int w = 0; w < perWindow.length; w++) {
                assertEquals(Math.min(limit, requested[w]), perWindow[w], "window " + w);
            }
        }
    }

    @Nested
    class SlidingWindowCounter {

        @Test
        void estimateFollowsTheFormula() {
            long window = 1000;
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.SlidingWindowCounter counter = new RateLimiters.SlidingWindowCounter(ticker, 10, window);
            for (int i = 0; i < 8; i++) {               // 8 in window [0, 1000)
                ticker.set(100 * i);
                assertTrue(counter.tryAcquire());
            }
            for (long t : new long[] {1050, 1100, 1200}) { // estimates 8 x 0.95, 8 x 0.9 + 1, 8 x 0.8 + 2
                ticker.set(t);
                assertTrue(counter.tryAcquire());
            }
            ticker.set(1250);
            assertEquals(9.0, counter.estimate(), 1e-12, "8 x 0.75 + 3");
            for (long t = 1250; t < 2000; t += 50) {
                ticker.set(t);
                long elapsed = t - 1000;
                double expected = 8.0 * (window - elapsed) / window + 3;
                assertEquals(expected, counter.estimate(), 1e-12, "at " + t);
            }
            ticker.set(2400);                            // the 3 of [1000, 2000) are now the previous window
            assertEquals(3 * 0.6, counter.estimate(), 1e-12);
        }

        @Test
        void admitsWhileTheEstimateIsBelowTheLimit() {
            long window = 1000;
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.SlidingWindowCounter counter = new RateLimiters.SlidingWindowCounter(ticker, 10, window);
            for (int i = 0; i < 8; i++) {
                ticker.set(100 * i);
                assertTrue(counter.tryAcquire());
            }
            ticker.set(1250);                            // 8 x 0.75 + 0 = 6: room for exactly 4 more
            for (int i = 0; i < 4; i++) {
                assertTrue(counter.tryAcquire(), "estimate " + counter.estimate());
            }
            assertEquals(10.0, counter.estimate(), 1e-12);
            assertFalse(counter.tryAcquire(), "estimate reached the limit");
            ticker.set(1499);                            // 8 x 0.501 + 4 = 8.008: two more fit
            assertTrue(counter.tryAcquire());
            assertTrue(counter.tryAcquire(), "8 x 0.501 + 5 = 9.008 is still below 10");
            assertFalse(counter.tryAcquire(), "8 x 0.501 + 6 = 10.008 is not");
        }

        @Test
        void forgetsCountsOlderThanThePreviousWindow() {
            RateLimiters.ManualTicker ticker = new RateLimiters.ManualTicker();
            RateLimiters.SlidingWindowCounter counter = new RateLimiters.SlidingWindowCounter(ticker, 5, 1000);
            for (int i = 0; i < 5; i++) {
                assertTrue(counter.tryAcquire());
            }
            assertFalse(counter.tryAcquire());
            ticker.set(2000);                            // [0, 1000) is two windows back: weight 0
            assertEquals(0.0, counter.estimate(), 1e-12);
            for (int i = 0; i < 5; i++) {
                assertTrue(counter.tryAcquire());
            }
            assertFalse(counter.tryAcquire());
        }
    }
}
