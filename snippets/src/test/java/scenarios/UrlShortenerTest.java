import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link UrlShortener} to its page: unique keys under real concurrency, exact recovery of the
 * keys a dead queue lost, cache hits that skip the database, LRU eviction, a permutation that is a
 * bijection and does not leak order, 301 versus 302 click counting, aliases and expiry.
 */
class UrlShortenerTest {

    private static final byte[] SECRET = "test secret".getBytes(StandardCharsets.UTF_8);

    private static UrlShortener.ManualClock clock() {
        return new UrlShortener.ManualClock(UrlShortener.START);
    }

    @Test
    void eightWritersCreatingTenThousandLinksEachNeverShareAKey() throws Exception {
        UrlShortener.ManualClock clock = clock();
        List<UrlShortener.Writer> writers = new ArrayList<>();
        try (UrlShortener.Store store = new UrlShortener.Store("unique", 1_000, clock, Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 16, SECRET);
            UrlShortener.Run run = UrlShortener.createConcurrently(service, 8, 10_000, "none", 0, writers);
            List<String> all = new ArrayList<>();
            run.created().values().forEach(all::addAll);
            assertEquals(80_000, all.size());
            assertEquals(80_000, new HashSet<>(all).size(), "every key handed out is distinct");
            assertEquals(80_000, store.count("SELECT COUNT(*) FROM url"));
            assertEquals(80_000, store.count("SELECT COUNT(DISTINCT short_key) FROM url"));
            assertEquals(0, service.keyConflicts.get(), "no writer ever hit another writer's key");
            assertEquals(80, store.rangeClaims.get(), "one claim per 1,000 keys");
            // the ranges themselves are disjoint: 80 distinct intervals covering exactly [0, 80,000)
            assertEquals(80, store.count("SELECT COUNT(DISTINCT first_index) FROM key_range"));
            assertEquals(79_999, store.count("SELECT MAX(last_index) FROM key_range"));
        } finally {
            for (UrlShortener.Writer w : writers) {
                w.close();
            }
        }
    }

    @Test
    void reconciliationRecoversExactlyTheKeysADeadQueueLostAndNeverAUsedOne() throws Exception {
        UrlShortener.ManualClock clock = clock();
        List<UrlShortener.Writer> writers = new ArrayList<>();
        try (UrlShortener.Store store = new UrlShortener.Store("reconcile", 50, clock, Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 16, SECRET);
            UrlShortener.Run run = UrlShortener.createConcurrently(service, 4, 120, "q2", 73, writers);
            assertEquals(100 - 73, run.lost().size(), "q2 held the rest of its second range of 50");

            // Before any lease runs out, the job touches nothing, not even the finished ranges.
            assertTrue(new UrlShortener.Reconciler(store, SECRET).run().recovered().isEmpty());

            clock.advance(Duration.ofMinutes(10));
            for (UrlShortener.Writer w : writers) {
                w.queue.heartbeat();
            }
            Set<String> usedBefore = store.allKeys();
            UrlShortener.Reconciler.Result r = new UrlShortener.Reconciler(store, SECRET).run();
            assertEquals(new TreeSet<>(run.lost()), r.recovered(), "exactly the keys q2 held in memory");
            for (String k : r.recovered()) {
                assertFalse(usedBefore.contains(k), "a used key was recovered: " + k);
            }
            // finished ranges: q1, q3, q4 each 2 of 50 (120 = 50 + 50 + 20), q2 1; plus q2's live one
            assertEquals(3 * 2 + 1 + 1, r.rangesChecked());
            assertEquals(27, store.count("SELECT COUNT(*) FROM free_key"));

            assertTrue(new UrlShortener.Reconciler(store, SECRET).run().recovered().isEmpty(), "idempotent");

            // A new queue gets the recovered keys, and every one inserts without a conflict.
            UrlShortener.Writer fresh = service.writer("q9");
            writers.add(fresh);
            Set<String> reissued = new TreeSet<>();
            for (int i = 0; i < r.recovered().size(); i++) {
                reissued.add(fresh.shorten("https://example.com/again/" + i, null, 302));
            }
            assertEquals(r.recovered(), reissued);
            assertEquals(0, service.keyConflicts.get());
            assertEquals(4 * 120 - 120 + 73 + 27, store.count("SELECT COUNT(*) FROM url"));
        } finally {
            for (UrlShortener.Writer w : writers) {
                w.close();
            }
        }
    }

    @Test
    void aReissuedKeyIsCaughtByThePrimaryKeyNotStoredTwice() throws Exception {
        // A zombie queue holding a key the job already gave away: the insert fails and the writer moves on.
        UrlShortener.ManualClock clock = clock();
        try (UrlShortener.Store store = new UrlShortener.Store("zombie", 10, clock, Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 4, SECRET);
            try (UrlShortener.Writer a = service.writer("a"); java.sql.Connection other = store.connect()) {
                String first = a.shorten("https://example.com/1", null, 302);
                // Someone else already stored the key that a's queue will hand out next (index 1).
                store.insert(other, new UrlShortener.KeyCodec(SECRET, 7).key(1), "https://example.com/squatter", null, 302, false);
                String second = a.shorten("https://example.com/2", null, 302);
                assertEquals(1, service.keyConflicts.get());
                assertEquals(new UrlShortener.KeyCodec(SECRET, 7).key(0), first);
                assertEquals(new UrlShortener.KeyCodec(SECRET, 7).key(2), second);
            }
        }
    }

    @Test
    void aSecondReadIsACacheHitAndDoesNotQueryTheDatabase() throws Exception {
        UrlShortener.ManualClock clock = clock();
        try (UrlShortener.Store store = new UrlShortener.Store("hits", 10, clock, Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 2, SECRET);
            try (UrlShortener.Writer w = service.writer("w")) {
                String a = w.shorten("https://example.com/a", null, 302);
                String b = w.shorten("https://example.com/b", null, 302);
                String c = w.shorten("https://example.com/c", null, 302);

                assertEquals(new UrlShortener.Response(302, "https://example.com/a"), service.resolve(a));
                assertEquals(1, service.cache.misses());
                assertEquals(1, store.urlQueries.get());
                assertEquals(new UrlShortener.Response(302, "https://example.com/a"), service.resolve(a));
                assertEquals(1, service.cache.hits());
                assertEquals(1, store.urlQueries.get(), "a hit must not query the database");

                service.resolve(b);   // cache: b, a
                service.resolve(a);   // cache: a, b  (a is now most recent)
                service.resolve(c);   // full: evicts b, the least recently used, not a
                assertEquals(List.of(c, a), service.cache.keysByRecency());
                long queries = store.urlQueries.get();
                service.resolve(a);
                assertEquals(queries, store.urlQueries.get(), "a survived the eviction");
                service.resolve(b);
                assertEquals(queries + 1, store.urlQueries.get(), "b was evicted");
                assertEquals(new UrlShortener.Response(404, null), service.resolve("nothing"));
            }
        }
    }

    @Test
    void lruCacheMatchesAnAccessOrderedLinkedHashMapOnARandomTrace() {
        int capacity = 8;
        UrlShortener.LruCache<Integer, Integer> cache = new UrlShortener.LruCache<>(capacity);
        Map<Integer, Integer> oracle = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > capacity;
            }
        };
        Random random = new Random(42);
        long hits = 0;
        for (int i = 0; i < 20_000; i++) {
            int key = random.nextInt(20);
            Integer got = cache.get(key);
            Integer expected = oracle.get(key);
            assertEquals(expected, got);
            if (expected == null) {
                cache.put(key, i);
                oracle.put(key, i);
            } else {
                hits++;
            }
            List<Integer> mostRecentFirst = new ArrayList<>(oracle.keySet());
            java.util.Collections.reverse(mostRecentFirst);
            assertEquals(mostRecentFirst, cache.keysByRecency());
        }
        assertEquals(hits, cache.hits());
        assertEquals(20_000 - hits, cache.misses());
    }

    @Test
    void lruCacheStaysConsistentUnderConcurrentUse() throws Exception {
        UrlShortener.LruCache<Integer, Integer> cache = new UrlShortener.LruCache<>(64);
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        int k = r.nextInt(256);
                        if (cache.get(k) == null) {
                            cache.put(k, k);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(64, cache.size());
        assertEquals(64, cache.keysByRecency().size(), "list and map agree");
        assertEquals(64, new HashSet<>(cache.keysByRecency()).size());
        assertEquals((long) threads * perThread, cache.hits() + cache.misses(), "no lost counter updates");
    }

    @Test
    void thePermutationIsABijectionOnASmallKeySpace() {
        UrlShortener.KeyCodec codec = new UrlShortener.KeyCodec(SECRET, 2); // 62^2 = 3,844 keys
        Set<String> keys = new HashSet<>();
        for (long i = 0; i < codec.space; i++) {
            String k = codec.key(i);
            assertEquals(2, k.length());
            keys.add(k);
        }
        assertEquals(3_844, keys.size());
        assertThrows(IllegalArgumentException.class, () -> codec.key(codec.space));
    }

    @Test
    void consecutiveIndicesGiveUnrelatedKeys() {
        UrlShortener.KeyCodec codec = new UrlShortener.KeyCodec(SECRET, 7);
        assertEquals(3_521_614_606_208L, codec.space);
        int n = 10_000;
        int increasing = 0;
        int sharedPrefix = 0;
        String prev = codec.key(0);
        for (long i = 1; i <= n; i++) {
            String k = codec.key(i);
            assertEquals(7, k.length());
            if (k.compareTo(prev) > 0) {
                increasing++;
            }
            if (k.regionMatches(0, prev, 0, 4)) {
                sharedPrefix++;
            }
            prev = k;
        }
        // For a random order, "next key sorts after this one" is a fair coin: n/2 = 5,000, sd = 50;
        // allow 4 sd. A counter would give 10,000.
        assertTrue(Math.abs(increasing - n / 2) <= 200, "increasing pairs: " + increasing);
        // Two random keys share a 4-character prefix with probability 62^-4 (about 7e-8).
        assertEquals(0, sharedPrefix);
        // A different secret gives a different permutation.
        assertFalse(codec.key(0).equals(new UrlShortener.KeyCodec("other".getBytes(StandardCharsets.UTF_8), 7).key(0)));
    }

    @Test
    void permanentRedirectsHideRepeatClicksTemporaryOnesDoNot() throws Exception {
        try (UrlShortener.Store store = new UrlShortener.Store("redirects", 10, clock(), Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 4, SECRET);
            try (UrlShortener.Writer w = service.writer("w")) {
                String p = w.shorten("https://example.com/p", null, 301);
                String t = w.shorten("https://example.com/t", null, 302);
                UrlShortener.Browser browser = new UrlShortener.Browser(service);
                for (int i = 0; i < 5; i++) {
                    assertEquals("https://example.com/p", browser.click(p));
                    assertEquals("https://example.com/t", browser.click(t));
                }
                assertEquals(1, service.clicks(p));
                assertEquals(5, service.clicks(t));
                assertEquals(301, service.resolve(p).status());
                assertEquals(302, service.resolve(t).status());
            }
        }
    }

    @Test
    void aliasesAreFirstComeFirstServedAndCannotLookLikeGeneratedKeys() throws Exception {
        try (UrlShortener.Store store = new UrlShortener.Store("alias", 10, clock(), Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 4, SECRET);
            try (UrlShortener.Writer a = service.writer("a"); UrlShortener.Writer b = service.writer("b")) {
                assertEquals("spring-sale", a.alias("spring-sale", "https://example.com/sale", 302));
                assertEquals(409, assertThrows(UrlShortener.AliasException.class,
                        () -> b.alias("spring-sale", "https://example.com/other", 302)).status);
                assertEquals(400, assertThrows(UrlShortener.AliasException.class,
                        () -> b.alias("Spring1", "https://example.com/other", 302)).status);
                assertEquals(400, assertThrows(UrlShortener.AliasException.class,
                        () -> b.alias("a b", "https://example.com/other", 302)).status);
                assertEquals("https://example.com/sale", service.resolve("spring-sale").location());
            }
        }
    }

    @Test
    void anExpiredLinkIsGoneEvenWhenCached() throws Exception {
        UrlShortener.ManualClock clock = clock();
        try (UrlShortener.Store store = new UrlShortener.Store("expiry", 10, clock, Duration.ofMinutes(5))) {
            UrlShortener.Service service = new UrlShortener.Service(store, 4, SECRET);
            try (UrlShortener.Writer w = service.writer("w")) {
                String k = w.shorten("https://example.com/offer", Duration.ofHours(1), 302);
                assertEquals(302, service.resolve(k).status()); // now cached
                clock.advance(Duration.ofMinutes(59));
                assertEquals(302, service.resolve(k).status());
                clock.advance(Duration.ofMinutes(1));
                assertEquals(410, service.resolve(k).status());
                assertEquals(2, service.clicks(k), "the expired request is not a click");
                assertNull(service.cache.get(k), "the expired entry left the cache");
            }
        }
    }

    @Test
    void mainPrintsItsSummary() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            UrlShortener.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("links created 880, rows in url 880, distinct keys 880"), s);
        assertTrue(s.contains("ranges claimed 11, key conflicts 0"), s);
        assertTrue(s.contains("queue q4 died after 130 links holding 70 unused keys"), s);
        assertTrue(s.contains("ranges checked 8, keys checked 800, recovered 70"), s);
        assertTrue(s.contains("recovered = keys lost by q4: true; recovered and already used: 0"), s);
        assertTrue(s.contains("q5 reissued 70 recovered keys, key conflicts 0, second run recovers 0"), s);
        assertTrue(s.contains("A:miss A:hit B:miss C:miss A:hit D:miss B:miss A:hit"), s);
        assertTrue(s.contains("hits 3, misses 5, url queries 5, evictions 2"), s);
        assertTrue(s.contains("301 link: clicks counted 1; 302 link: clicks counted 3"), s);
        assertTrue(s.contains("alias spring-sale -> 409"), s);
        assertTrue(s.contains("alias Spring1 -> 400"), s);
        assertTrue(s.contains("link with a 1-day expiry: 302 before, 410 after"), s);
    }
}
