import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link CachePlacement} to its claims: each layer only ever removes load, the served counts add
 * up, a read a client cache serves never reaches the shared cache, entries expire on the injected
 * clock exactly when RFC 9111 says a response stops being fresh, a single layer agrees with Guava's
 * cache on long random traces, stacked TTLs bound staleness as the page says, and every statement
 * the page makes about the printed table holds.
 */
class CachePlacementTest {

    private static final long T1 = CachePlacement.CLIENT_TTL;
    private static final long T2 = CachePlacement.SHARED_TTL;

    private static List<CachePlacement.Result> results;

    @BeforeAll
    static void replayThePageTrace() {
        List<CachePlacement.Event> trace = CachePlacement.trace();
        results = new ArrayList<>();
        for (CachePlacement.Placement placement : CachePlacement.PLACEMENTS) {
            results.add(CachePlacement.replay(placement, trace));
        }
    }

    private static CachePlacement.Result result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static CachePlacement.Result noCache() {
        return result("no cache");
    }

    private static CachePlacement.Result clientOnly() {
        return result("client caches only");
    }

    private static CachePlacement.Result sharedOnly() {
        return result("shared cache only");
    }

    private static CachePlacement.Result both() {
        return result("client + shared");
    }

    private static CachePlacement.Result withAge() {
        return result("client + shared, Age");
    }

    /** A source that counts the reads passing through it, placed between two layers. */
    private static final class CountingSource implements CachePlacement.Source {
        private final CachePlacement.Source next;
        long reads;

        CountingSource(CachePlacement.Source next) {
            this.next = next;
        }

        @Override
        public CachePlacement.Versioned read(String key) {
            reads++;
            return next.read(key);
        }
    }

    /* --------------- One layer, by hand --------------- */

    @Test
    void anEntryIsFreshWhileItsAgeIsBelowTheTtlAndFetchedAgainAfter() {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache cache = new CachePlacement.TtlCache(sor, clock, 10, 100, false);
        cache.read("a");
        assertEquals(1, sor.reads(), "a first read is a miss");
        clock.set(99);
        cache.read("a");
        assertEquals(1, sor.reads(), "age 99 < TTL 100: still fresh");
        clock.set(100);
        cache.read("a");
        assertEquals(2, sor.reads(), "age 100 = TTL: stale (RFC 9111: fresh only while lifetime > age), so fetched again");
        clock.set(199);
        cache.read("a");
        assertEquals(2, sor.reads(), "the re-fetched copy is fresh for another TTL from when it was stored");
        assertEquals(2, cache.hits());
        assertEquals(2, cache.misses());
    }

    @Test
    void anExpiredEntryComesBackWithTheNewValue() {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache cache = new CachePlacement.TtlCache(sor, clock, 10, 100, false);
        assertEquals(0, cache.read("a").version());
        clock.set(10);
        sor.write("a");
        clock.set(50);
        assertEquals(0, cache.read("a").version(), "no invalidation: the old copy is served until it expires");
        clock.set(100);
        assertEquals(1, cache.read("a").version(), "after expiry the read goes through and gets the new version");
    }

    @Test
    void aFullCacheEvictsItsLeastRecentlyUsedEntry() {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache cache = new CachePlacement.TtlCache(sor, clock, 2, 1_000_000, false);
        cache.read("a");
        cache.read("b");
        cache.read("a");        // a is now more recent than b
        cache.read("c");        // full: b goes
        assertEquals(2, cache.size());
        assertEquals(3, sor.reads());
        cache.read("a");
        assertEquals(3, sor.reads(), "a stayed");
        cache.read("b");
        assertEquals(4, sor.reads(), "b was evicted");
    }

    @Test
    void capacityAndTtlMustBePositive() {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        assertThrows(IllegalArgumentException.class, () -> new CachePlacement.TtlCache(sor, clock, 0, 10, false));
        assertThrows(IllegalArgumentException.class, () -> new CachePlacement.TtlCache(sor, clock, 10, 0, false));
    }

    /* --------------- Two layers, by hand --------------- */

    @Test
    void aReadServedByAClientCacheNeverReachesTheSharedCache() {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache shared = new CachePlacement.TtlCache(sor, clock, 10, 1_000, false);
        CountingSource toShared = new CountingSource(shared);
        CachePlacement.TtlCache alice = new CachePlacement.TtlCache(toShared, clock, 10, 1_000, false);
        CachePlacement.TtlCache bob = new CachePlacement.TtlCache(toShared, clock, 10, 1_000, false);

        alice.read("a");        // misses everywhere
        alice.read("a");        // alice's own cache
        alice.read("a");
        assertEquals(1, toShared.reads, "only alice's first read went past her cache");
        assertEquals(1, sor.reads());

        bob.read("a");          // bob's cache is cold, the shared one is not
        assertEquals(2, toShared.reads);
        assertEquals(1, shared.hits());
        assertEquals(1, sor.reads(), "the shared cache served bob from alice's fetch");
    }

    @Test
    void stackedLayersThatRestartTheClockServeAValueForNearlyBothTtlsAfterAWrite() {
        long staleness = servedStalenessOfTheWorstCase(false);
        assertEquals(T2 + T1 - 3, staleness, "the client's copy came from a shared copy about to expire");
        assertTrue(staleness > Math.max(T1, T2));
        assertTrue(staleness < T1 + T2);
    }

    @Test
    void layersThatCountAgeFromTheOriginNeverServeThatValue() {
        assertEquals(-1, servedStalenessOfTheWorstCase(true),
                "the client sees that the copy is already older than its TTL and asks again");
    }

    /**
     * The worst case for two layers: the shared cache fetches at 0, the value changes at 1, a client
     * fetches from the shared cache at T2 - 1 (the shared copy's last fresh moment) and reads again at
     * T2 + T1 - 2. Returns how long ago the value served then was replaced, or -1 if it is current.
     */
    private static long servedStalenessOfTheWorstCase(boolean ageFromOrigin) {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache shared = new CachePlacement.TtlCache(sor, clock, 10, T2, ageFromOrigin);
        CachePlacement.TtlCache client = new CachePlacement.TtlCache(shared, clock, 10, T1, ageFromOrigin);
        shared.read("a");
        clock.set(1);
        sor.write("a");
        clock.set(T2 - 1);
        client.read("a");
        clock.set(T2 + T1 - 2);
        CachePlacement.Versioned served = client.read("a");
        if (served.version() == sor.version("a")) {
            return -1;
        }
        return clock.millis() - 1;
    }

    /* --------------- One layer against Guava --------------- */

    /** Replays reads at random times through TtlCache and Guava's cache; returns how many hits they disagree on. */
    private static int disagreements(int capacity, long ttl, long seed) {
        CachePlacement.ManualTicker clock = new CachePlacement.ManualTicker();
        CachePlacement.SystemOfRecord sor = new CachePlacement.SystemOfRecord(clock);
        CachePlacement.TtlCache ours = new CachePlacement.TtlCache(sor, clock, capacity, ttl, false);
        Ticker guavaTicker = new Ticker() {
            @Override
            public long read() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }
        };
        // One segment makes Guava's size bound an exact LRU; expireAfterWrite counts from the last load.
        Cache<String, Boolean> guava = CacheBuilder.newBuilder().concurrencyLevel(1).maximumSize(capacity)
                .expireAfterWrite(Duration.ofMillis(ttl)).ticker(guavaTicker).build();
        Random random = new Random(seed);
        int disagreements = 0;
        long now = 0;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(20);
            clock.set(now);
            String key = "k" + (random.nextBoolean() ? random.nextInt(20) : random.nextInt(400));
            long before = sor.reads();
            ours.read(key);
            boolean ourHit = sor.reads() == before;
            boolean guavaHit = guava.getIfPresent(key) != null;
            if (!guavaHit) {
                guava.put(key, Boolean.TRUE);
            }
            if (ourHit != guavaHit) {
                disagreements++;
            }
        }
        return disagreements;
    }

    @Test
    void withoutExpiryTheLayerIsExactlyLruLikeGuavasSizeBoundedCache() {
        for (long seed = 1; seed <= 3; seed++) {
            assertEquals(0, disagreements(50, Long.MAX_VALUE / 2_000_000, seed));
        }
    }

    @Test
    void withoutEvictionTheLayerExpiresExactlyLikeGuavasExpireAfterWrite() {
        for (long seed = 1; seed <= 3; seed++) {
            assertEquals(0, disagreements(10_000, 500, seed));
        }
    }

    /* --------------- Invariants on the page's trace --------------- */

    @Test
    void everyReadIsServedByExactlyOneLayer() {
        for (CachePlacement.Result r : results) {
            assertEquals(CachePlacement.READS, r.reads(), r.name());
            assertEquals(r.reads(), r.servedByClients() + r.servedByShared() + r.sorReads(), r.name());
        }
    }

    @Test
    void withoutACacheEveryReadReachesTheSystemOfRecordAndNoneIsStale() {
        assertEquals(CachePlacement.READS, noCache().sorReads());
        assertEquals(0, noCache().staleReads());
    }

    @Test
    void eachLayerOnlyRemovesLoad() {
        for (CachePlacement.Result r : results) {
            assertTrue(r.sorReads() <= noCache().sorReads(), r.name());
            assertTrue(r.sharedLookups() <= r.reads(), r.name());
            assertTrue(r.sorReads() <= r.sharedLookups(), r.name() + ": the shared layer passes on at most what reaches it");
            assertTrue(r.servedByClients() >= 0 && r.servedByShared() >= 0, r.name());
        }
        assertTrue(clientOnly().sorReads() < noCache().sorReads());
        assertTrue(sharedOnly().sorReads() < noCache().sorReads());
        assertTrue(both().sorReads() < clientOnly().sorReads(), "a shared layer behind the client caches removes more");
        assertTrue(both().sharedLookups() < sharedOnly().sharedLookups(), "client caches in front take load off the shared layer");
    }

    @Test
    void theClientCachesServeTheSameReadsWhateverSitsBehindThem() {
        // Same trace, same client caches, no Age: what lies behind a client cache never changes its hits.
        assertEquals(clientOnly().servedByClients(), both().servedByClients());
    }

    @Test
    void staleReadsAreServedOnlyWithinTheBoundEachPlacementGives() {
        assertTrue(clientOnly().worstStaleMillis() < T1);
        assertTrue(sharedOnly().worstStaleMillis() < T2);
        assertTrue(both().worstStaleMillis() < T1 + T2);
        assertTrue(withAge().worstStaleMillis() < Math.max(T1, T2));
    }

    /* --------------- The statements the page makes about the output --------------- */

    @Test
    void pageClientCachesAloneRemoveLessLoadThanTheSharedCacheAlone() {
        assertTrue(clientOnly().sorReads() > sharedOnly().sorReads());
        assertTrue(clientOnly().staleReads() < sharedOnly().staleReads(), "shorter TTL, fewer stale reads");
    }

    @Test
    void pageAddingClientCachesCutsSharedTrafficButBarelyChangesTheSystemOfRecordLoad() {
        assertTrue(both().sharedLookups() < sharedOnly().sharedLookups());
        // "Barely": the difference is under 1% of all reads. The last layer's capacity and TTL set the
        // load on the system of record; the client caches only change which layer serves the hits.
        assertTrue(Math.abs(both().sorReads() - sharedOnly().sorReads()) < CachePlacement.READS / 100);
    }

    @Test
    void pageStackedTtlsServeMoreStaleReadsAndStalerOnesThanEitherLayerAlone() {
        assertTrue(both().staleReads() > sharedOnly().staleReads());
        assertTrue(both().staleReads() > clientOnly().staleReads());
        assertTrue(both().worstStaleMillis() > T2, "worse than the shared TTL alone allows");
        assertTrue(both().worstStaleMillis() > T1);
    }

    @Test
    void pageCountingAgeFromTheOriginBoundsStalenessButCostsClientHits() {
        assertTrue(withAge().worstStaleMillis() < both().worstStaleMillis());
        assertTrue(withAge().worstStaleMillis() < T2);
        assertTrue(withAge().staleReads() < both().staleReads());
        // "Far fewer": less than half. Copies arrive from the shared cache already old, so the shorter
        // client TTL has mostly run out before the client cache could serve them again.
        assertTrue(2 * withAge().servedByClients() < both().servedByClients());
        assertNotEquals(0, withAge().servedByClients());
    }

    @Test
    void pageTheFirstSecondIsTheBusiestAndTheLoadRisesAgainOneSharedTtlLater() {
        long[] perSecond = both().sorReadsPerSecond();
        for (int second = 1; second < perSecond.length; second++) {
            assertTrue(perSecond[0] > perSecond[second], "cold start: second 0 vs second " + second);
        }
        assertTrue(perSecond[0] > both().steadySorReadsPerSecond());
        int ttlSeconds = (int) (T2 / 1000);
        long beforeExpiry = 0;
        for (int second = ttlSeconds / 2; second < ttlSeconds; second++) {
            beforeExpiry = Math.max(beforeExpiry, perSecond[second]);
        }
        long atExpiry = Math.max(perSecond[ttlSeconds], perSecond[ttlSeconds + 1]);
        assertTrue(atExpiry > beforeExpiry, "entries fetched together at the start expire together");
    }

    @Test
    void theReplayIsDeterministic() {
        CachePlacement.Result again = CachePlacement.replay(CachePlacement.PLACEMENTS.get(3), CachePlacement.trace());
        assertEquals(both().sorReads(), again.sorReads());
        assertEquals(both().staleReads(), again.staleReads());
        assertEquals(both().worstStaleMillis(), again.worstStaleMillis());
    }
}
