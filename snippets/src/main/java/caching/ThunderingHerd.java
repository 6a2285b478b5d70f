import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The thundering herd of a cache (also called a cache stampede or dogpile): many callers miss on the
 * same key at the same moment and each of them loads it from the system of record. Two remedies are
 * shown from scratch.
 *
 * <p><b>Request coalescing (single-flight).</b> The first caller to miss on a key loads it; callers that
 * miss while that load is in flight wait for its result instead of starting their own. The database sees
 * one load per key per process, whatever the number of callers. The trade-off: waiters share the
 * leader's latency and its failure, and the load needs a deadline, because everyone waits on it.
 *
 * <p><b>Expiry jitter.</b> Entries written together with one fixed TTL expire together, so their reloads
 * arrive in one burst. Drawing each entry's TTL at random from a window spreads the reloads over that
 * window. It does nothing for a single hot key, which still expires at one moment.
 *
 * <p>{@link #main} forces the worst interleaving with latches, not sleeps: every load waits until all
 * callers have missed. Time in the jitter part comes from a manual clock, randomness from a fixed seed.
 *
 * <p>Sources: R. Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013 (leases against thundering
 * herds); golang.org/x/sync/singleflight (duplicate call suppression); A. Vattani, F. Chierichetti and
 * K. Lowenstein, "Optimal Probabilistic Cache Stampede Prevention", PVLDB 8(8), 2015 (early refresh);
 * M. Nottingham, RFC 5861, 2010 (stale-while-revalidate).
 */
public class ThunderingHerd {

    /* --------------- Request coalescing --------------- */

    // tag::cache[]
    /** A read-through cache: returns the cached value, or loads it from the system of record on a miss. */
    interface LoadingCache<K, V> {
        V get(K key);
    }

    /**
     * Told about every caller that misses. A leader is about to load the key itself; any other caller is
     * about to wait for a leader's load. The demo uses it to hold loads back until every caller has missed.
     */
    interface MissListener<K> {
        void onMiss(K key, boolean leader);

        static <K> MissListener<K> none() {
            return (key, leader) -> { };
        }
    }
    // end::cache[]

    // tag::uncoordinated[]
    /**
     * Cache-aside with no coordination: check, and on a miss load and store. Every caller that misses
     * before the first load has stored its value runs its own load, so N concurrent misses on one key
     * cost the database N loads of the same row. This is the herd.
     */
    static final class UncoordinatedCache<K, V> implements LoadingCache<K, V> {
        private final ConcurrentHashMap<K, V> values = new ConcurrentHashMap<>();
        private final Function<K, V> loader;
        private final MissListener<K> listener;

        UncoordinatedCache(Function<K, V> loader, MissListener<K> listener) {
            this.loader = loader;
            this.listener = listener;
        }

        @Override
        public V get(K key) {
            V value = values.get(key);
            if (value != null) {
                return value;
            }
            listener.onMiss(key, true);         // every caller that misses is a leader
            value = loader.apply(key);
            values.put(key, value);
            return value;
        }
    }
    // end::uncoordinated[]

    // tag::single-flight[]
    /**
     * Request coalescing. The cache maps each key to a future: in flight while its one load runs, then
     * completed with the value. The caller whose putIfAbsent wins is the leader and runs the load in its
     * own thread; later callers find the same future and wait on it. A failed load is removed before its
     * future fails, so every waiter sees the error and the next call loads afresh: failures are shared,
     * never cached. Caffeine's AsyncCache also keeps futures in its map; Go's singleflight.Group
     * coalesces the same way but forgets the key once the load returns, so it caches nothing.
     */
    static final class SingleFlightCache<K, V> implements LoadingCache<K, V> {
        private final ConcurrentHashMap<K, CompletableFuture<V>> entries = new ConcurrentHashMap<>();
        private final Function<K, V> loader;
        private final MissListener<K> listener;

        SingleFlightCache(Function<K, V> loader, MissListener<K> listener) {
            this.loader = loader;
            this.listener = listener;
        }

        @Override
        public V get(K key) {
            CompletableFuture<V> entry = entries.get(key);
            if (entry == null) {
                CompletableFuture<V> mine = new CompletableFuture<>();
                entry = entries.putIfAbsent(key, mine);
                if (entry == null) {            // first to miss: load for everyone
                    listener.onMiss(key, true);
                    load(key, mine);
                    return mine.join();
                }
            }
            if (!entry.isDone()) {
                listener.onMiss(key, false);    // a load is in flight: wait for it
            }
            return entry.join();                // a failed load throws CompletionException(cause)
        }

        private void load(K key, CompletableFuture<V> mine) {
            try {
                mine.complete(loader.apply(key));
            } catch (Throwable failure) {
                entries.remove(key, mine);      // first, so a retry after the error starts a new load
                mine.completeExceptionally(failure);
            }
        }
    }
    // end::single-flight[]

    // tag::herd[]
    static final int CALLERS = 8;
    static final String KEY = "product:42";

    /**
     * The system of record. It counts loads, and every load waits at a gate that opens only when all
     * callers have missed; the listener counts the misses down. Without coalescing that forces all N
     * callers into their own load; with it, the one load cannot finish until N - 1 callers are waiting.
     */
    static final class SlowDatabase implements Function<String, String> {
        final CountDownLatch allMissed;
        final AtomicInteger loads = new AtomicInteger();
        private final int failingLoads;

        SlowDatabase(int callers, int failingLoads) {
            this.allMissed = new CountDownLatch(callers);
            this.failingLoads = failingLoads;
        }

        MissListener<String> countMisses() {
            return (key, leader) -> allMissed.countDown();
        }

        @Override
        public String apply(String key) {
            int load = loads.incrementAndGet();
            try {
                if (!allMissed.await(GATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("not every caller missed within the timeout");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (load <= failingLoads) {
                throw new IllegalStateException("load " + load + " of " + key + " timed out");
            }
            return "19.99";
        }
    }

    /** What one caller got: a value, or the exception its get threw (a CompletionException unwrapped). */
    record Outcome(String value, Throwable error) {
    }

    /** Starts {@code callers} threads that each call cache.get(key) once, and collects what they got. */
    static List<Outcome> herd(LoadingCache<String, String> cache, int callers, String key) {
        List<Outcome> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            List<Future<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(threads.submit(() -> call(cache, key)));
            }
            for (Future<Outcome> call : calls) {
                outcomes.add(call.get(GATE_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS));
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a caller did not finish", e);
        }
        return outcomes;
    }
    // end::herd[]

    static final long GATE_TIMEOUT_SECONDS = 10;

    static Outcome call(LoadingCache<String, String> cache, String key) {
        try {
            return new Outcome(cache.get(key), null);
        } catch (CompletionException e) {
            return new Outcome(null, e.getCause());
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
    }

    /* --------------- Expiry jitter --------------- */

    // tag::clock[]
    /** Where the cache reads the time, in whole seconds. Production code would wrap System.nanoTime(). */
    interface Ticker {
        long seconds();
    }

    /** A clock that moves only when told to, so every run expires the same entries at the same second. */
    static final class ManualTicker implements Ticker {
        private long now;

        void set(long seconds) {
            if (seconds < now) {
                throw new IllegalArgumentException("time only moves forward: " + seconds + " < " + now);
            }
            now = seconds;
        }

        @Override
        public long seconds() {
            return now;
        }
    }
    // end::clock[]

    // tag::expiry[]
    /** How long a freshly written entry lives, in seconds. */
    interface Expiry {
        long ttlSeconds();
    }

    /** The same TTL for every entry: entries written together expire together. */
    record FixedTtl(long seconds) implements Expiry {
        @Override
        public long ttlSeconds() {
            return seconds;
        }
    }

    /**
     * A TTL drawn uniformly from (max - spread, max]. Entries written together expire over a window of
     * {@code spread} seconds instead of in one second, and no entry lives longer than {@code max}, so the
     * staleness bound of a fixed TTL of {@code max} still holds. The price is a slightly shorter mean TTL.
     */
    static final class JitteredTtl implements Expiry {
        private final long max;
        private final long spread;
        private final RandomGenerator random;

        JitteredTtl(long max, long spread, RandomGenerator random) {
            if (spread < 1 || spread > max) {
                throw new IllegalArgumentException("need 1 <= spread <= max: " + spread);
            }
            this.max = max;
            this.spread = spread;
            this.random = random;
        }

        @Override
        public long ttlSeconds() {
            return max - random.nextLong(spread);
        }
    }
    // end::expiry[]

    // tag::expiring-cache[]
    /** A single-threaded read-through cache whose entries expire; enough to count reloads per second. */
    static final class ExpiringCache<K, V> {
        private record Entry<V>(V value, long expiresAt) {
        }

        private final Map<K, Entry<V>> entries = new HashMap<>();
        private final Ticker ticker;
        private final Expiry expiry;
        private final Function<K, V> loader;

        ExpiringCache(Ticker ticker, Expiry expiry, Function<K, V> loader) {
            this.ticker = ticker;
            this.expiry = expiry;
            this.loader = loader;
        }

        void put(K key, V value) {
            entries.put(key, new Entry<>(value, ticker.seconds() + expiry.ttlSeconds()));
        }

        V get(K key) {
            Entry<V> entry = entries.get(key);
            if (entry == null || ticker.seconds() >= entry.expiresAt()) {
                put(key, loader.apply(key));    // expired: reload, with a fresh TTL
                entry = entries.get(key);
            }
            return entry.value();
        }
    }
    // end::expiring-cache[]

    // tag::warm-and-read[]
    static final int KEYS = 1000;
    static final long MAX_TTL = 300;
    static final long SPREAD = 60;
    static final long RUN_SECONDS = 600;
    static final long SEED = 5861;

    /**
     * Writes {@code keys} keys at second 0 (a cache warmed in bulk, say after a deploy), then reads every
     * key once a second up to {@code seconds}, and returns how many reloads happened in each second.
     */
    static SortedMap<Long, Integer> reloadsPerSecond(Expiry expiry, int keys, long seconds) {
        ManualTicker ticker = new ManualTicker();
        SortedMap<Long, Integer> reloads = new TreeMap<>();
        ExpiringCache<Integer, String> cache = new ExpiringCache<>(ticker, expiry, key -> {
            reloads.merge(ticker.seconds(), 1, Integer::sum);
            return "value of " + key;
        });
        for (int key = 0; key < keys; key++) {
            cache.put(key, "value of " + key);
        }
        for (long t = 1; t <= seconds; t++) {
            ticker.set(t);
            for (int key = 0; key < keys; key++) {
                cache.get(key);
            }
        }
        return reloads;
    }
    // end::warm-and-read[]

    static int busiest(SortedMap<Long, Integer> reloads) {
        return reloads.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    static int total(SortedMap<Long, Integer> reloads) {
        return reloads.values().stream().mapToInt(Integer::intValue).sum();
    }

    /* --------------- Demo --------------- */

    public static void main(String[] args) {
        System.out.println(String.format(Locale.ROOT,
                "%d callers miss on %s at once; every load waits until all %d have missed.",
                CALLERS, KEY, CALLERS));
        System.out.println(String.format(Locale.ROOT, "%-14s %18s %15s %16s %20s",
                "cache", "loads at database", "callers served", "distinct values", "callers that waited"));
        herdRow("uncoordinated", UncoordinatedCache::new);
        herdRow("single-flight", SingleFlightCache::new);

        SlowDatabase flaky = new SlowDatabase(CALLERS, 1);
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(flaky, flaky.countMisses());
        List<Outcome> failed = herd(cache, CALLERS, KEY);
        long errors = failed.stream().filter(o -> o.error() != null).count();
        long sameError = failed.stream().map(Outcome::error).distinct().count();
        int loadsInHerd = flaky.loads.get();
        String retried = cache.get(KEY);
        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "single-flight, first load fails: %d load, %d of %d callers got an exception, %d distinct",
                loadsInHerd, errors, CALLERS, sameError));
        System.out.println(String.format(Locale.ROOT,
                "one more call afterwards:        %d loads in total, value %s", flaky.loads.get(), retried));
        check(errors == CALLERS && sameError == 1 && loadsInHerd == 1 && flaky.loads.get() == 2,
                "a failed load reaches every waiter once and is not cached");

        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "%d keys written at second 0, each read once a second until second %d.", KEYS, RUN_SECONDS));
        System.out.println(String.format(Locale.ROOT, "%-22s %7s %6s %5s %21s %19s",
                "TTL (s)", "reloads", "first", "last", "seconds with reloads", "most in one second"));
        SortedMap<Long, Integer> fixed = reloadsPerSecond(new FixedTtl(MAX_TTL), KEYS, RUN_SECONDS);
        SortedMap<Long, Integer> jittered = reloadsPerSecond(
                new JitteredTtl(MAX_TTL, SPREAD, new SplittableRandom(SEED)), KEYS, RUN_SECONDS);
        jitterRow(String.format(Locale.ROOT, "fixed %d", MAX_TTL), fixed);
        jitterRow(String.format(Locale.ROOT, "uniform in [%d, %d]", MAX_TTL - SPREAD + 1, MAX_TTL), jittered);
        check(total(fixed) == total(jittered), "jitter moves reloads, it does not add any");
    }

    interface CacheFactory {
        LoadingCache<String, String> create(Function<String, String> loader, MissListener<String> listener);
    }

    private static void herdRow(String name, CacheFactory factory) {
        SlowDatabase database = new SlowDatabase(CALLERS, 0);
        AtomicInteger waited = new AtomicInteger();
        MissListener<String> gate = database.countMisses();
        LoadingCache<String, String> cache = factory.create(database, (key, leader) -> {
            if (!leader) {
                waited.incrementAndGet();
            }
            gate.onMiss(key, leader);
        });
        List<Outcome> outcomes = herd(cache, CALLERS, KEY);
        long served = outcomes.stream().filter(o -> o.value() != null).count();
        int distinct = new TreeSet<>(outcomes.stream().map(Outcome::value).filter(v -> v != null).toList()).size();
        System.out.println(String.format(Locale.ROOT, "%-14s %18d %15d %16d %20d",
                name, database.loads.get(), served, distinct, waited.get()));
        check(served == CALLERS && distinct == 1, "every caller gets the one value");
    }

    private static void jitterRow(String name, SortedMap<Long, Integer> reloads) {
        System.out.println(String.format(Locale.ROOT, "%-22s %7d %6d %5d %21d %19d", name, total(reloads),
                reloads.firstKey(), reloads.lastKey(), reloads.size(), busiest(reloads)));
    }

    private static void check(boolean invariant, String what) {
        if (!invariant) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }
}
