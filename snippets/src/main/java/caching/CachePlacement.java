import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Caches at two places in front of one slow system of record: a small private cache inside each
 * client (a browser's HTTP cache, or an in-process cache in each application server) and one cache
 * shared by all clients (a caching gateway, or a Redis or Memcached tier). {@link #main} replays one
 * fixed request trace through five placements and prints how many reads each layer served, how many
 * reached the system of record, and how stale the served values were.
 *
 * <p>Every layer is read-through: a read that finds a fresh entry is served there and goes no
 * further; any other read is passed to the next layer, and the answer is stored on the way back.
 * Freshness follows RFC 9111, section 4.2: an entry is fresh while its age is below its time to live.
 * There is no invalidation, so after a write the layers keep serving the old value until it expires:
 * that staleness, the memory each layer spends, and the empty start are the price of the saved reads.
 *
 * <p>Sources: R. Fielding, M. Nottingham, J. Reschke, RFC 9111 "HTTP Caching" (2022): private and
 * shared caches (section 1), freshness (section 4.2) and the Age header (section 5.1), which is why
 * the age of a stored response counts from the origin and not from the cache that passed it on;
 * R. Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013 (a shared look-aside cache tier).
 */
public class CachePlacement {

    // tag::clock[]
    /** Where a cache reads the time, in milliseconds. Production code would wrap System.nanoTime(). */
    interface Ticker {
        long millis();
    }

    /** A clock that moves only when told to, so every run expires the same entries. */
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
    // end::clock[]

    // tag::source[]
    /** A value as the system of record produced it: its version, and when it was read there. */
    record Versioned(String key, long version, long producedAt) {
    }

    /** Anything a read can be sent to: a cache layer, or the system of record behind them all. */
    interface Source {
        Versioned read(String key);
    }

    /** The slow system of record, for example a database. It counts every read that reaches it. */
    static final class SystemOfRecord implements Source {
        private final Ticker ticker;
        private final Map<String, Long> versions = new HashMap<>();
        private long reads;

        SystemOfRecord(Ticker ticker) {
            this.ticker = ticker;
        }

        @Override
        public Versioned read(String key) {
            reads++;
            return new Versioned(key, version(key), ticker.millis());
        }

        /** Changes a value. No cache hears of it: each keeps its copy until the copy expires. */
        void write(String key) {
            versions.merge(key, 1L, Long::sum);
            // end::source[]
            writes.computeIfAbsent(key, k -> new ArrayList<>()).add(ticker.millis());
            // tag::source[]
        }

        long version(String key) {
            return versions.getOrDefault(key, 0L);
        }

        long reads() {
            return reads;
        }
        // end::source[]

        private final Map<String, List<Long>> writes = new HashMap<>();

        /** When the given version of a key was replaced by the next one. */
        long supersededAt(String key, long version) {
            return writes.get(key).get((int) version);
        }
    // tag::source[]
    }
    // end::source[]

    // tag::cache[]
    /**
     * One cache layer: at most {@code capacity} entries, each fresh for {@code ttlMillis}, in front of
     * the next source. A fresh entry is served and the read stops here; an absent or expired one is
     * fetched from the next source and stored. When full, the least recently used entry goes.
     *
     * <p>The age of an entry counts either from when this layer stored it, which is what a cache
     * does that knows nothing about its source, or from when the system of record produced the value,
     * which is what RFC 9111's Age header lets an HTTP cache do. Trade-off: the first is simpler, but
     * stacked layers then add their TTLs together in the worst case.
     */
    static final class TtlCache implements Source {
        private record Entry(Versioned value, long storedAt) {
        }

        private final Source next;
        private final Ticker ticker;
        private final int capacity;
        private final long ttlMillis;
        private final boolean ageFromOrigin;
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long hits;
        private long misses;

        TtlCache(Source next, Ticker ticker, int capacity, long ttlMillis, boolean ageFromOrigin) {
            if (capacity < 1 || ttlMillis < 1) {
                throw new IllegalArgumentException("capacity and TTL must be positive");
            }
            this.next = next;
            this.ticker = ticker;
            this.capacity = capacity;
            this.ttlMillis = ttlMillis;
            this.ageFromOrigin = ageFromOrigin;
        }

        @Override
        public Versioned read(String key) {
            long now = ticker.millis();
            Entry entry = entries.get(key);                 // access order: a hit becomes most recent
            if (entry != null && age(entry, now) < ttlMillis) {
                hits++;                                     // fresh: served here, never passed on
                return entry.value();
            }
            misses++;                                       // absent or expired: ask the next layer
            Versioned value = next.read(key);
            entries.put(key, new Entry(value, now));
            if (entries.size() > capacity) {                // evict the least recently used entry
                Iterator<String> eldest = entries.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            return value;
        }

        private long age(Entry entry, long now) {
            return now - (ageFromOrigin ? entry.value().producedAt() : entry.storedAt());
        }
        // end::cache[]

        long hits() {
            return hits;
        }

        long misses() {
            return misses;
        }

        int size() {
            return entries.size();
        }
    // tag::cache[]
    }
    // end::cache[]

    // tag::placement[]
    /** Which caches sit between the clients and the system of record. */
    record Placement(String name, boolean clientCaches, boolean sharedCache, boolean ageFromOrigin) {
    }

    static final int CLIENTS = 4;
    static final int CLIENT_CAPACITY = 50;       // entries in each client's private cache
    static final long CLIENT_TTL = 2_000;        // ms
    static final int SHARED_CAPACITY = 500;      // entries in the one shared cache
    static final long SHARED_TTL = 10_000;       // ms

    /** The read path of one placement: client cache, then shared cache, then system of record. */
    static final class Deployment {
        final SystemOfRecord systemOfRecord;
        final TtlCache shared;                          // null when there is no shared cache
        final List<TtlCache> clientCaches = new ArrayList<>();
        final List<Source> entryPoints = new ArrayList<>();   // where each client sends its reads

        Deployment(Placement placement, Ticker ticker) {
            systemOfRecord = new SystemOfRecord(ticker);
            shared = placement.sharedCache()
                    ? new TtlCache(systemOfRecord, ticker, SHARED_CAPACITY, SHARED_TTL, placement.ageFromOrigin())
                    : null;
            Source behindClients = shared != null ? shared : systemOfRecord;
            for (int client = 0; client < CLIENTS; client++) {
                if (placement.clientCaches()) {
                    TtlCache own = new TtlCache(behindClients, ticker, CLIENT_CAPACITY, CLIENT_TTL,
                            placement.ageFromOrigin());
                    clientCaches.add(own);
                    entryPoints.add(own);
                } else {
                    entryPoints.add(behindClients);
                }
            }
        }
    }
    // end::placement[]

    /* --------------- The trace --------------- */

    static final int KEYS = 1_000;
    static final int READS = 20_000;
    static final long READ_EVERY = 5;            // ms between reads
    static final int WRITE_EVERY = 50;           // one write to the system of record per this many reads

    /** One event of the trace: a read by a client, or a write (client -1) to the system of record. */
    record Event(long at, int client, String key) {
        boolean isWrite() {
            return client < 0;
        }
    }

    /**
     * Key popularity like Zipf's law with exponent 1: the key of rank r is drawn with weight
     * floor(1_000_000 / (r + 1)). Integer weights and java.util.Random, whose algorithm the JDK
     * specifies, make the trace identical on every JVM.
     */
    static final class Zipf {
        private final int[] cumulative;
        private final Random random;

        Zipf(int keys, Random random) {
            cumulative = new int[keys];
            int total = 0;
            for (int rank = 0; rank < keys; rank++) {
                total += 1_000_000 / (rank + 1);
                cumulative[rank] = total;
            }
            this.random = random;
        }

        int next() {
            int draw = random.nextInt(cumulative[cumulative.length - 1]);
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {                   // first rank whose cumulative weight exceeds draw
                int mid = (low + high) >>> 1;
                if (cumulative[mid] > draw) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }
    }

    /** The fixed trace: skewed reads from several clients, and skewed writes, in time order. */
    static List<Event> trace() {
        Random random = new Random(42);
        Zipf reads = new Zipf(KEYS, random);
        Zipf writes = new Zipf(KEYS, new Random(7));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            long at = i * READ_EVERY;
            if (i % WRITE_EVERY == WRITE_EVERY - 1) {
                events.add(new Event(at, -1, "k" + writes.next()));
            }
            events.add(new Event(at, random.nextInt(CLIENTS), "k" + reads.next()));
        }
        return events;
    }

    /* --------------- Replay --------------- */

    /** What one placement did with the trace. */
    record Result(String name, long reads, long servedByClients, long servedByShared, long sorReads,
                  long staleReads, long worstStaleMillis, long[] sorReadsPerSecond) {
        /** Reads that reached the shared cache, or would have: those no client cache served. */
        long sharedLookups() {
            return reads - servedByClients;
        }

        /** Mean reads per second reaching the system of record over the second half of the trace. */
        double steadySorReadsPerSecond() {
            int from = sorReadsPerSecond.length / 2;
            long sum = 0;
            for (int second = from; second < sorReadsPerSecond.length; second++) {
                sum += sorReadsPerSecond[second];
            }
            return (double) sum / (sorReadsPerSecond.length - from);
        }
    }

    /** Replays the trace through a fresh deployment, checking on every read what each layer must keep. */
    static Result replay(Placement placement, List<Event> trace) {
        ManualTicker ticker = new ManualTicker();
        Deployment deployment = new Deployment(placement, ticker);
        SystemOfRecord sor = deployment.systemOfRecord;
        long reads = 0;
        long stale = 0;
        long worst = 0;
        long last = trace.get(trace.size() - 1).at();
        long[] perSecond = new long[(int) (last / 1000) + 1];
        for (Event event : trace) {
            ticker.set(event.at());
            if (event.isWrite()) {
                sor.write(event.key());
                continue;
            }
            long sorBefore = sor.reads();
            Versioned value = deployment.entryPoints.get(event.client()).read(event.key());
            reads++;
            perSecond[(int) (event.at() / 1000)] += sor.reads() - sorBefore;
            if (sor.reads() - sorBefore > 1) {
                throw new IllegalStateException("one read reached the system of record twice");
            }
            if (value.version() < sor.version(event.key())) {
                stale++;
                worst = Math.max(worst, event.at() - sor.supersededAt(event.key(), value.version()));
            }
        }
        long byClients = deployment.clientCaches.stream().mapToLong(TtlCache::hits).sum();
        long byShared = deployment.shared == null ? 0 : deployment.shared.hits();
        long clientMisses = deployment.clientCaches.stream().mapToLong(TtlCache::misses).sum();
        if (deployment.shared != null && placement.clientCaches()
                && deployment.shared.hits() + deployment.shared.misses() != clientMisses) {
            throw new IllegalStateException("the shared cache saw a read a client cache had served");
        }
        if (byClients + byShared + sor.reads() != reads) {
            throw new IllegalStateException("served reads do not add up to " + reads);
        }
        return new Result(placement.name(), reads, byClients, byShared, sor.reads(), stale, worst, perSecond);
    }

    static final List<Placement> PLACEMENTS = List.of(
            new Placement("no cache", false, false, false),
            new Placement("client caches only", true, false, false),
            new Placement("shared cache only", false, true, false),
            new Placement("client + shared", true, true, false),
            new Placement("client + shared, Age", true, true, true));

    /** A count for a layer the placement has, or a dash for one it lacks. */
    private static String ifPresent(boolean present, long count) {
        return present ? Long.toString(count) : "-";
    }

    static final int COLD_SECONDS = 12;          // seconds of the cold start printed one by one

    public static void main(String[] args) {
        List<Event> trace = trace();
        long writes = trace.stream().filter(Event::isWrite).count();
        System.out.println(String.format(Locale.ROOT,
                "%d reads of %d keys (Zipf-like) from %d clients, one per %d ms; %d writes.",
                READS, KEYS, CLIENTS, READ_EVERY, writes));
        System.out.println(String.format(Locale.ROOT,
                "Client caches: %d entries, TTL %d ms each. Shared: %d entries, TTL %d ms.",
                CLIENT_CAPACITY, CLIENT_TTL, SHARED_CAPACITY, SHARED_TTL));
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-20s %9s %9s %9s %6s %6s %6s %8s",
                "placement", "by client", "to shared", "by shared", "to SoR", "SoR %", "stale", "worst"));
        List<Result> results = new ArrayList<>();
        for (Placement placement : PLACEMENTS) {
            Result r = replay(placement, trace);
            results.add(r);
            System.out.println(String.format(Locale.ROOT, "%-20s %9s %9s %9s %6d %6.1f %6d %5d ms",
                    r.name(), ifPresent(placement.clientCaches(), r.servedByClients()),
                    ifPresent(placement.sharedCache(), r.sharedLookups()),
                    ifPresent(placement.sharedCache(), r.servedByShared()), r.sorReads(),
                    100.0 * r.sorReads() / r.reads(), r.staleReads(), r.worstStaleMillis()));
        }
        Result both = results.get(3);
        StringBuilder cold = new StringBuilder();
        for (int second = 0; second < COLD_SECONDS; second++) {
            cold.append(String.format(Locale.ROOT, " %d", both.sorReadsPerSecond()[second]));
        }
        System.out.println();
        System.out.println("Reads reaching the SoR per second, client + shared, first " + COLD_SECONDS + " s:");
        System.out.println(" " + cold);
        System.out.println(String.format(Locale.ROOT, "  mean per second over the second half: %.1f",
                both.steadySorReadsPerSecond()));
    }
}
