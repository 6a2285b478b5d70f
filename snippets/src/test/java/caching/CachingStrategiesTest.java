import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.CacheStats;
import com.google.common.cache.LoadingCache;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link CachingStrategies} to what its page says: the exact traffic of every strategy on the
 * workload (worked out by hand below), the stale reads of write-around without invalidation, the
 * writes write-behind loses in a crash and keeps with a flush, and the two cache-aside races with
 * their fixes. Seeded random workloads check the general properties, with Guava's LoadingCache as
 * an oracle for read-through's hit and miss counts.
 */
class CachingStrategiesTest {

    private static CachingStrategies.Traffic replay(int index) {
        return CachingStrategies.replay(CachingStrategies.STRATEGIES.get(index), CachingStrategies.WORKLOAD);
    }

    private static void assertTraffic(CachingStrategies.Traffic t, String name, long sorReads, long sorWrites,
                                      long hits, long misses, long stale, int cached) {
        assertEquals(name, t.strategy());
        assertEquals(sorReads, t.sorReads(), name + ": SoR reads");
        assertEquals(sorWrites, t.sorWrites(), name + ": SoR writes");
        assertEquals(hits, t.hits(), name + ": cache hits");
        assertEquals(misses, t.misses(), name + ": cache misses");
        assertEquals(stale, t.staleReads(), name + ": stale reads");
        assertEquals(cached, t.cachedKeys(), name + ": keys in the cache at the end");
    }

    /* --------------- The workload, by hand --------------- */

    // Workload: r a, r a, w a=a1, r a, w b=b1, w c=c1, w c=c2, w c=c3, r c, r a; SoR starts a0 b0 c0.

    @Test
    void cacheAsideLoadsEachKeyAfterEveryWriteToIt() {
        // misses: first r a, r a after w a, r c; hits: second r a, last r a. Every write reaches the SoR.
        // The cache ends with a and c; b was written, deleted, never read.
        assertTraffic(replay(0), "cache-aside", 3, 5, 2, 3, 0, 2);
    }

    @Test
    void readThroughCausesTheSameTrafficAsCacheAside() {
        CachingStrategies.Traffic cacheAside = replay(0);
        CachingStrategies.Traffic readThrough = replay(1);
        assertTraffic(readThrough, "read-through", 3, 5, 2, 3, 0, 2);
        assertEquals(List.of(cacheAside.sorReads(), cacheAside.sorWrites(), cacheAside.hits(), cacheAside.misses()),
                List.of(readThrough.sorReads(), readThrough.sorWrites(), readThrough.hits(), readThrough.misses()));
    }

    @Test
    void writeThroughReadsTheSorOnceAndCachesEveryWrittenKey() {
        // Only the first r a misses; every later read finds the value the write put in the cache.
        // b is cached although nobody reads it.
        assertTraffic(replay(2), "write-through", 1, 5, 4, 1, 0, 3);
    }

    @Test
    void writeBehindCoalescesFiveWritesIntoOneSorWritePerKey() {
        // Same reads as write-through; at the flush the queue holds a=a1, b=b1, c=c3: three SoR writes.
        assertTraffic(replay(3), "write-behind", 1, 3, 4, 1, 0, 3);
    }

    @Test
    void writeAroundWithoutInvalidationServesTheOldCopyTwice() {
        // a0 stays cached after w a=a1, so r a (4th op) and r a (last op) return a0: two stale hits.
        // c was never cached, so r c misses and loads c3.
        assertTraffic(replay(4), "write-around", 2, 5, 3, 2, 2, 2);
    }

    @Test
    void writeAroundWithInvalidationIsCacheAsidesWritePath() {
        assertTraffic(replay(5), "write-around, invalidating", 3, 5, 2, 3, 0, 2);
    }

    @Test
    void theStaleReadsAreTheOldValueOfA() {
        CachingStrategies.Cache cache = new CachingStrategies.Cache();
        CachingStrategies.SystemOfRecord sor = new CachingStrategies.SystemOfRecord(CachingStrategies.INITIAL_ROWS);
        CachingStrategies.Strategy writeAround = new CachingStrategies.WriteAround(cache, sor, false);
        List<String> reads = new ArrayList<>();
        for (CachingStrategies.Op op : CachingStrategies.WORKLOAD) {
            if (op.isRead()) {
                reads.add(op.key() + "=" + writeAround.read(op.key()));
            } else {
                writeAround.write(op.key(), op.value());
            }
        }
        assertEquals(List.of("a=a0", "a=a0", "a=a0", "c=c3", "a=a0"), reads);
        assertEquals("a1", sor.snapshot().get("a"), "the SoR has the new value all along");
        assertEquals("a0", cache.peek("a"), "the cache never learns of it");
    }

    @Test
    void writeBehindWritesNothingToTheSorUntilTheFlush() {
        CachingStrategies.Cache cache = new CachingStrategies.Cache();
        CachingStrategies.SystemOfRecord sor = new CachingStrategies.SystemOfRecord(CachingStrategies.INITIAL_ROWS);
        CachingStrategies.WriteBehind writeBehind = new CachingStrategies.WriteBehind(cache, sor);
        writeBehind.write("c", "c1");
        writeBehind.write("c", "c2");
        assertEquals(0, sor.writes());
        assertEquals("c0", sor.snapshot().get("c"), "the SoR is behind");
        assertEquals("c2", writeBehind.read("c"), "readers through the cache see the new value");
        assertEquals(1, writeBehind.queued(), "two writes to one key queue one entry");
        writeBehind.flush();
        assertEquals(1, sor.writes());
        assertEquals("c2", sor.snapshot().get("c"));
        assertEquals(0, writeBehind.queued());
    }

    /* --------------- Write-behind crash --------------- */

    @Test
    void aCrashBeforeTheFlushLosesEveryQueuedWrite() {
        CachingStrategies.Crash crash = CachingStrategies.crashWriteBehind(false);
        assertEquals(5, crash.writesAccepted());
        assertEquals(3, crash.keysQueued());
        assertEquals(Map.of("a", "a1", "b", "b1", "c", "c3"), crash.lost());
        assertEquals(new TreeMap<>(CachingStrategies.INITIAL_ROWS), crash.sorAfter(),
                "the SoR still holds the values from before the five writes");
    }

    @Test
    void aFlushBeforeTheCrashLosesNothing() {
        CachingStrategies.Crash crash = CachingStrategies.crashWriteBehind(true);
        assertEquals(5, crash.writesAccepted());
        assertEquals(3, crash.keysQueued());
        assertTrue(crash.lost().isEmpty());
        assertEquals(Map.of("a", "a1", "b", "b1", "c", "c3"), crash.sorAfter());
    }

    @Test
    void afterACrashTheCacheIsEmptyAndReadsReloadFromTheSor() {
        CachingStrategies.Cache cache = new CachingStrategies.Cache();
        CachingStrategies.SystemOfRecord sor = new CachingStrategies.SystemOfRecord(CachingStrategies.INITIAL_ROWS);
        CachingStrategies.WriteBehind writeBehind = new CachingStrategies.WriteBehind(cache, sor);
        writeBehind.write("a", "a1");
        assertEquals("a1", writeBehind.read("a"));
        writeBehind.crash();
        assertEquals(0, cache.size());
        assertEquals("a0", writeBehind.read("a"), "the acknowledged write is gone");
        writeBehind.flush();
        assertEquals(0, sor.writes(), "and no later flush brings it back");
        assertEquals("a0", sor.snapshot().get("a"));
    }

    /* --------------- Races --------------- */

    // The interleavings are forced with latches, so each test sees the same order on every run;
    // repeating them checks that nothing else (scheduling, a stray wait) decides the outcome.

    @RepeatedTest(20)
    void writersThatUpdateTheCacheCanLeaveTheOlderValueThere() {
        CachingStrategies.RaceResult result = CachingStrategies.twoWriters(CachingStrategies.CacheAside.OnWrite.UPDATE);
        assertEquals("x2", result.sor());
        assertEquals("x1", result.cached());
        assertEquals("x1", result.nextRead());
        assertTrue(result.stale());
    }

    @RepeatedTest(20)
    void writersThatDeleteLeaveNothingStaleInTheSameInterleaving() {
        CachingStrategies.RaceResult result = CachingStrategies.twoWriters(CachingStrategies.CacheAside.OnWrite.DELETE);
        assertEquals("x2", result.sor());
        assertNull(result.cached());
        assertEquals("x2", result.nextRead());
        assertFalse(result.stale());
    }

    @RepeatedTest(20)
    void aReaderCanFillTheCacheWithAValueLoadedBeforeADelete() {
        CachingStrategies.RaceResult result = CachingStrategies.readerFillsAfterDelete(false);
        assertEquals("x1", result.sor());
        assertEquals("x0", result.cached());
        assertEquals("x0", result.nextRead());
        assertTrue(result.stale());
    }

    @RepeatedTest(20)
    void aLeaseVoidedByTheDeleteRefusesThatFill() {
        CachingStrategies.RaceResult result = CachingStrategies.readerFillsAfterDelete(true);
        assertEquals("x1", result.sor());
        assertNull(result.cached());
        assertEquals("x1", result.nextRead());
        assertFalse(result.stale());
    }

    @Test
    void aLeaseFillsOnceAndOnlyIfNoDeleteCameFirst() {
        CachingStrategies.Cache cache = new CachingStrategies.Cache();
        CachingStrategies.Lookup first = cache.getOrLease("k");
        assertNull(first.value());
        assertTrue(cache.putWithLease("k", "v1", first.lease()));
        assertFalse(cache.putWithLease("k", "v2", first.lease()), "a lease is good for one fill");
        assertEquals("v1", cache.getOrLease("k").value());

        cache.delete("k");
        CachingStrategies.Lookup second = cache.getOrLease("k");
        cache.delete("k");                                    // a writer's delete lands before the fill
        assertFalse(cache.putWithLease("k", "old", second.lease()));
        assertNull(cache.peek("k"));

        CachingStrategies.Lookup third = cache.getOrLease("k");
        CachingStrategies.Lookup fourth = cache.getOrLease("k");
        assertFalse(cache.putWithLease("k", "late", third.lease()), "a newer lease replaces an older one");
        assertTrue(cache.putWithLease("k", "new", fourth.lease()));
    }

    /* --------------- Seeded random workloads --------------- */

    private static List<CachingStrategies.Op> randomWorkload(long seed) {
        Random random = new Random(seed);
        List<String> keys = List.of("a", "b", "c", "d", "e");
        List<CachingStrategies.Op> ops = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = keys.get(random.nextInt(keys.size()));
            ops.add(random.nextInt(3) == 0 ? CachingStrategies.Op.write(key, key + i) : CachingStrategies.Op.read(key));
        }
        return ops;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void onOneThreadOnlyWriteAroundWithoutInvalidationReadsStaleData(long seed) {
        List<CachingStrategies.Op> ops = randomWorkload(seed);
        long reads = ops.stream().filter(CachingStrategies.Op::isRead).count();
        long writes = ops.size() - reads;
        Set<String> writtenKeys = new HashSet<>();
        ops.stream().filter(op -> !op.isRead()).forEach(op -> writtenKeys.add(op.key()));

        List<CachingStrategies.Traffic> traffic = new ArrayList<>();
        for (CachingStrategies.Factory factory : CachingStrategies.STRATEGIES) {
            traffic.add(CachingStrategies.replay(factory, ops));   // replay also checks the SoR after a flush
        }
        for (CachingStrategies.Traffic t : traffic) {
            assertEquals(reads, t.hits() + t.misses(), t.strategy() + ": one lookup per read");
            assertEquals(t.misses(), t.sorReads(), t.strategy() + ": every miss, and only a miss, reads the SoR");
            if (!t.strategy().equals("write-around")) {
                assertEquals(0, t.staleReads(), t.strategy());
            }
        }
        assertEquals(traffic.get(0).misses(), traffic.get(1).misses(), "cache-aside and read-through");
        assertEquals(traffic.get(0).misses(), traffic.get(5).misses(), "cache-aside and write-around, invalidating");
        assertEquals(writes, traffic.get(0).sorWrites());
        assertEquals(writes, traffic.get(2).sorWrites(), "write-through writes the SoR on every write");
        assertEquals(writtenKeys.size(), traffic.get(3).sorWrites(), "write-behind: one SoR write per key at the flush");
        assertEquals(traffic.get(2).sorReads(), traffic.get(3).sorReads(), "write-through and write-behind read alike");
        assertTrue(traffic.get(2).sorReads() <= traffic.get(0).sorReads(),
                "a write that fills the cache never causes a miss that a delete would have avoided");
        assertTrue(traffic.get(4).staleReads() > 0, "with 200 operations on 5 keys some cached copy outlives a write");
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void readThroughHitsAndMissesMatchGuavasLoadingCache(long seed) {
        List<CachingStrategies.Op> ops = randomWorkload(seed);
        Map<String, String> guavaRows = new HashMap<>(CachingStrategies.INITIAL_ROWS);
        List.of("d", "e").forEach(k -> guavaRows.put(k, k + "-initial"));
        Map<String, String> ourRows = new HashMap<>(guavaRows);

        LoadingCache<String, String> guava = CacheBuilder.newBuilder().recordStats()
                .build(CacheLoader.from(guavaRows::get));
        CachingStrategies.Cache cache = new CachingStrategies.Cache();
        CachingStrategies.SystemOfRecord sor = new CachingStrategies.SystemOfRecord(ourRows);
        CachingStrategies.ReadThrough readThrough = new CachingStrategies.ReadThrough(cache, sor);

        for (CachingStrategies.Op op : ops) {
            if (op.isRead()) {
                assertEquals(guava.getUnchecked(op.key()), readThrough.read(op.key()));
            } else {
                guavaRows.put(op.key(), op.value());
                guava.invalidate(op.key());
                readThrough.write(op.key(), op.value());
            }
        }
        CacheStats stats = guava.stats();
        assertEquals(stats.hitCount(), cache.hits());
        assertEquals(stats.missCount(), cache.misses());
        assertEquals(stats.loadCount(), sor.reads());
    }
}
