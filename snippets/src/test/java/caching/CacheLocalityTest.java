import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link CacheLocality} to its claims: exact counts on hand-worked traces, agreement with a naive
 * reference model on random traces, and the relationships between hit ratios, traffic and waste that
 * the page describes for the temporal and the spatial trace.
 */
class CacheLocalityTest {

    private static final CacheLocality.Prefetch NONE = CacheLocality.Prefetch.NONE;
    private static final CacheLocality.Prefetch ON_MISS = CacheLocality.Prefetch.ON_MISS;
    private static final CacheLocality.Prefetch TAGGED = CacheLocality.Prefetch.TAGGED;

    private static CacheLocality.Stats run(int capacityWords, int blockWords, CacheLocality.Prefetch prefetch,
                                           int... trace) {
        return CacheLocality.replay(new CacheLocality.BlockCache(capacityWords, blockWords, prefetch), trace);
    }

    private static int[] sequential(int from, int count) {
        int[] trace = new int[count];
        for (int i = 0; i < count; i++) {
            trace[i] = from + i;
        }
        return trace;
    }

    /* --------------- Hand-worked traces --------------- */

    @Test
    void aMissFetchesTheWholeAlignedBlockAndNothingElse() {
        CacheLocality.BlockCache cache = new CacheLocality.BlockCache(16, 4, NONE);
        assertFalse(cache.read(5));
        for (int address = 4; address <= 7; address++) {
            assertTrue(cache.isResident(address), "word " + address + " shares block 1 with word 5");
        }
        assertFalse(cache.isResident(3));
        assertFalse(cache.isResident(8));
        assertTrue(cache.read(4), "a neighbour in the same block hits");
        assertEquals(new CacheLocality.Stats(1, 1, 4, 2), cache.stats());
    }

    @Test
    void prefetchOnMissAlsoFetchesTheNextBlock() {
        CacheLocality.BlockCache cache = new CacheLocality.BlockCache(16, 4, ON_MISS);
        cache.read(5);
        assertTrue(cache.isResident(8) && cache.isResident(11));
        assertFalse(cache.isResident(12));
        assertEquals(8, cache.stats().wordsFetched());
    }

    @Test
    void aPrefetchOfAResidentBlockFetchesNothing() {
        // 2 misses: block 1 (prefetching block 2), then block 0, whose next block 1 is already resident.
        assertEquals(new CacheLocality.Stats(0, 2, 6, 4), run(8, 2, ON_MISS, 2, 0));
    }

    @Test
    void blocksOfTwoHalveTheMissesOfAPairwiseTraceAndPrefetchHalvesThemAgain() {
        // 0 1 2 3 0 1, two blocks of two words.
        assertEquals(new CacheLocality.Stats(2, 4, 4, 0), run(4, 1, NONE, 0, 1, 2, 3, 0, 1));
        assertEquals(new CacheLocality.Stats(4, 2, 4, 0), run(4, 2, NONE, 0, 1, 2, 3, 0, 1));
        assertEquals(new CacheLocality.Stats(5, 1, 4, 0), run(4, 2, ON_MISS, 0, 1, 2, 3, 0, 1));
    }

    @Test
    void aSequentialScanMissesOncePerBlockOncePerTwoBlocksOrOnceInAll() {
        int[] scan = sequential(0, 16);
        assertEquals(new CacheLocality.Stats(0, 16, 16, 0), run(4, 1, NONE, scan));
        assertEquals(new CacheLocality.Stats(8, 8, 16, 0), run(4, 2, NONE, scan));
        // Misses at 0, 4, 8 and 12: each fetches its block and prefetches the one after.
        assertEquals(new CacheLocality.Stats(12, 4, 16, 0), run(4, 2, ON_MISS, scan));
        // One miss; each first read of a prefetched block prefetches the next, so the last prefetch
        // (words 16 and 17) is never read.
        assertEquals(new CacheLocality.Stats(15, 1, 18, 2), run(4, 2, TAGGED, scan));
        assertEquals(new CacheLocality.Stats(15, 1, 17, 1), run(4, 1, TAGGED, scan));
    }

    @Test
    void onALongScanTheMissesAreExactlyNOverBNOverTwoBAndOne() {
        int n = 4_096;
        int b = CacheLocality.BLOCK_WORDS;
        int[] scan = sequential(0, n);
        int capacity = CacheLocality.CAPACITY_WORDS;
        assertEquals(n, run(capacity, 1, NONE, scan).misses());
        assertEquals(n / b, run(capacity, b, NONE, scan).misses());
        assertEquals(n / (2 * b), run(capacity, b, ON_MISS, scan).misses());
        assertEquals(1, run(capacity, b, TAGGED, scan).misses());
    }

    @Test
    void scatteredReuseGainsNothingFromBlocksAndLosesToPrefetch() {
        // Three words in different blocks, read twice; capacity four words.
        int[] trace = {0, 100, 200, 0, 100, 200};
        assertEquals(new CacheLocality.Stats(3, 3, 3, 0), run(4, 1, NONE, trace));
        // Two blocks of two words cannot hold three hot blocks: LRU misses every time.
        assertEquals(new CacheLocality.Stats(0, 6, 12, 6), run(4, 2, NONE, trace));
        // Prefetch doubles the traffic and every prefetched word is wasted.
        assertEquals(new CacheLocality.Stats(0, 6, 24, 18), run(4, 2, ON_MISS, trace));
        assertEquals(new CacheLocality.Stats(0, 6, 24, 18), run(4, 2, TAGGED, trace));
    }

    @Test
    void taggedPrefetchFiresOnTheFirstReadOfAPrefetchedBlockOnly() {
        // Blocks of one word, capacity eight: 0 misses and prefetches 1; reading 1 prefetches 2 under
        // TAGGED only; reading 1 again prefetches nothing more.
        CacheLocality.BlockCache tagged = new CacheLocality.BlockCache(8, 1, TAGGED);
        tagged.read(0);
        tagged.read(1);
        assertTrue(tagged.isResident(2));
        tagged.read(1);
        assertFalse(tagged.isResident(3));
        CacheLocality.BlockCache onMiss = new CacheLocality.BlockCache(8, 1, ON_MISS);
        onMiss.read(0);
        onMiss.read(1);
        assertFalse(onMiss.isResident(2));
        // A demand-fetched block that is read again does not fire either.
        CacheLocality.BlockCache demand = new CacheLocality.BlockCache(8, 1, TAGGED);
        demand.read(5);
        demand.read(5);
        assertEquals(2, demand.stats().wordsFetched(), "only 5 and, by the miss, 6 are fetched");
        assertFalse(demand.isResident(7));
    }

    @Test
    void lruEvictsTheLeastRecentlyReadBlock() {
        CacheLocality.BlockCache cache = new CacheLocality.BlockCache(4, 2, NONE);
        cache.read(0);      // block 0
        cache.read(2);      // block 1
        cache.read(1);      // block 0 is now the most recent
        cache.read(4);      // block 2 evicts block 1
        assertTrue(cache.isResident(0));
        assertFalse(cache.isResident(2));
        assertTrue(cache.isResident(5));
    }

    @Test
    void rejectsConfigurationsItCannotHonour() {
        assertThrows(IllegalArgumentException.class, () -> new CacheLocality.BlockCache(64, 0, NONE));
        assertThrows(IllegalArgumentException.class, () -> new CacheLocality.BlockCache(256, 128, NONE));
        assertThrows(IllegalArgumentException.class, () -> new CacheLocality.BlockCache(60, 8, NONE));
        assertThrows(IllegalArgumentException.class, () -> new CacheLocality.BlockCache(8, 8, ON_MISS));
        new CacheLocality.BlockCache(8, 8, NONE);
    }

    @Test
    void workingSetCountsDistinctItemsPerWindow() {
        int[] trace = {0, 1, 0, 1, 2};
        // Windows of two: {0,1} {1,0} {0,1} {1,2}.
        assertEquals(2.0, CacheLocality.averageWorkingSet(trace, 2, 1), 1e-12);
        // In blocks of two: {b0} {b0} {b0} {b0,b1}.
        assertEquals(1.25, CacheLocality.averageWorkingSet(trace, 2, 2), 1e-12);
        // A window as long as the trace holds everything once.
        assertEquals(3.0, CacheLocality.averageWorkingSet(trace, 5, 1), 1e-12);
    }

    /* --------------- Agreement with a naive reference --------------- */

    /**
     * A list-based model of the same cache, written without LinkedHashMap: index 0 is the least
     * recently used block; a set remembers which resident blocks were prefetched and not yet read.
     */
    private static CacheLocality.Stats reference(int capacityWords, int blockWords, CacheLocality.Prefetch prefetch,
                                                 int[] trace) {
        int capacityBlocks = capacityWords / blockWords;
        List<Integer> lru = new ArrayList<>();
        Set<Integer> unreadPrefetched = new HashSet<>();
        Map<Integer, Set<Integer>> readWords = new HashMap<>();
        long hits = 0;
        long misses = 0;
        long fetched = 0;
        long neverRead = 0;
        for (int address : trace) {
            int block = Math.floorDiv(address, blockWords);
            boolean prefetchNext;
            if (lru.remove(Integer.valueOf(block))) {
                hits++;
                lru.add(block);
                prefetchNext = prefetch == TAGGED && unreadPrefetched.remove(block);
            } else {
                misses++;
                if (lru.size() == capacityBlocks) {
                    int victim = lru.remove(0);
                    neverRead += blockWords - readWords.remove(victim).size();
                    unreadPrefetched.remove(victim);
                }
                lru.add(block);
                readWords.put(block, new HashSet<>());
                fetched += blockWords;
                prefetchNext = prefetch != NONE;
            }
            readWords.get(block).add(address);
            if (prefetchNext && !lru.contains(block + 1)) {
                if (lru.size() == capacityBlocks) {
                    int victim = lru.remove(0);
                    neverRead += blockWords - readWords.remove(victim).size();
                    unreadPrefetched.remove(victim);
                }
                lru.add(block + 1);
                readWords.put(block + 1, new HashSet<>());
                unreadPrefetched.add(block + 1);
                fetched += blockWords;
            }
        }
        for (Set<Integer> words : readWords.values()) {
            neverRead += blockWords - words.size();
        }
        return new CacheLocality.Stats(hits, misses, fetched, neverRead);
    }

    /** Short runs and scattered reuse mixed over a small address range, so blocks collide often. */
    private static int[] mixedTrace(long seed, int length) {
        Random random = new Random(seed);
        int[] trace = new int[length];
        int i = 0;
        while (i < length) {
            if (random.nextBoolean()) {
                int start = random.nextInt(300);
                for (int k = 0, run = 1 + random.nextInt(12); k < run && i < length; k++) {
                    trace[i++] = start + k;
                }
            } else {
                trace[i++] = random.nextInt(300);
            }
        }
        return trace;
    }

    @Test
    void matchesTheNaiveReferenceForEveryPrefetchModeAndBlockSize() {
        int[] trace = mixedTrace(7, 20_000);
        for (CacheLocality.Prefetch prefetch : CacheLocality.Prefetch.values()) {
            for (int blockWords : new int[] {1, 2, 4, 8}) {
                for (int capacityWords : new int[] {16, 64}) {
                    assertEquals(reference(capacityWords, blockWords, prefetch, trace),
                            run(capacityWords, blockWords, prefetch, trace),
                            prefetch + ", block " + blockWords + ", capacity " + capacityWords);
                }
            }
        }
    }

    /* --------------- What the page says about the demo's traces --------------- */

    private static CacheLocality.Stats demo(int[] trace, int config) {
        return CacheLocality.replay(CacheLocality.CONFIGS.get(config).newCache(), trace);
    }

    private static final int WORDS = 0;
    private static final int BLOCKS = 1;
    private static final int BLOCKS_ON_MISS = 2;
    private static final int BLOCKS_TAGGED = 3;

    @Test
    void theDemoComparesTheseFourConfigurations() {
        List<CacheLocality.Config> configs = CacheLocality.CONFIGS;
        assertEquals(List.of(1, 8, 8, 8), configs.stream().map(CacheLocality.Config::blockWords).toList());
        assertEquals(List.of(NONE, NONE, ON_MISS, TAGGED), configs.stream().map(CacheLocality.Config::prefetch).toList());
    }

    @Test
    void temporalTraceWithWordBlocksMissesOnlyOncePerHotWord() {
        CacheLocality.Stats stats = demo(CacheLocality.temporal(), WORDS);
        assertEquals(CacheLocality.HOT_WORDS, stats.misses());
        assertEquals(CacheLocality.HOT_WORDS, stats.wordsFetched());
        assertEquals(0, stats.wordsNeverRead());
        assertEquals(CacheLocality.HOT_WORDS, new HashSet<>(asList(CacheLocality.temporal())).size());
    }

    @Test
    void temporalTraceWithBlocksHitsAboutTheShareOfHotBlocksThatFit() {
        // Every hot word lies in its own block, so the hot set needs HOT_WORDS blocks and only
        // CAPACITY / BLOCK blocks fit. Reads are independent and uniform, so once the cache is full a
        // read hits with probability fit / hot, independently of the past: the hit count is binomial.
        int[] trace = CacheLocality.temporal();
        assertEquals(CacheLocality.HOT_WORDS, blocksTouched(trace, CacheLocality.BLOCK_WORDS));
        double p = (double) (CacheLocality.CAPACITY_WORDS / CacheLocality.BLOCK_WORDS) / CacheLocality.HOT_WORDS;
        double sigma = Math.sqrt(p * (1 - p) / trace.length);
        assertEquals(p, demo(trace, BLOCKS).hitRatio(), 4 * sigma);
    }

    @Test
    void onTheTemporalTraceBlocksAndPrefetchOnlyCost() {
        int[] trace = CacheLocality.temporal();
        CacheLocality.Stats words = demo(trace, WORDS);
        CacheLocality.Stats blocks = demo(trace, BLOCKS);
        CacheLocality.Stats onMiss = demo(trace, BLOCKS_ON_MISS);
        CacheLocality.Stats tagged = demo(trace, BLOCKS_TAGGED);
        assertTrue(words.hitRatio() > blocks.hitRatio());
        assertTrue(blocks.hitRatio() > onMiss.hitRatio());
        assertTrue(words.wordsFetched() < blocks.wordsFetched());
        assertTrue(blocks.wordsFetched() < onMiss.wordsFetched());
        assertTrue(blocks.wordsNeverRead() < onMiss.wordsNeverRead());
        // No prefetched block is ever read, so tagged prefetch never fires beyond a miss.
        assertEquals(onMiss, tagged);
        // Most fetched words are wasted once blocks are used.
        assertTrue(blocks.wordsNeverRead() * 2 > blocks.wordsFetched());
    }

    @Test
    void onTheSpatialTraceEachStepHitsMoreAndFetchesMore() {
        int[] trace = CacheLocality.spatial();
        CacheLocality.Stats words = demo(trace, WORDS);
        CacheLocality.Stats blocks = demo(trace, BLOCKS);
        CacheLocality.Stats onMiss = demo(trace, BLOCKS_ON_MISS);
        CacheLocality.Stats tagged = demo(trace, BLOCKS_TAGGED);
        assertEquals(0, words.hits(), "no address recurs while it could still be cached");
        assertEquals(0, words.wordsNeverRead());
        assertTrue(words.hitRatio() < blocks.hitRatio());
        assertTrue(blocks.hitRatio() < onMiss.hitRatio());
        assertTrue(onMiss.hitRatio() < tagged.hitRatio());
        assertTrue(words.wordsFetched() < blocks.wordsFetched());
        assertTrue(blocks.wordsFetched() < onMiss.wordsFetched());
        assertTrue(onMiss.wordsFetched() < tagged.wordsFetched());
        assertTrue(blocks.wordsNeverRead() < onMiss.wordsNeverRead());
        assertTrue(onMiss.wordsNeverRead() < tagged.wordsNeverRead());
        // Every word is read exactly once per fetch of its block, so traffic = reads + waste.
        for (CacheLocality.Stats stats : List.of(words, blocks, onMiss, tagged)) {
            assertEquals(trace.length, stats.wordsFetched() - stats.wordsNeverRead());
        }
    }

    @Test
    void onTheSpatialTraceBlocksMissOncePerBlockARunTouches() {
        // A run of L consecutive words with a uniformly random offset touches (L + B - 1) / B blocks on
        // average, so misses / reads is about (E[L] + B - 1) / (B * E[L]). Both the offsets and the
        // lengths vary, over about ACCESSES / E[L] = 500 runs: the standard deviation of the ratio is
        // below 0.001, and the tolerance is five times that.
        int b = CacheLocality.BLOCK_WORDS;
        double meanRun = (CacheLocality.MIN_RUN + CacheLocality.MAX_RUN) / 2.0;
        double expectedMissRatio = (meanRun + b - 1) / (b * meanRun);
        assertEquals(1 - expectedMissRatio, demo(CacheLocality.spatial(), BLOCKS).hitRatio(), 0.005);
    }

    private static int runs(int[] trace) {
        int runs = 1;
        for (int i = 1; i < trace.length; i++) {
            if (trace[i] != trace[i - 1] + 1) {
                runs++;
            }
        }
        return runs;
    }

    @Test
    void onTheSpatialTraceTaggedPrefetchMissesOncePerRunAndFetchesOneBlockPastEachRun() {
        int[] trace = CacheLocality.spatial();
        int runs = runs(trace);
        CacheLocality.Stats tagged = demo(trace, BLOCKS_TAGGED);
        assertEquals(runs, tagged.misses());
        // The blocks each run touches, which the plain block cache fetches, plus one block past its end.
        assertEquals(demo(trace, BLOCKS).wordsFetched() + (long) CacheLocality.BLOCK_WORDS * runs,
                tagged.wordsFetched());
    }

    @Test
    void onTheSpatialTracePrefetchOnMissRoughlyHalvesTheMisses() {
        // A run touching k blocks misses k times without prefetch and ceil(k / 2) times with prefetch
        // on miss, so summed over runs: misses / 2 <= prefetch misses <= (misses + runs) / 2.
        int[] trace = CacheLocality.spatial();
        long blocks = demo(trace, BLOCKS).misses();
        long onMiss = demo(trace, BLOCKS_ON_MISS).misses();
        assertTrue(2 * onMiss >= blocks, onMiss + " vs " + blocks);
        assertTrue(2 * onMiss <= blocks + runs(trace), onMiss + " vs " + blocks);
    }

    @Test
    void theWorkingSetShowsWhichLocalityEachTraceHas() {
        int tau = CacheLocality.CAPACITY_WORDS;
        int b = CacheLocality.BLOCK_WORDS;
        int[] temporal = CacheLocality.temporal();
        int[] spatial = CacheLocality.spatial();
        // Temporal: the expected number of distinct words among tau uniform draws from H hot words is
        // H * (1 - (1 - 1/H)^tau). The mean over ~20,000 overlapping windows has a standard deviation
        // near 0.06 (about 300 independent windows, each with a spread near 1); tolerance 0.25.
        int h = CacheLocality.HOT_WORDS;
        double expected = h * (1 - Math.pow(1 - 1.0 / h, tau));
        double temporalWords = CacheLocality.averageWorkingSet(temporal, tau, 1);
        assertEquals(expected, temporalWords, 0.25);
        // Scattered hot words: counting blocks instead of words changes nothing.
        assertEquals(temporalWords, CacheLocality.averageWorkingSet(temporal, tau, b), 1e-9);
        // Spatial: every read in a window is a different word, but they fall in few blocks.
        assertEquals(tau, CacheLocality.averageWorkingSet(spatial, tau, 1), 1e-9);
        double spatialBlocks = CacheLocality.averageWorkingSet(spatial, tau, b);
        assertTrue(spatialBlocks < 2.0 * tau / b, "spatial blocks " + spatialBlocks);
        assertTrue(spatialBlocks < temporalWords);
    }

    @Test
    void tracesAreDeterministic() {
        assertEquals(asList(CacheLocality.temporal()), asList(CacheLocality.temporal()));
        assertEquals(asList(CacheLocality.spatial()), asList(CacheLocality.spatial()));
        assertEquals(CacheLocality.ACCESSES, CacheLocality.temporal().length);
        assertEquals(CacheLocality.ACCESSES, CacheLocality.spatial().length);
    }

    private static List<Integer> asList(int[] trace) {
        List<Integer> list = new ArrayList<>();
        for (int address : trace) {
            list.add(address);
        }
        return list;
    }

    private static int blocksTouched(int[] trace, int blockWords) {
        Set<Integer> blocks = new HashSet<>();
        for (int address : trace) {
            blocks.add(Math.floorDiv(address, blockWords));
        }
        return blocks.size();
    }
}
