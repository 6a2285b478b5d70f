import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Temporal and spatial locality, and what block loading and prefetching do with each. Two access
 * traces, one that reuses a small scattered hot set (temporal locality) and one that reads runs of
 * neighbouring addresses (spatial locality), go through the same small LRU cache of fixed-size
 * blocks, with and without prefetching the next block. {@link #main} prints each trace's working
 * set and, for each configuration, the hit ratio, the words fetched from the backing store and the
 * fetched words nobody read.
 *
 * <p>Locality is a property of the trace; block size and prefetching are the cache's bets on it.
 * A block bets on spatial locality: it pays off when neighbours are read soon, and wastes fetches
 * and cache space when they are not. At a fixed capacity, bigger blocks also mean fewer of them,
 * which hurts a trace whose reuse is scattered.
 *
 * <p>Sources: P. J. Denning, "The working set model for program behavior", CACM 11(5), 1968 (the
 * working set W(t, tau)); P. J. Denning, "The locality principle", CACM 48(7), 2005; A. J. Smith,
 * "Cache memories", ACM Computing Surveys 14(3), 1982 (line size, prefetch on miss, tagged prefetch);
 * J. L. Hennessy and D. A. Patterson, "Computer Architecture: A Quantitative Approach" (block size
 * against miss rate).
 */
public class CacheLocality {

    // tag::cache[]
    /** When a cache fetches the block after the one being read (A. J. Smith, 1982). */
    enum Prefetch {
        /** Fetch only the block that was asked for. */
        NONE,
        /** On a miss to block b, also fetch block b + 1. */
        ON_MISS,
        /** Also on the first hit to a block that was brought in by a prefetch: a run keeps going. */
        TAGGED
    }

    /** Counters of one cache: words fetched is the traffic to the backing store. */
    record Stats(long hits, long misses, long wordsFetched, long wordsNeverRead) {
        double hitRatio() {
            return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        }
    }

    /**
     * A fully associative LRU cache of {@code capacityWords / blockWords} blocks. A miss on address
     * a fetches the whole block that holds a, that is the blockWords addresses starting at
     * blockWords * floor(a / blockWords); then, depending on {@link Prefetch}, the next block too.
     * A prefetched block enters at the most recently used end, like a demand-fetched one.
     *
     * <p>Trade-off: one fetch per block instead of per word turns spatial locality into hits, and
     * prefetching hides even the first miss of the next block; both waste fetches and space on
     * neighbours that are never read, and for a fixed capacity a bigger block means fewer blocks.
     */
    static final class BlockCache {
        /** One resident block: which of its words were read, and whether it has been read at all. */
        private static final class Block {
            long wordsRead;          // bit i set: word i of the block was read while resident
            boolean referenced;      // Smith's tag: false while a prefetched block is still unread
        }

        private final int blockWords;
        private final int capacityBlocks;
        private final Prefetch prefetch;
        private final LinkedHashMap<Integer, Block> blocks = new LinkedHashMap<>(16, 0.75f, true); // LRU order
        private long hits;
        private long misses;
        private long wordsFetched;
        private long wordsNeverReadInEvicted;

        BlockCache(int capacityWords, int blockWords, Prefetch prefetch) {
            if (blockWords < 1 || blockWords > 64 || capacityWords % blockWords != 0) {
                throw new IllegalArgumentException("need 1..64 words per block dividing the capacity");
            }
            this.blockWords = blockWords;
            this.capacityBlocks = capacityWords / blockWords;
            this.prefetch = prefetch;
            if (capacityBlocks < (prefetch == Prefetch.NONE ? 1 : 2)) {
                throw new IllegalArgumentException("a prefetch must not evict the block being read");
            }
        }

        /** Reads one word. Returns true on a hit. */
        boolean read(int address) {
            int blockNumber = Math.floorDiv(address, blockWords);
            Block block = blocks.get(blockNumber);         // a hit also moves the block to the MRU end
            boolean hit = block != null;
            boolean firstReadOfPrefetchedBlock = hit && !block.referenced;
            if (hit) {
                hits++;
            } else {
                misses++;
                block = fetch(blockNumber);
            }
            block.referenced = true;
            block.wordsRead |= 1L << Math.floorMod(address, blockWords);
            if ((!hit && prefetch != Prefetch.NONE)
                    || (firstReadOfPrefetchedBlock && prefetch == Prefetch.TAGGED)) {
                if (!blocks.containsKey(blockNumber + 1)) {
                    fetch(blockNumber + 1);                // referenced stays false until it is read
                }
            }
            return hit;
        }

        private Block fetch(int blockNumber) {
            if (blocks.size() == capacityBlocks) {
                Iterator<Block> lru = blocks.values().iterator();
                wordsNeverReadInEvicted += blockWords - Long.bitCount(lru.next().wordsRead);
                lru.remove();
            }
            Block block = new Block();
            blocks.put(blockNumber, block);
            wordsFetched += blockWords;
            return block;
        }
        // end::cache[]

        /** Fetched words not read while their block was resident; resident blocks count as of now. */
        Stats stats() {
            long neverRead = wordsNeverReadInEvicted;
            for (Block block : blocks.values()) {
                neverRead += blockWords - Long.bitCount(block.wordsRead);
            }
            return new Stats(hits, misses, wordsFetched, neverRead);
        }

        int residentBlocks() {
            return blocks.size();
        }

        int capacityBlocks() {
            return capacityBlocks;
        }

        boolean isResident(int address) {
            return blocks.containsKey(Math.floorDiv(address, blockWords));
        }
    // tag::cache[]
    }
    // end::cache[]

    /* --------------- Traces --------------- */

    static final int ADDRESS_SPACE = 1 << 20;      // words the backing store holds
    static final int ACCESSES = 20_000;
    static final long SEED = 42;

    // tag::traces[]
    /** Temporal locality: a few hot addresses, scattered over the address space, read again and again. */
    static int[] temporalTrace(int hotWords, int accesses, long seed) {
        Random random = new Random(seed);
        int[] hot = random.ints(0, ADDRESS_SPACE).distinct().limit(hotWords).toArray();
        int[] trace = new int[accesses];
        for (int i = 0; i < accesses; i++) {
            trace[i] = hot[random.nextInt(hotWords)];
        }
        return trace;
    }

    /** Spatial locality: runs of consecutive addresses from random starts; no address is meant to recur. */
    static int[] spatialTrace(int minRun, int maxRun, int accesses, long seed) {
        Random random = new Random(seed);
        int[] trace = new int[accesses];
        int i = 0;
        while (i < accesses) {
            int start = random.nextInt(ADDRESS_SPACE - maxRun);
            int run = minRun + random.nextInt(maxRun - minRun + 1);
            for (int k = 0; k < run && i < accesses; k++) {
                trace[i++] = start + k;
            }
        }
        return trace;
    }
    // end::traces[]

    // tag::workingset[]
    /**
     * Denning's working set W(t, tau): the distinct items read in the last tau accesses, here with an
     * item being a block of blockWords addresses (1 for single words). Returns |W| averaged over every
     * full window of the trace; it measures the trace's locality with no cache involved.
     */
    static double averageWorkingSet(int[] trace, int tau, int blockWords) {
        Map<Integer, Integer> inWindow = new HashMap<>();    // block -> reads of it in the window
        long total = 0;
        for (int t = 0; t < trace.length; t++) {
            inWindow.merge(Math.floorDiv(trace[t], blockWords), 1, Integer::sum);
            if (t >= tau) {
                inWindow.merge(Math.floorDiv(trace[t - tau], blockWords), -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            if (t >= tau - 1) {
                total += inWindow.size();
            }
        }
        return (double) total / (trace.length - tau + 1);
    }
    // end::workingset[]

    /* --------------- Demo --------------- */

    static final int CAPACITY_WORDS = 64;
    static final int BLOCK_WORDS = 8;
    static final int HOT_WORDS = 24;
    static final int MIN_RUN = 16;
    static final int MAX_RUN = 64;

    /** One cache configuration of the comparison. */
    record Config(String name, int blockWords, Prefetch prefetch) {
        BlockCache newCache() {
            return new BlockCache(CAPACITY_WORDS, blockWords, prefetch);
        }
    }

    static final List<Config> CONFIGS = List.of(
            new Config("1-word blocks", 1, Prefetch.NONE),
            new Config(BLOCK_WORDS + "-word blocks", BLOCK_WORDS, Prefetch.NONE),
            new Config(BLOCK_WORDS + "-word, next on miss", BLOCK_WORDS, Prefetch.ON_MISS),
            new Config(BLOCK_WORDS + "-word, tagged next", BLOCK_WORDS, Prefetch.TAGGED));

    static int[] temporal() {
        return temporalTrace(HOT_WORDS, ACCESSES, SEED);
    }

    static int[] spatial() {
        return spatialTrace(MIN_RUN, MAX_RUN, ACCESSES, SEED);
    }

    /** Replays a trace from an empty cache, checking the invariants every configuration must keep. */
    static Stats replay(BlockCache cache, int[] trace) {
        for (int address : trace) {
            cache.read(address);
            if (cache.residentBlocks() > cache.capacityBlocks() || !cache.isResident(address)) {
                throw new IllegalStateException("capacity exceeded or the word just read is not resident");
            }
        }
        Stats stats = cache.stats();
        if (stats.hits() + stats.misses() != trace.length
                || stats.wordsNeverRead() < 0 || stats.wordsNeverRead() > stats.wordsFetched()
                || stats.wordsFetched() - stats.wordsNeverRead() > trace.length) {
            throw new IllegalStateException("inconsistent counters: " + stats);
        }
        return stats;
    }

    public static void main(String[] args) {
        Map<String, int[]> traces = new LinkedHashMap<>();
        traces.put("temporal", temporal());
        traces.put("spatial", spatial());
        System.out.println(String.format(Locale.ROOT, "LRU cache of %d words, %d reads per trace, seed %d",
                CAPACITY_WORDS, ACCESSES, SEED));
        System.out.println("  temporal: " + HOT_WORDS + " hot words scattered over " + ADDRESS_SPACE
                + " addresses, read at random");
        System.out.println("  spatial:  runs of " + MIN_RUN + " to " + MAX_RUN
                + " consecutive addresses from random starts");

        System.out.println();
        System.out.println(String.format(Locale.ROOT, "Working set: distinct items in the last %d reads, averaged",
                CAPACITY_WORDS));
        System.out.println(String.format(Locale.ROOT, "  %-10s %8s %16s", "trace", "words",
                BLOCK_WORDS + "-word blocks"));
        for (Map.Entry<String, int[]> trace : traces.entrySet()) {
            System.out.println(String.format(Locale.ROOT, "  %-10s %8.1f %16.1f", trace.getKey(),
                    averageWorkingSet(trace.getValue(), CAPACITY_WORDS, 1),
                    averageWorkingSet(trace.getValue(), CAPACITY_WORDS, BLOCK_WORDS)));
        }

        for (Map.Entry<String, int[]> trace : traces.entrySet()) {
            System.out.println();
            System.out.println(trace.getKey() + " trace");
            System.out.println(String.format(Locale.ROOT, "  %-24s %9s %14s %15s", "cache", "hit ratio",
                    "words fetched", "never read"));
            for (Config config : CONFIGS) {
                Stats stats = replay(config.newCache(), trace.getValue());
                System.out.println(String.format(Locale.ROOT, "  %-24s %8.1f%% %14d %15d", config.name(),
                        100 * stats.hitRatio(), stats.wordsFetched(), stats.wordsNeverRead()));
            }
        }
    }
}
