import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Six classic cache eviction policies, FIFO, LIFO, LRU, MRU, LFU and random replacement, behind one
 * small interface, plus Belady's offline optimum (OPT) as the yardstick. {@link #main} replays the
 * same access traces through every policy at the same capacity and prints the hit ratios.
 *
 * <p>Every policy here admits every miss: when the cache is full, a miss evicts exactly one resident
 * entry (the victim) and inserts the missed key. The policies differ only in how they choose the
 * victim, and in what metadata they keep per entry to make that choice.
 *
 * <p>Sources: L. A. Belady, "A study of replacement algorithms for a virtual-storage computer",
 * IBM Systems Journal 5(2), 1966 (the offline optimum, MIN/OPT); L. A. Belady, R. A. Nelson and
 * G. S. Shedler, "An anomaly in space-time characteristics of certain programs running in a paging
 * machine", CACM 12(6), 1969 (FIFO can miss more with more space); R. L. Mattson et al.,
 * "Evaluation techniques for storage hierarchies", IBM Systems Journal 9(2), 1970 (LRU and OPT are
 * stack algorithms, so more space never costs them hits); H.-T. Chou and D. J. DeWitt,
 * "An evaluation of buffer management strategies for relational database systems", VLDB 1985
 * (MRU for looping sequential access).
 */
public class EvictionPolicies {

    // tag::policy[]
    /** A bounded cache that only tracks keys: enough to measure what an eviction policy does. */
    interface Policy<K> {
        /** Records one access. Returns true on a hit; on a miss the key is admitted. */
        boolean record(K key);

        /** The key evicted by the last {@code record} call, or null if that call evicted nothing. */
        K lastVictim();

        boolean contains(K key);

        int size();

        int capacity();

        Stats stats();

        String name();
    }

    record Stats(long hits, long misses) {
        double hitRatio() {
            return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        }
    }

    /** The flow every policy shares: a hit updates metadata; a miss on a full cache evicts first. */
    abstract static class BoundedPolicy<K> implements Policy<K> {
        private final int capacity;
        private long hits;
        private long misses;
        private K lastVictim;

        BoundedPolicy(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive: " + capacity);
            }
            this.capacity = capacity;
        }

        @Override
        public final boolean record(K key) {
            lastVictim = null;
            if (contains(key)) {
                hits++;
                onHit(key);
                return true;
            }
            misses++;
            if (size() == capacity) {
                lastVictim = evict();          // the only place a policy makes its choice
            }
            insert(key);
            return false;
        }

        /** Updates the policy's metadata for a resident key. */
        abstract void onHit(K key);

        /** Chooses a resident key, removes it and returns it. Called only when the cache is full. */
        abstract K evict();

        /** Adds a key that is not resident. Called only when there is room. */
        abstract void insert(K key);
        // end::policy[]

        @Override
        public final K lastVictim() {
            return lastVictim;
        }

        @Override
        public final int capacity() {
            return capacity;
        }

        @Override
        public final Stats stats() {
            return new Stats(hits, misses);
        }
    // tag::policy[]
    }
    // end::policy[]

    // tag::linked[]
    /**
     * FIFO, LIFO, LRU and MRU keep the same structure: a hash map from key to node, and a doubly
     * linked list ordered from head (oldest) to tail (newest). They differ in two hooks: whether a
     * hit moves the entry to the tail, and which end the victim comes from. Every operation is O(1).
     * The JDK's {@code LinkedHashMap} with {@code accessOrder = true} is the same structure.
     */
    enum Order {
        /** First in, first out: a hit changes nothing; evict the oldest insertion. */
        FIFO(false, true),
        /** Last in, first out: a hit changes nothing; evict the newest insertion. */
        LIFO(false, false),
        /** Least recently used: a hit refreshes the entry; evict the one unused for longest. */
        LRU(true, true),
        /** Most recently used: a hit refreshes the entry; evict the one used last. */
        MRU(true, false);

        final boolean hitMovesToTail;
        final boolean evictsHead;

        Order(boolean hitMovesToTail, boolean evictsHead) {
            this.hitMovesToTail = hitMovesToTail;
            this.evictsHead = evictsHead;
        }
    }

    static final class LinkedPolicy<K> extends BoundedPolicy<K> {
        private static final class Node<K> {
            final K key;
            Node<K> prev;
            Node<K> next;

            Node(K key) {
                this.key = key;
            }
        }

        private final Order order;
        private final Map<K, Node<K>> nodes = new HashMap<>();
        private final Node<K> sentinel = new Node<>(null);   // sentinel.next is the head, .prev the tail

        LinkedPolicy(Order order, int capacity) {
            super(capacity);
            this.order = order;
            sentinel.prev = sentinel;
            sentinel.next = sentinel;
        }

        @Override
        void onHit(K key) {
            if (order.hitMovesToTail) {
                Node<K> node = nodes.get(key);
                unlink(node);
                linkAtTail(node);
            }
        }

        @Override
        K evict() {
            Node<K> victim = order.evictsHead ? sentinel.next : sentinel.prev;
            unlink(victim);
            nodes.remove(victim.key);
            return victim.key;
        }

        @Override
        void insert(K key) {
            Node<K> node = new Node<>(key);
            nodes.put(key, node);
            linkAtTail(node);
        }

        private void linkAtTail(Node<K> node) {
            node.prev = sentinel.prev;
            node.next = sentinel;
            sentinel.prev.next = node;
            sentinel.prev = node;
        }

        private static <K> void unlink(Node<K> node) {
            node.prev.next = node.next;
            node.next.prev = node.prev;
        }
        // end::linked[]

        @Override
        public boolean contains(K key) {
            return nodes.containsKey(key);
        }

        @Override
        public int size() {
            return nodes.size();
        }

        @Override
        public String name() {
            return order.name();
        }
    // tag::linked[]
    }
    // end::linked[]

    // tag::lfu[]
    /**
     * Least frequently used, with ties broken by least recently used. Each resident key has an access
     * count; keys with the same count sit in one insertion-ordered bucket, so the first key of the
     * lowest bucket is the victim. A key joins the end of a bucket at the access that gave it that
     * count, so within a bucket the first key is the one accessed longest ago. Every operation is O(1).
     *
     * <p>Counts are kept only while a key is resident ("in-cache LFU") and never decay. That is the
     * classic trade-off: LFU resists one-off scans, but a key that was popular long ago keeps its
     * high count and is never evicted. Production LFU variants add aging: Redis decays its counters
     * as time passes, and Caffeine's TinyLFU halves all the counts in its sketch periodically.
     */
    static final class LfuPolicy<K> extends BoundedPolicy<K> {
        private final Map<K, Integer> counts = new HashMap<>();
        private final Map<Integer, LinkedHashSet<K>> buckets = new HashMap<>();
        private int minCount;

        LfuPolicy(int capacity) {
            super(capacity);
        }

        @Override
        void onHit(K key) {
            int count = counts.get(key);
            LinkedHashSet<K> bucket = buckets.get(count);
            bucket.remove(key);
            if (bucket.isEmpty()) {
                buckets.remove(count);
                if (minCount == count) {
                    minCount = count + 1;
                }
            }
            counts.put(key, count + 1);
            buckets.computeIfAbsent(count + 1, c -> new LinkedHashSet<>()).add(key);
        }

        @Override
        K evict() {
            LinkedHashSet<K> bucket = buckets.get(minCount);
            K victim = bucket.iterator().next();    // least recently used among the least frequent
            bucket.remove(victim);
            if (bucket.isEmpty()) {
                buckets.remove(minCount);
            }
            counts.remove(victim);
            return victim;
        }

        @Override
        void insert(K key) {
            counts.put(key, 1);
            buckets.computeIfAbsent(1, c -> new LinkedHashSet<>()).add(key);
            minCount = 1;
        }
        // end::lfu[]

        @Override
        public boolean contains(K key) {
            return counts.containsKey(key);
        }

        @Override
        public int size() {
            return counts.size();
        }

        @Override
        public String name() {
            return "LFU";
        }
    // tag::lfu[]
    }
    // end::lfu[]

    // tag::random[]
    /**
     * Random replacement: the victim is a resident key chosen uniformly at random. Keys sit in an
     * array so one can be picked in O(1); removal swaps the last key into the freed slot. It keeps
     * no usage metadata at all, and it has no worst-case input the way LRU has scans. The random
     * generator is injected, so a fixed seed gives the same victims on every run.
     */
    static final class RandomPolicy<K> extends BoundedPolicy<K> {
        private final List<K> keys = new ArrayList<>();
        private final Map<K, Integer> slots = new HashMap<>();
        private final RandomGenerator random;

        RandomPolicy(int capacity, RandomGenerator random) {
            super(capacity);
            this.random = random;
        }

        @Override
        void onHit(K key) {
            // nothing to update: the choice of victim ignores how keys are used
        }

        @Override
        K evict() {
            int slot = random.nextInt(keys.size());
            K victim = keys.get(slot);
            K last = keys.remove(keys.size() - 1);
            if (slot < keys.size()) {
                keys.set(slot, last);
                slots.put(last, slot);
            }
            slots.remove(victim);
            return victim;
        }

        @Override
        void insert(K key) {
            slots.put(key, keys.size());
            keys.add(key);
        }
        // end::random[]

        @Override
        public boolean contains(K key) {
            return slots.containsKey(key);
        }

        @Override
        public int size() {
            return keys.size();
        }

        @Override
        public String name() {
            return "RANDOM";
        }
    // tag::random[]
    }
    // end::random[]

    // tag::opt[]
    /**
     * Belady's OPT (also called MIN): evict the resident key whose next use lies farthest in the
     * future, or that is never used again. No real cache can run it, because it needs the whole
     * future trace; it is the upper bound on the hit ratio of any policy that admits every miss.
     * Built from the trace it will replay; O(log n) per access with a tree ordered by next use.
     */
    static final class OptimalPolicy<K> extends BoundedPolicy<K> {
        private final List<K> trace;
        private final int[] nextUse;          // nextUse[i]: position of the next access to trace[i]
        private final Map<K, Integer> nextUseOf = new HashMap<>();
        private final TreeMap<Integer, K> byNextUse = new TreeMap<>();
        private int position;

        OptimalPolicy(int capacity, List<K> trace) {
            super(capacity);
            this.trace = List.copyOf(trace);
            this.nextUse = new int[trace.size()];
            Map<K, Integer> seenLater = new HashMap<>();
            for (int i = trace.size() - 1; i >= 0; i--) {
                // a key that is never used again gets a distinct position past the end of the trace
                nextUse[i] = seenLater.getOrDefault(trace.get(i), trace.size() + i);
                seenLater.put(trace.get(i), i);
            }
        }

        @Override
        void onHit(K key) {
            byNextUse.remove(nextUseOf.get(key));
            schedule(key);
        }

        @Override
        K evict() {
            K victim = byNextUse.pollLastEntry().getValue();   // needed farthest in the future
            nextUseOf.remove(victim);
            return victim;
        }

        @Override
        void insert(K key) {
            schedule(key);
        }

        private void schedule(K key) {
            if (position >= trace.size() || !trace.get(position).equals(key)) {
                throw new IllegalArgumentException("OPT must replay the trace it was built from");
            }
            int next = nextUse[position++];
            nextUseOf.put(key, next);
            byNextUse.put(next, key);
        }
        // end::opt[]

        @Override
        public boolean contains(K key) {
            return nextUseOf.containsKey(key);
        }

        @Override
        public int size() {
            return nextUseOf.size();
        }

        @Override
        public String name() {
            return "OPT";
        }
    // tag::opt[]
    }
    // end::opt[]

    /* --------------- Workloads --------------- */

    /** A named access trace; only accesses to keys that pass {@code measured} count in its hit ratio. */
    record Workload(String name, List<Integer> trace, Predicate<Integer> measured) {
    }

    /**
     * Zipf-like popularity with exponent 1: the key of rank r (from 0) is drawn with weight
     * floor(1_000_000 / (r + 1)). Integer weights and java.util.Random, whose algorithm the JDK
     * specifies, make the trace identical on every JVM.
     */
    static final class Zipf {
        private final int[] cumulative;
        private final Random random;

        Zipf(int keys, long seed) {
            cumulative = new int[keys];
            int total = 0;
            for (int rank = 0; rank < keys; rank++) {
                total += 1_000_000 / (rank + 1);
                cumulative[rank] = total;
            }
            random = new Random(seed);
        }

        /** Returns a rank in [0, keys): rank 0 is the most popular. */
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

    static final int CAPACITY = 100;
    static final int HOT_KEYS = 1_000;          // skewed accesses draw from this many keys
    static final int ACCESSES = 40_000;
    static final int COLD_KEYS = 1_000_000;     // scanned keys start here and are never read twice

    /** Four traces; each is replayed from an empty cache of CAPACITY entries. */
    static List<Workload> workloads() {
        Predicate<Integer> all = key -> true;

        List<Integer> skewed = new ArrayList<>();
        Zipf zipf = new Zipf(HOT_KEYS, 42);
        while (skewed.size() < ACCESSES) {
            skewed.add(zipf.next());
        }

        // The same skewed stream, with a sequential scan of 2 * CAPACITY cold keys after every
        // 400 skewed accesses: a report or a crawler reading rows that nobody reads again.
        List<Integer> scans = new ArrayList<>();
        Zipf sameStream = new Zipf(HOT_KEYS, 42);
        int cold = COLD_KEYS;
        while (scans.size() < ACCESSES) {
            for (int i = 0; i < 400; i++) {
                scans.add(sameStream.next());
            }
            for (int i = 0; i < 2 * CAPACITY; i++) {
                scans.add(cold++);
            }
        }

        // The same 1.5 * CAPACITY keys, read in the same order again and again.
        List<Integer> loop = new ArrayList<>();
        for (int i = 0; loop.size() < ACCESSES; i++) {
            loop.add(i % (CAPACITY * 3 / 2));
        }

        // Popularity moves: the second half draws from a different set of HOT_KEYS keys.
        List<Integer> shift = new ArrayList<>();
        Zipf moving = new Zipf(HOT_KEYS, 7);
        while (shift.size() < ACCESSES) {
            int offset = shift.size() < ACCESSES / 2 ? 0 : HOT_KEYS;
            shift.add(offset + moving.next());
        }
        return List.of(new Workload("skewed", skewed, all),
                new Workload("scans", scans, key -> key < COLD_KEYS),   // scanned keys can never hit
                new Workload("loop", loop, all),
                new Workload("shift", shift, all));
    }

    /* --------------- Demo --------------- */

    /** Every policy at one capacity; OPT is built from the trace it will replay. */
    static <K> List<Policy<K>> policies(int capacity, List<K> trace) {
        List<Policy<K>> all = new ArrayList<>();
        for (Order order : Order.values()) {
            all.add(new LinkedPolicy<>(order, capacity));
        }
        all.add(new LfuPolicy<>(capacity));
        all.add(new RandomPolicy<>(capacity, new Random(1)));
        all.add(new OptimalPolicy<>(capacity, trace));
        return all;
    }

    /**
     * Replays a trace, checks the invariants every policy must keep, and returns the hits and
     * misses of the measured accesses.
     */
    static Stats replay(Policy<Integer> policy, Workload workload) {
        long hits = 0;
        long misses = 0;
        for (Integer key : workload.trace()) {
            boolean hit = policy.record(key);
            if (hit && policy.lastVictim() != null) {
                throw new IllegalStateException(policy.name() + " evicted on a hit");
            }
            if (policy.size() > policy.capacity() || !policy.contains(key)) {
                throw new IllegalStateException(policy.name() + " broke its bound or lost " + key);
            }
            if (workload.measured().test(key)) {
                if (hit) {
                    hits++;
                } else {
                    misses++;
                }
            }
        }
        Stats total = policy.stats();
        if (total.hits() + total.misses() != workload.trace().size()) {
            throw new IllegalStateException(policy.name() + " miscounted: " + total);
        }
        return new Stats(hits, misses);
    }

    /** Misses of a fresh policy over a trace. */
    static long misses(Policy<Integer> policy, List<Integer> trace) {
        trace.forEach(policy::record);
        return policy.stats().misses();
    }

    /** Belady, Nelson and Shedler's trace: with FIFO, four slots miss more often than three. */
    static final List<Integer> ANOMALY = List.of(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5);

    public static void main(String[] args) {
        List<String> tiny = List.of("A", "B", "C", "A", "D", "C", "A", "B");
        System.out.println("Trace " + String.join(" ", tiny) + ", capacity 3:");
        for (Policy<String> policy : policies(3, tiny)) {
            List<String> victims = new ArrayList<>();
            for (String key : tiny) {
                policy.record(key);
                if (policy.lastVictim() != null) {
                    victims.add(policy.lastVictim());
                }
            }
            System.out.println(String.format(Locale.ROOT, "  %-6s evicts %-6s  hits %d of %d",
                    policy.name(), String.join(" ", victims), policy.stats().hits(), tiny.size()));
        }

        System.out.println();
        System.out.println("Misses on " + ANOMALY.stream().map(String::valueOf).collect(Collectors.joining(" ")) + ":");
        for (Order order : List.of(Order.FIFO, Order.LRU)) {
            System.out.println(String.format(Locale.ROOT, "  %-6s %d with 3 slots, %d with 4 slots", order,
                    misses(new LinkedPolicy<>(order, 3), ANOMALY), misses(new LinkedPolicy<>(order, 4), ANOMALY)));
        }

        List<Workload> workloads = workloads();
        Map<String, StringBuilder> rows = new LinkedHashMap<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-6s", "policy"));
        for (Workload workload : workloads) {
            header.append(String.format(Locale.ROOT, " %7s", workload.name()));
            for (Policy<Integer> policy : policies(CAPACITY, workload.trace())) {
                Stats stats = replay(policy, workload);
                rows.computeIfAbsent(policy.name(), n -> new StringBuilder(String.format(Locale.ROOT, "  %-6s", n)))
                        .append(String.format(Locale.ROOT, " %6.1f%%", 100 * stats.hitRatio()));
            }
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "Hit ratio, capacity %d, %d accesses per trace:",
                CAPACITY, ACCESSES));
        System.out.println(header);
        rows.values().forEach(System.out::println);
        System.out.println("  (scans: hit ratio of the skewed accesses only; scanned keys are never reused)");
    }
}
