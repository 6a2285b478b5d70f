import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Five caching strategies in front of one system of record (SoR) that counts its reads and
 * writes: cache-aside, read-through, write-through, write-behind and write-around.
 * {@link #main} replays one workload through each and prints the traffic it causes, then
 * shows what goes wrong: write-behind losing queued writes in a crash, and two cache-aside
 * races that leave a stale value in the cache.
 *
 * <p>A strategy is a read path plus a write path. On a miss, either the application loads
 * the value from the SoR and puts it in the cache (cache-aside) or the cache does it
 * through a loader it was configured with (read-through). On a write, the SoR and the cache
 * are both updated before the call returns (write-through), the cache is updated now and
 * the SoR later (write-behind), or only the SoR is written and the cache is bypassed
 * (write-around), its copy deleted or left to go stale.
 *
 * <p>The trade-off: write-through makes every write wait for the SoR to keep later reads
 * hitting; write-behind answers writes at once and merges them, but the SoR lags and a
 * crash loses the queue; cache-aside and write-around cache only what is read, but must
 * delete stale copies, and even then a concurrent fill can put an old value back unless the
 * cache hands out leases.
 *
 * <p>Sources: Ehcache 3 documentation, "Cache Usage Patterns" and "Cache Loaders and
 * Writers" (cache-aside, read-through, write-through, write-behind with batching and
 * coalescing); Oracle Coherence, "Caching Data Sources" (read-through, write-through,
 * write-behind queue); Hazelcast, "Configuring a MapStore" (write-delay-seconds 0 is
 * write-through, above 0 write-behind); Amazon ElastiCache, "Caching strategies" (lazy
 * loading, write-through, TTL); R. Nishtala et al., "Scaling Memcache at Facebook", NSDI
 * 2013 (look-aside cache, delete after write, leases against stale sets).
 */
public class CachingStrategies {

    // tag::stores[]

    /**
     * The system of record: the database behind the cache. It counts every read and write.
     */
    static class SystemOfRecord {
        private final Map<String, String> rows = new HashMap<>();
        private long reads;
        private long writes;

        SystemOfRecord(Map<String, String> initialRows) {
            rows.putAll(initialRows);
        }

        synchronized String read(String key) {
            reads++;
            return rows.get(key);
        }

        synchronized void write(String key, String value) {
            writes++;
            rows.put(key, value);
        }
        // end::stores[]

        synchronized long reads() {
            return reads;
        }

        synchronized long writes() {
            return writes;
        }

        /**
         * The rows, sorted by key, without counting a read: what an operator would find
         * after a crash.
         */
        synchronized Map<String, String> snapshot() {
            return new TreeMap<>(rows);
        }
    // tag::stores[]
    }

    /**
     * An in-memory cache that counts hits and misses. Leases (Nishtala et al. 2013): a miss
     * may hand out a token, the right to fill that key; a delete voids it, so a reader that
     * loaded a value before a concurrent write cannot put that old value back.
     */
    static final class Cache {
        private final Map<String, String> entries = new HashMap<>();
        private final Map<String, Long> leases = new HashMap<>();
        private long nextLease = 1;
        private long hits;
        private long misses;

        synchronized String get(String key) {
            String value = entries.get(key);
            if (value == null) {
                misses++;
            } else {
                hits++;
            }
            return value;
        }

        synchronized void put(String key, String value) {
            entries.put(key, value);
        }

        /** Removes the entry and voids any lease on the key. */
        synchronized void delete(String key) {
            entries.remove(key);
            leases.remove(key);
        }

        /** Like get, but a miss also returns a fresh lease for the key (0 on a hit). */
        synchronized Lookup getOrLease(String key) {
            String value = get(key);
            if (value != null) {
                return new Lookup(value, 0);
            }
            long lease = nextLease++;
            leases.put(key, lease);
            return new Lookup(null, lease);
        }

        /**
         * Fills the key only if the lease is still the live one; a delete since then voids
         * it.
         */
        synchronized boolean putWithLease(String key, String value, long lease) {
            if (!leases.remove(key, lease)) {
                return false;
            }
            entries.put(key, value);
            return true;
        }
        // end::stores[]

        synchronized long hits() {
            return hits;
        }

        synchronized long misses() {
            return misses;
        }

        synchronized int size() {
            return entries.size();
        }

        /** The cached value without counting a hit or a miss (for printing). */
        synchronized String peek(String key) {
            return entries.get(key);
        }

        synchronized void clear() {
            entries.clear();
            leases.clear();
        }
    // tag::stores[]
    }

    record Lookup(String value, long lease) {
    }
    // end::stores[]

    // tag::strategy[]

    /**
     * One caching strategy: how a read and a write move data between the cache and the SoR.
     */
    interface Strategy {
        String read(String key);

        void write(String key, String value);

        /** Writes anything still queued to the SoR. Only write-behind queues anything. */
        default void flush() {
        }

        String name();
    }
    // end::strategy[]

    // tag::cache-aside[]

    /**
     * Cache-aside (lazy loading): the application talks to both stores. A read tries the
     * cache and, on a miss, loads from the SoR and fills the cache. A write updates the SoR
     * and then either deletes the cached copy (what Facebook's memcache does; a delete is
     * idempotent) or overwrites it (what Ehcache's documentation shows). Only keys that are
     * read take cache space.
     */
    static final class CacheAside implements Strategy {
        enum OnWrite { DELETE, UPDATE }

        private final Cache cache;
        private final SystemOfRecord sor;
        private final OnWrite onWrite;

        CacheAside(Cache cache, SystemOfRecord sor, OnWrite onWrite) {
            this.cache = cache;
            this.sor = sor;
            this.onWrite = onWrite;
        }

        @Override
        public String read(String key) {
            String value = cache.get(key);
            if (value == null) {
                value = sor.read(key);
                if (value != null) {
                    cache.put(key, value);    // the SoR may have changed since our read
                }
            }
            return value;
        }

        @Override
        public void write(String key, String value) {
            sor.write(key, value);
            if (onWrite == OnWrite.DELETE) {
                cache.delete(key);
            } else {
                cache.put(key, value);        // two writers may get here in either order
            }
        }
        // end::cache-aside[]

        @Override
        public String name() {
            return onWrite == OnWrite.DELETE ? "cache-aside" : "cache-aside, update on write";
        }
    // tag::cache-aside[]
    }
    // end::cache-aside[]

    // tag::leased[]

    /**
     * Cache-aside with leases: a miss gets a lease, and the fill is refused if a write
     * deleted the key after the lease was granted. The reader still returns what it loaded,
     * but the cache does not keep it, so the next reader loads the new value.
     */
    static final class LeasedCacheAside implements Strategy {
        private final Cache cache;
        private final SystemOfRecord sor;

        LeasedCacheAside(Cache cache, SystemOfRecord sor) {
            this.cache = cache;
            this.sor = sor;
        }

        @Override
        public String read(String key) {
            Lookup lookup = cache.getOrLease(key);
            if (lookup.value() != null) {
                return lookup.value();
            }
            String value = sor.read(key);
            if (value != null) {
                cache.putWithLease(key, value, lookup.lease());   // refused after a delete
            }
            return value;
        }

        @Override
        public void write(String key, String value) {
            sor.write(key, value);
            cache.delete(key);                                 // also voids leases
        }
        // end::leased[]

        @Override
        public String name() {
            return "cache-aside with leases";
        }
    // tag::leased[]
    }
    // end::leased[]

    // tag::loading-cache[]

    /**
     * The cache side of read-through: the cache is built with a loader for the SoR, and a
     * miss calls it. The application asks only the cache. Every strategy below reads
     * through one of these.
     */
    static final class LoadingCache {
        private final Cache cache;
        private final Function<String, String> loader;

        LoadingCache(Cache cache, Function<String, String> loader) {
            this.cache = cache;
            this.loader = loader;
        }

        String get(String key) {
            String value = cache.get(key);
            if (value == null) {
                value = loader.apply(key);
                if (value != null) {
                    cache.put(key, value);
                }
            }
            return value;
        }
    }

    /**
     * Read-through names the read path only. Here the write path is the same as
     * cache-aside's (SoR, then delete the cached copy), so the two cause the same traffic;
     * what moves is the code.
     */
    static final class ReadThrough implements Strategy {
        private final LoadingCache loading;
        private final Cache cache;
        private final SystemOfRecord sor;

        ReadThrough(Cache cache, SystemOfRecord sor) {
            this.loading = new LoadingCache(cache, sor::read);
            this.cache = cache;
            this.sor = sor;
        }

        @Override
        public String read(String key) {
            return loading.get(key);
        }

        @Override
        public void write(String key, String value) {
            sor.write(key, value);
            cache.delete(key);
        }
        // end::loading-cache[]

        @Override
        public String name() {
            return "read-through";
        }
    // tag::loading-cache[]
    }
    // end::loading-cache[]

    // tag::write-through[]

    /**
     * Write-through: a write returns only after the SoR and the cache both hold the new
     * value. The SoR goes first, so a failed SoR write leaves the cache alone. Reads after
     * a write hit, but every written key takes cache space whether or not anyone reads it.
     */
    static final class WriteThrough implements Strategy {
        private final LoadingCache loading;
        private final Cache cache;
        private final SystemOfRecord sor;

        WriteThrough(Cache cache, SystemOfRecord sor) {
            this.loading = new LoadingCache(cache, sor::read);
            this.cache = cache;
            this.sor = sor;
        }

        @Override
        public String read(String key) {
            return loading.get(key);
        }

        @Override
        public void write(String key, String value) {
            sor.write(key, value);
            cache.put(key, value);
        }
        // end::write-through[]

        @Override
        public String name() {
            return "write-through";
        }
    // tag::write-through[]
    }
    // end::write-through[]

    // tag::write-behind[]

    /**
     * Write-behind (write-back): a write updates the cache and queues the key; flush writes
     * the queue to the SoR. The queue keeps only the latest value per key (coalescing), so
     * repeated writes to a key cost one SoR write. Until the flush, the SoR is behind, and
     * the queue lives only in this process's memory: a crash loses it.
     */
    static final class WriteBehind implements Strategy {
        private final LoadingCache loading;
        private final Cache cache;
        private final SystemOfRecord sor;
        // key -> latest value not yet written; insertion order is flush order
        private final Map<String, String> queue = new LinkedHashMap<>();

        WriteBehind(Cache cache, SystemOfRecord sor) {
            this.loading = new LoadingCache(cache, sor::read);
            this.cache = cache;
            this.sor = sor;
        }

        @Override
        public String read(String key) {
            return loading.get(key);
        }

        @Override
        public synchronized void write(String key, String value) {
            cache.put(key, value);
            queue.put(key, value);            // replaces an older queued value for the same key
        }

        @Override
        public synchronized void flush() {
            queue.forEach(sor::write);
            queue.clear();
        }

        /**
         * The process dies: memory is gone, cache and queue alike. Returns what never
         * reached the SoR.
         */
        synchronized Map<String, String> crash() {
            Map<String, String> lost = new TreeMap<>(queue);
            queue.clear();
            cache.clear();
            return lost;
        }
        // end::write-behind[]

        synchronized int queued() {
            return queue.size();
        }

        @Override
        public String name() {
            return "write-behind";
        }
    // tag::write-behind[]
    }
    // end::write-behind[]

    // tag::write-around[]

    /**
     * Write-around: a write goes to the SoR only and never puts the value in the cache; the
     * value enters the cache on a later read miss. A copy cached before the write must be
     * deleted, or it is served stale until it expires or is evicted. With the delete, the
     * write path is cache-aside's.
     */
    static final class WriteAround implements Strategy {
        private final LoadingCache loading;
        private final Cache cache;
        private final SystemOfRecord sor;
        private final boolean invalidate;

        WriteAround(Cache cache, SystemOfRecord sor, boolean invalidate) {
            this.loading = new LoadingCache(cache, sor::read);
            this.cache = cache;
            this.sor = sor;
            this.invalidate = invalidate;
        }

        @Override
        public String read(String key) {
            return loading.get(key);
        }

        @Override
        public void write(String key, String value) {
            sor.write(key, value);
            if (invalidate) {
                cache.delete(key);
            }
        }
        // end::write-around[]

        @Override
        public String name() {
            return invalidate ? "write-around, invalidating" : "write-around";
        }
    // tag::write-around[]
    }
    // end::write-around[]

    /* --------------- Workload and traffic --------------- */

    /** One operation of the workload: a read when value is null, else a write. */
    record Op(String key, String value) {
        static Op read(String key) {
            return new Op(key, null);
        }

        static Op write(String key, String value) {
            return new Op(key, value);
        }

        boolean isRead() {
            return value == null;
        }

        @Override
        public String toString() {
            return isRead() ? "r " + key : "w " + key + "=" + value;
        }
    }

    static final Map<String, String> INITIAL_ROWS = Map.of("a", "a0", "b", "b0", "c", "c0");

    // tag::workload[]

    /**
     * Reread a key, write it and reread it, write a key nobody reads, write one key three
     * times.
     */
    static final List<Op> WORKLOAD = List.of(
            Op.read("a"), Op.read("a"),
            Op.write("a", "a1"), Op.read("a"),
            Op.write("b", "b1"),
            Op.write("c", "c1"), Op.write("c", "c2"), Op.write("c", "c3"),
            Op.read("c"), Op.read("a"));
    // end::workload[]

    /**
     * What one strategy cost on the workload. A stale read returned something other than
     * the last write.
     */
    record Traffic(String strategy, long sorReads, long sorWrites, long hits, long misses, long staleReads,
                   int cachedKeys) {
    }

    /** Builds a strategy over a fresh cache and a fresh SoR. */
    interface Factory {
        Strategy create(Cache cache, SystemOfRecord sor);
    }

    static final List<Factory> STRATEGIES = List.of(
            (cache, sor) -> new CacheAside(cache, sor, CacheAside.OnWrite.DELETE),
            ReadThrough::new,
            WriteThrough::new,
            WriteBehind::new,
            (cache, sor) -> new WriteAround(cache, sor, false),
            (cache, sor) -> new WriteAround(cache, sor, true));

    // tag::replay[]

    /**
     * Replays the workload on a fresh cache and SoR, flushes, and counts what reached each
     * store.
     */
    static Traffic replay(Factory factory, List<Op> workload) {
        Cache cache = new Cache();
        SystemOfRecord sor = new SystemOfRecord(INITIAL_ROWS);
        Strategy strategy = factory.create(cache, sor);
        Map<String, String> latest = new HashMap<>(INITIAL_ROWS);   // what a fresh read returns
        long stale = 0;
        for (Op op : workload) {
            if (op.isRead()) {
                if (!Objects.equals(strategy.read(op.key()), latest.get(op.key()))) {
                    stale++;
                }
            } else {
                strategy.write(op.key(), op.value());
                latest.put(op.key(), op.value());
            }
        }
        strategy.flush();
        if (!sor.snapshot().equals(new TreeMap<>(latest))) {
            throw new IllegalStateException(strategy.name() + " left the SoR behind");
        }
        return new Traffic(strategy.name(), sor.reads(), sor.writes(), cache.hits(),
                cache.misses(), stale, cache.size());
    }
    // end::replay[]

    /* --------------- Write-behind crash --------------- */

    /**
     * What write-behind leaves in the SoR when the process dies, with or without a flush
     * first.
     */
    record Crash(int writesAccepted, int keysQueued, Map<String, String> lost, Map<String, String> sorAfter) {
    }

    // tag::crash[]

    static Crash crashWriteBehind(boolean flushFirst) {
        SystemOfRecord sor = new SystemOfRecord(INITIAL_ROWS);
        WriteBehind writeBehind = new WriteBehind(new Cache(), sor);
        int accepted = 0;
        for (Op op : WORKLOAD) {
            if (!op.isRead()) {
                writeBehind.write(op.key(), op.value());   // returns at once, "saved"
                accepted++;
            }
        }
        int queued = writeBehind.queued();
        if (flushFirst) {
            writeBehind.flush();
        }
        Map<String, String> lost = writeBehind.crash();
        return new Crash(accepted, queued, lost, sor.snapshot());
    }
    // end::crash[]

    /* --------------- Races, forced with latches --------------- */

    /**
     * A SoR whose next read or write stops after it completes, until the test lets it go:
     * the window in which another client's operation runs. Only the thread that makes that
     * access stops.
     */
    static final class PausingSystemOfRecord extends SystemOfRecord {
        private final AtomicReference<Runnable> pauseOnce = new AtomicReference<>();

        PausingSystemOfRecord(Map<String, String> initialRows) {
            super(initialRows);
        }

        void pauseAfterNextAccess(Runnable pause) {
            pauseOnce.set(pause);
        }

        @Override
        String read(String key) {
            String value = super.read(key);
            pauseIfArmed();
            return value;
        }

        @Override
        void write(String key, String value) {
            super.write(key, value);
            pauseIfArmed();
        }

        private void pauseIfArmed() {
            Runnable pause = pauseOnce.getAndSet(null);
            if (pause != null) {
                pause.run();
            }
        }
    }

    // tag::race[]

    /**
     * Runs {@code first} on one thread until its next SoR access completes, then runs all
     * of {@code second} on another thread, then lets {@code first} finish. Latches fix the
     * order.
     */
    static void interleave(PausingSystemOfRecord sor, Runnable first, Runnable second) {
        CountDownLatch firstPaused = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        sor.pauseAfterNextAccess(() -> {
            firstPaused.countDown();
            awaitQuietly(secondDone);
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread one = new Thread(guard(first, failure), "first");
        Thread two = new Thread(guard(() -> {
            awaitQuietly(firstPaused);
            try {
                second.run();
            } finally {
                secondDone.countDown();
            }
        }, failure), "second");
        one.start();
        two.start();
        joinQuietly(one);
        joinQuietly(two);
        if (failure.get() != null) {
            throw new IllegalStateException("a racing client failed", failure.get());
        }
    }
    // end::race[]

    private static Runnable guard(Runnable body, AtomicReference<Throwable> failure) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where a race left key x: the SoR's value, the cached value (null if none) and what
     * the next read returns.
     */
    record RaceResult(String sor, String cached, String nextRead, boolean stale) {
        RaceResult(String sor, String cached, String nextRead) {
            this(sor, cached, nextRead, !sor.equals(nextRead));
        }
    }

    // tag::race[]
    /**
     * Two writers: W1 writes the SoR, W2 writes the SoR and the cache, then W1 touches the
     * cache.
     */
    static RaceResult twoWriters(CacheAside.OnWrite onWrite) {
        Cache cache = new Cache();
        PausingSystemOfRecord sor = new PausingSystemOfRecord(Map.of("x", "x0"));
        CacheAside app = new CacheAside(cache, sor, onWrite);
        interleave(sor, () -> app.write("x", "x1"), () -> app.write("x", "x2"));
        return new RaceResult(sor.snapshot().get("x"), cache.peek("x"), app.read("x"));
    }

    /**
     * A reader misses and loads x0; a writer sets x1 and deletes; then the reader fills the
     * cache.
     */
    static RaceResult readerFillsAfterDelete(boolean leases) {
        Cache cache = new Cache();
        PausingSystemOfRecord sor = new PausingSystemOfRecord(Map.of("x", "x0"));
        Strategy app = leases ? new LeasedCacheAside(cache, sor)
                : new CacheAside(cache, sor, CacheAside.OnWrite.DELETE);
        interleave(sor, () -> app.read("x"), () -> app.write("x", "x1"));
        String cached = cache.peek("x");
        return new RaceResult(sor.snapshot().get("x"), cached, app.read("x"));
    }
    // end::race[]

    /* --------------- Demo --------------- */

    private static String rows(Map<String, String> rows) {
        return rows.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String describe(RaceResult result) {
        return String.format(Locale.ROOT, "SoR x=%s, cache %s, next read %s%s", result.sor(),
                result.cached() == null ? "empty" : "x=" + result.cached(), result.nextRead(),
                result.stale() ? " (stale)" : "");
    }

    public static void main(String[] args) {
        System.out.println("SoR starts with " + rows(new TreeMap<>(INITIAL_ROWS)));
        System.out.println("Workload: " + WORKLOAD.stream().map(Op::toString).collect(Collectors.joining(", ")));
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-27s %9s %10s %5s %6s %6s %6s",
                "strategy", "SoR reads", "SoR writes", "hits", "misses", "stale", "cached"));
        List<Traffic> all = new ArrayList<>();
        for (Factory factory : STRATEGIES) {
            Traffic t = replay(factory, WORKLOAD);
            all.add(t);
            System.out.println(String.format(Locale.ROOT, "%-27s %9d %10d %5d %6d %6d %6d", t.strategy(),
                    t.sorReads(), t.sorWrites(), t.hits(), t.misses(), t.staleReads(), t.cachedKeys()));
        }
        for (Traffic t : all) {
            long reads = WORKLOAD.stream().filter(Op::isRead).count();
            if (t.hits() + t.misses() != reads) {
                throw new IllegalStateException(t.strategy() + " counted " + (t.hits() + t.misses())
                        + " lookups for " + reads + " reads");
            }
        }

        System.out.println();
        for (boolean flushFirst : List.of(false, true)) {
            Crash crash = crashWriteBehind(flushFirst);
            System.out.println(String.format(Locale.ROOT,
                    "Write-behind, %d writes accepted, %d keys queued, %s:", crash.writesAccepted(),
                    crash.keysQueued(), flushFirst ? "flush, then crash" : "crash before any flush"));
            System.out.println("  SoR after restart " + rows(crash.sorAfter()) + "; lost "
                    + (crash.lost().isEmpty() ? "nothing" : rows(crash.lost())));
        }

        System.out.println();
        System.out.println("Race 1: W1 SoR x=x1 | W2 SoR x=x2, then cache | W1 cache");
        System.out.println("  update on write: " + describe(twoWriters(CacheAside.OnWrite.UPDATE)));
        System.out.println("  delete on write: " + describe(twoWriters(CacheAside.OnWrite.DELETE)));
        System.out.println("Race 2: R misses, loads x0 | W SoR x=x1, deletes x | R fills cache");
        System.out.println("  no leases:       " + describe(readerFillsAfterDelete(false)));
        System.out.println("  leases:          " + describe(readerFillsAfterDelete(true)));
    }
}
