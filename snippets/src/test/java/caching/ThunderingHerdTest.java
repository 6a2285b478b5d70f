import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link ThunderingHerd} to the page's claims. Under a forced herd (every load waits until every
 * caller has missed) an uncoordinated cache loads once per caller and a single-flight cache loads once;
 * every caller gets the value; a failed load reaches every waiter and is not cached. Expiry jitter keeps
 * each TTL inside its window, moves reloads without adding any, and bounds the busiest second.
 *
 * <p>Nothing here waits on time: loads wait on a latch with a timeout (so a broken cache fails instead
 * of hanging), and {@code @Timeout} guards each concurrent test.
 */
class ThunderingHerdTest {

    private static final String KEY = "product:42";

    /** Misses seen by a cache, split into leaders (about to load) and waiters, plus the demo's gate. */
    private static final class Misses implements ThunderingHerd.MissListener<String> {
        final AtomicInteger leaders = new AtomicInteger();
        final AtomicInteger waiters = new AtomicInteger();
        private final ThunderingHerd.MissListener<String> gate;

        Misses(ThunderingHerd.SlowDatabase database) {
            this.gate = database.countMisses();
        }

        @Override
        public void onMiss(String key, boolean leader) {
            (leader ? leaders : waiters).incrementAndGet();
            gate.onMiss(key, leader);
        }
    }

    private static List<String> values(List<ThunderingHerd.Outcome> outcomes) {
        List<String> values = new ArrayList<>();
        for (ThunderingHerd.Outcome outcome : outcomes) {
            assertNull(outcome.error(), () -> "unexpected error: " + outcome.error());
            values.add(outcome.value());
        }
        return values;
    }

    /* --------------- Request coalescing --------------- */

    @Nested
    @Timeout(60)
    class Coalescing {

        @ParameterizedTest(name = "{0} callers")
        @ValueSource(ints = {2, 8, 32})
        void withoutCoalescingEveryCallerLoads(int callers) {
            ThunderingHerd.SlowDatabase database = new ThunderingHerd.SlowDatabase(callers, 0);
            Misses misses = new Misses(database);
            var cache = new ThunderingHerd.UncoordinatedCache<>(database, misses);

            List<String> values = values(ThunderingHerd.herd(cache, callers, KEY));

            assertEquals(callers, database.loads.get(), "one load per caller: the herd");
            assertEquals(callers, misses.leaders.get());
            assertEquals(0, misses.waiters.get());
            assertEquals(List.of(), values.stream().filter(v -> !v.equals("19.99")).toList());
            assertEquals(callers, values.size());
        }

        @ParameterizedTest(name = "{0} callers")
        @ValueSource(ints = {2, 8, 32})
        void withCoalescingExactlyOneLoadServesEveryCaller(int callers) {
            ThunderingHerd.SlowDatabase database = new ThunderingHerd.SlowDatabase(callers, 0);
            Misses misses = new Misses(database);
            var cache = new ThunderingHerd.SingleFlightCache<>(database, misses);

            List<String> values = values(ThunderingHerd.herd(cache, callers, KEY));

            assertEquals(1, database.loads.get(), "one load, whatever the number of callers");
            assertEquals(1, misses.leaders.get());
            assertEquals(callers - 1, misses.waiters.get(), "everyone else waited for the leader's load");
            assertEquals(callers, values.size());
            assertTrue(values.stream().allMatch("19.99"::equals), values::toString);
        }

        @Test
        void afterTheLoadTheValueIsAHit() {
            ThunderingHerd.SlowDatabase database = new ThunderingHerd.SlowDatabase(8, 0);
            Misses misses = new Misses(database);
            var cache = new ThunderingHerd.SingleFlightCache<>(database, misses);
            ThunderingHerd.herd(cache, 8, KEY);

            assertEquals("19.99", cache.get(KEY));
            assertEquals(1, database.loads.get());
            assertEquals(8, misses.leaders.get() + misses.waiters.get(), "a hit is not a miss");
        }

        @Test
        void differentKeysLoadSeparately() {
            AtomicInteger loads = new AtomicInteger();
            var cache = new ThunderingHerd.SingleFlightCache<String, String>(
                    key -> key + "#" + loads.incrementAndGet(), ThunderingHerd.MissListener.none());
            assertEquals("a#1", cache.get("a"));
            assertEquals("b#2", cache.get("b"));
            assertEquals("a#1", cache.get("a"));
            assertEquals(2, loads.get());
        }

        @Test
        void aFailedLoadReachesEveryWaiterAndTheNextCallRetries() {
            int callers = 8;
            ThunderingHerd.SlowDatabase database = new ThunderingHerd.SlowDatabase(callers, 1);
            Misses misses = new Misses(database);
            var cache = new ThunderingHerd.SingleFlightCache<>(database, misses);

            List<ThunderingHerd.Outcome> outcomes = ThunderingHerd.herd(cache, callers, KEY);

            assertEquals(1, database.loads.get(), "the failure came from one load");
            assertEquals(callers - 1, misses.waiters.get());
            Throwable first = outcomes.get(0).error();
            assertNotNull(first, "the leader or a waiter got a value from a failing load");
            assertTrue(first instanceof IllegalStateException, first::toString);
            for (ThunderingHerd.Outcome outcome : outcomes) {
                assertNull(outcome.value());
                assertSame(first, outcome.error(), "every caller gets the one failure");
            }

            assertEquals("19.99", cache.get(KEY), "the failure is not cached: the next call loads again");
            assertEquals(2, database.loads.get());
            assertEquals("19.99", cache.get(KEY));
            assertEquals(2, database.loads.get(), "the successful value is cached");
        }

        @RepeatedTest(25)
        void waitersThatRetryAtOnceAfterTheErrorCauseOneMoreLoad() {
            // The failed future leaves the map before it fails, so a waiter that retries the moment it sees
            // the error never finds the failed load again. With the order reversed, a quick retry can find
            // it, but only when it wins a race with the leader; the repetitions make that near certain.
            int callers = 8;
            ThunderingHerd.SlowDatabase database = new ThunderingHerd.SlowDatabase(callers, 1);
            var cache = new ThunderingHerd.SingleFlightCache<>(database, database.countMisses());
            ThunderingHerd.LoadingCache<String, String> retryOnce = key -> {
                try {
                    return cache.get(key);
                } catch (CompletionException e) {
                    return cache.get(key);
                }
            };

            List<String> values = values(ThunderingHerd.herd(retryOnce, callers, KEY));

            assertTrue(values.stream().allMatch("19.99"::equals), values::toString);
            assertEquals(2, database.loads.get(), "the failed load plus one successful retry");
        }

        @Test
        void aFailureWithNoHerdIsNotCachedEither() {
            AtomicInteger loads = new AtomicInteger();
            var cache = new ThunderingHerd.SingleFlightCache<String, String>(key -> {
                if (loads.incrementAndGet() == 1) {
                    throw new IllegalStateException("down");
                }
                return "up";
            }, ThunderingHerd.MissListener.none());
            CompletionException e = assertThrows(CompletionException.class, () -> cache.get(KEY));
            assertEquals("down", e.getCause().getMessage());
            assertEquals("up", cache.get(KEY));
            assertEquals(2, loads.get());
        }
    }

    /* --------------- Expiry jitter --------------- */

    @Nested
    class Jitter {

        private final int keys = ThunderingHerd.KEYS;
        private final long max = ThunderingHerd.MAX_TTL;
        private final long spread = ThunderingHerd.SPREAD;
        private final long run = ThunderingHerd.RUN_SECONDS;

        @Test
        void anEntryExpiresExactlyItsTtlAfterItWasWritten() {
            ThunderingHerd.ManualTicker ticker = new ThunderingHerd.ManualTicker();
            AtomicInteger loads = new AtomicInteger();
            var cache = new ThunderingHerd.ExpiringCache<String, Integer>(ticker,
                    new ThunderingHerd.FixedTtl(10), key -> loads.incrementAndGet());
            ticker.set(5);
            assertEquals(1, cache.get("k"));            // miss at 5, expires at 15
            ticker.set(14);
            assertEquals(1, cache.get("k"));
            ticker.set(15);
            assertEquals(2, cache.get("k"));            // expired: reloaded, expires at 25
            assertEquals(2, loads.get());
        }

        @Test
        void withAFixedTtlEveryKeyReloadsInTheSameSecond() {
            SortedMap<Long, Integer> reloads =
                    ThunderingHerd.reloadsPerSecond(new ThunderingHerd.FixedTtl(max), keys, run);
            assertEquals(new TreeMap<>(Map.of(max, keys, 2 * max, keys)), reloads);
            assertEquals(keys, ThunderingHerd.busiest(reloads));
        }

        @Test
        void aJitteredTtlStaysInItsWindowAndReachesBothEnds() {
            var ttl = new ThunderingHerd.JitteredTtl(max, spread, new SplittableRandom(1));
            long lowest = Long.MAX_VALUE;
            long highest = Long.MIN_VALUE;
            // 10,000 draws over 60 values: each end is missed with probability (59/60)^10000 < 1e-70.
            for (int i = 0; i < 10_000; i++) {
                long t = ttl.ttlSeconds();
                lowest = Math.min(lowest, t);
                highest = Math.max(highest, t);
            }
            assertEquals(max - spread + 1, lowest);
            assertEquals(max, highest, "never longer than the fixed TTL it replaces");
            assertThrows(IllegalArgumentException.class,
                    () -> new ThunderingHerd.JitteredTtl(max, 0, new SplittableRandom(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> new ThunderingHerd.JitteredTtl(max, max + 1, new SplittableRandom(1)));
        }

        @Test
        void everyKeyReloadsTwiceAndNoEntryOutlivesTheMaximum() {
            ThunderingHerd.ManualTicker ticker = new ThunderingHerd.ManualTicker();
            Map<Integer, List<Long>> loadTimes = new HashMap<>();
            var cache = new ThunderingHerd.ExpiringCache<Integer, String>(ticker,
                    new ThunderingHerd.JitteredTtl(max, spread, new SplittableRandom(ThunderingHerd.SEED)),
                    key -> {
                        loadTimes.computeIfAbsent(key, k -> new ArrayList<>()).add(ticker.seconds());
                        return "v";
                    });
            for (int key = 0; key < keys; key++) {
                cache.put(key, "v");
                loadTimes.put(key, new ArrayList<>(List.of(0L)));
            }
            for (long t = 1; t <= run; t++) {
                ticker.set(t);
                for (int key = 0; key < keys; key++) {
                    cache.get(key);
                }
            }
            for (int key = 0; key < keys; key++) {
                List<Long> times = loadTimes.get(key);
                // Two TTLs from [241, 300] add up to at most 600 and a third would end at 723 or later.
                assertEquals(3, times.size(), () -> "write and two reloads expected: " + times);
                for (int i = 1; i < times.size(); i++) {
                    long lived = times.get(i) - times.get(i - 1);
                    assertTrue(lived >= max - spread + 1 && lived <= max, "lived " + lived);
                }
            }
        }

        @Test
        void jitterMovesReloadsWithoutAddingAny() {
            SortedMap<Long, Integer> fixed =
                    ThunderingHerd.reloadsPerSecond(new ThunderingHerd.FixedTtl(max), keys, run);
            SortedMap<Long, Integer> jittered = ThunderingHerd.reloadsPerSecond(
                    new ThunderingHerd.JitteredTtl(max, spread, new SplittableRandom(ThunderingHerd.SEED)),
                    keys, run);
            assertEquals(ThunderingHerd.total(fixed), ThunderingHerd.total(jittered));
            for (long second : jittered.keySet()) {
                boolean firstRound = second >= max - spread + 1 && second <= max;
                boolean secondRound = second >= 2 * (max - spread + 1) && second <= 2 * max;
                assertTrue(firstRound || secondRound, "reload outside both windows at " + second);
            }
            assertTrue(jittered.size() > spread, "reloads spread over more than one window's seconds");
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {ThunderingHerd.SEED, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
        void theBusiestSecondStaysUnderThreeTimesTheEvenShare(long seed) {
            // Each key reloads in a given second with probability at most 1/60 (uniform TTL in the first
            // round; a sum of two uniforms, whose largest point probability is also 1/60, in the second), so
            // a second's count is at most Binomial(1000, 1/60), mean mu = 16.7. Chernoff: P(X >= 3 mu) <=
            // (e^2 / 27)^mu < 1e-9; over 180 seconds and 20 seeds the bound fails with probability < 1e-5.
            SortedMap<Long, Integer> jittered = ThunderingHerd.reloadsPerSecond(
                    new ThunderingHerd.JitteredTtl(max, spread, new SplittableRandom(seed)), keys, run);
            double evenShare = (double) keys / spread;
            int busiest = ThunderingHerd.busiest(jittered);
            assertTrue(busiest < 3 * evenShare, "busiest second " + busiest + " vs even share " + evenShare);
            assertTrue(busiest >= evenShare, "a pigeonhole lower bound: 1000 reloads in at most 60 seconds");
        }
    }
}
