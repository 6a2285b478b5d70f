import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link EvictionPolicies} to its claims: each policy evicts exactly the entry its rule names on
 * hand-worked traces, agrees with a naive reference on long random traces, keeps its invariants, and
 * the workload results the page describes hold.
 */
class EvictionPoliciesTest {

    /* --------------- Hand-worked traces --------------- */

    private static List<String> keys(String trace) {
        return List.of(trace.split(" "));
    }

    /** Replays a trace and returns the victims in the order they were evicted. */
    private static <K> List<K> victims(EvictionPolicies.Policy<K> policy, List<K> trace) {
        List<K> victims = new ArrayList<>();
        for (K key : trace) {
            policy.record(key);
            if (policy.lastVictim() != null) {
                victims.add(policy.lastVictim());
            }
        }
        return victims;
    }

    private static List<String> victims(EvictionPolicies.Order order, int capacity, String trace) {
        return victims(new EvictionPolicies.LinkedPolicy<>(order, capacity), keys(trace));
    }

    @Test
    void afterABCThenAThenDEachPolicyEvictsTheEntryItsRuleNames() {
        String trace = "A B C A D";
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.FIFO, 3, trace), "FIFO: A went in first");
        assertEquals(List.of("C"), victims(EvictionPolicies.Order.LIFO, 3, trace), "LIFO: C went in last");
        assertEquals(List.of("B"), victims(EvictionPolicies.Order.LRU, 3, trace), "LRU: B was used longest ago");
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.MRU, 3, trace), "MRU: A was used last");
        assertEquals(List.of("B"), victims(new EvictionPolicies.LfuPolicy<>(3), keys(trace)),
                "LFU: B and C were used once; B less recently");
    }

    @Test
    void theDemoTraceEvictsTheseKeysInThisOrder() {
        String trace = "A B C A D C A B";
        assertEquals(List.of("A", "B", "C"), victims(EvictionPolicies.Order.FIFO, 3, trace));
        assertEquals(List.of("C", "D"), victims(EvictionPolicies.Order.LIFO, 3, trace));
        assertEquals(List.of("B", "D"), victims(EvictionPolicies.Order.LRU, 3, trace));
        assertEquals(List.of("A", "C"), victims(EvictionPolicies.Order.MRU, 3, trace));
        assertEquals(List.of("B", "D"), victims(new EvictionPolicies.LfuPolicy<>(3), keys(trace)));
        // OPT: at D, C is needed next (position 5), A at 6, B at 7, so B goes.
        assertEquals("B", victims(new EvictionPolicies.OptimalPolicy<>(3, keys(trace)), keys(trace)).get(0));
    }

    @Test
    void aHitRefreshesRecencyForLruAndMruButNotForFifoAndLifo() {
        // Capacity 2, A B A C: A was inserted first but used last.
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.FIFO, 2, "A B A C"));
        assertEquals(List.of("B"), victims(EvictionPolicies.Order.LRU, 2, "A B A C"));
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.MRU, 2, "A B A C"));
        assertEquals(List.of("B"), victims(EvictionPolicies.Order.LIFO, 2, "A B A C"));
        // Capacity 2, A B B C: B was inserted last and used last.
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.LRU, 2, "A B B C"));
        assertEquals(List.of("B"), victims(EvictionPolicies.Order.MRU, 2, "A B B C"));
    }

    @Test
    void lfuPrefersFrequencyOverRecency() {
        // A is used twice, B once but more recently: LRU would evict A, LFU evicts B.
        assertEquals(List.of("B"), victims(new EvictionPolicies.LfuPolicy<>(2), keys("A A B C")));
        assertEquals(List.of("A"), victims(EvictionPolicies.Order.LRU, 2, "A A B C"));
    }

    @Test
    void lfuBreaksTiesByLeastRecentUse() {
        // Both keys are used twice; the one whose last use is older goes, whichever came in first.
        assertEquals(List.of("B"), victims(new EvictionPolicies.LfuPolicy<>(2), keys("A B B A C")));
        assertEquals(List.of("A"), victims(new EvictionPolicies.LfuPolicy<>(2), keys("A B A B C")));
    }

    @Test
    void lfuForgetsTheCountOfAnEvictedKey() {
        // A reaches count 3, is evicted once B and C outnumber it, and comes back with count 1.
        EvictionPolicies.LfuPolicy<String> lfu = new EvictionPolicies.LfuPolicy<>(2);
        List<String> victims = victims(lfu, keys("A A A B B B B C C C C A D"));
        assertEquals(List.of("A", "B", "A"), victims);
    }

    @Test
    void optEvictsTheKeyNeededFarthestInTheFuture() {
        // At D: A is needed at 5, B at 6, C at 7, so C goes.
        List<String> trace = keys("A B C A D A B C");
        assertEquals("C", victims(new EvictionPolicies.OptimalPolicy<>(3, trace), trace).get(0));
        // A key that is never used again goes before any key that is.
        List<String> never = keys("A B C D A B C");
        assertEquals("C", victims(new EvictionPolicies.OptimalPolicy<>(3, never), never).get(0));
    }

    @Test
    void optRefusesATraceOtherThanItsOwn() {
        EvictionPolicies.OptimalPolicy<String> opt = new EvictionPolicies.OptimalPolicy<>(2, keys("A B"));
        opt.record("A");
        assertThrows(IllegalArgumentException.class, () -> opt.record("C"));
    }

    @Test
    void fifoShowsBeladysAnomalyAndLruDoesNot() {
        List<Integer> trace = EvictionPolicies.ANOMALY;
        long fifo3 = EvictionPolicies.misses(new EvictionPolicies.LinkedPolicy<>(EvictionPolicies.Order.FIFO, 3), trace);
        long fifo4 = EvictionPolicies.misses(new EvictionPolicies.LinkedPolicy<>(EvictionPolicies.Order.FIFO, 4), trace);
        assertEquals(9, fifo3);
        assertEquals(10, fifo4);
        long lru3 = EvictionPolicies.misses(new EvictionPolicies.LinkedPolicy<>(EvictionPolicies.Order.LRU, 3), trace);
        long lru4 = EvictionPolicies.misses(new EvictionPolicies.LinkedPolicy<>(EvictionPolicies.Order.LRU, 4), trace);
        assertEquals(10, lru3);
        assertEquals(8, lru4);
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new EvictionPolicies.LfuPolicy<String>(0));
    }

    /* --------------- Reference implementations on long random traces --------------- */

    private static List<Integer> randomTrace(long seed, int length, int keys) {
        Random random = new Random(seed);
        List<Integer> trace = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            // Mix two ranges so there are both popular and rare keys.
            trace.add(random.nextInt(4) == 0 ? random.nextInt(keys) : random.nextInt(keys / 4));
        }
        return trace;
    }

    /**
     * A naive O(n)-per-eviction model: it remembers, for each resident key, when it was inserted,
     * when it was last used and how often it was used since it was inserted, and picks the victim by
     * scanning all of them.
     */
    private static final class Reference {
        private record Entry(long inserted, long lastUsed, long count) {
        }

        private final EvictionPolicies.Order order;    // null means LFU
        private final int capacity;
        private final Map<Integer, Entry> entries = new HashMap<>();
        private long clock;

        Reference(EvictionPolicies.Order order, int capacity) {
            this.order = order;
            this.capacity = capacity;
        }

        /** Returns null on a hit, the victim on a miss that evicts, and -1 on a miss that does not. */
        Integer record(Integer key) {
            clock++;
            Entry entry = entries.get(key);
            if (entry != null) {
                entries.put(key, new Entry(entry.inserted(), clock, entry.count() + 1));
                return null;
            }
            Integer victim = -1;
            if (entries.size() == capacity) {
                victim = entries.entrySet().stream().min((a, b) -> compare(a.getValue(), b.getValue()))
                        .orElseThrow().getKey();
                entries.remove(victim);
            }
            entries.put(key, new Entry(clock, clock, 1));
            return victim;
        }

        /** Negative when {@code a} should be evicted before {@code b}. */
        private int compare(Entry a, Entry b) {
            if (order == null) {
                int byCount = Long.compare(a.count(), b.count());
                return byCount != 0 ? byCount : Long.compare(a.lastUsed(), b.lastUsed());
            }
            return switch (order) {
                case FIFO -> Long.compare(a.inserted(), b.inserted());
                case LIFO -> Long.compare(b.inserted(), a.inserted());
                case LRU -> Long.compare(a.lastUsed(), b.lastUsed());
                case MRU -> Long.compare(b.lastUsed(), a.lastUsed());
            };
        }
    }

    @TestFactory
    Stream<DynamicTest> everyDeterministicPolicyMatchesTheNaiveReferenceStepByStep() {
        List<EvictionPolicies.Order> orders = new ArrayList<>(List.of(EvictionPolicies.Order.values()));
        orders.add(null);
        return orders.stream().map(order -> DynamicTest.dynamicTest(order == null ? "LFU" : order.name(), () -> {
            for (int capacity : new int[] {1, 2, 7, 20}) {
                List<Integer> trace = randomTrace(capacity, 20_000, 80);
                EvictionPolicies.Policy<Integer> policy = order == null
                        ? new EvictionPolicies.LfuPolicy<>(capacity)
                        : new EvictionPolicies.LinkedPolicy<>(order, capacity);
                Reference reference = new Reference(order, capacity);
                for (int i = 0; i < trace.size(); i++) {
                    Integer expected = reference.record(trace.get(i));
                    boolean hit = policy.record(trace.get(i));
                    int step = i;
                    assertEquals(expected == null, hit, () -> "hit or miss at step " + step);
                    if (!hit) {
                        Integer actual = policy.lastVictim() == null ? -1 : policy.lastVictim();
                        assertEquals(expected, actual, () -> "victim at step " + step);
                    }
                }
            }
        }));
    }

    @Test
    void lruAgreesWithLinkedHashMapInAccessOrder() {
        int capacity = 16;
        Map<Integer, Boolean> oracle = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                return size() > capacity;
            }
        };
        EvictionPolicies.Policy<Integer> lru = new EvictionPolicies.LinkedPolicy<>(EvictionPolicies.Order.LRU, capacity);
        for (Integer key : randomTrace(99, 50_000, 200)) {
            boolean expectedHit = oracle.get(key) != null;
            if (!expectedHit) {
                oracle.put(key, Boolean.TRUE);
            }
            assertEquals(expectedHit, lru.record(key));
        }
        for (Integer key : oracle.keySet()) {
            assertTrue(lru.contains(key));
        }
        assertEquals(oracle.size(), lru.size());
    }

    @Test
    void optChoosesAVictimWhoseNextUseIsFarthestAndBeatsEveryOtherPolicy() {
        int capacity = 10;
        List<Integer> trace = randomTrace(5, 5_000, 60);
        EvictionPolicies.OptimalPolicy<Integer> opt = new EvictionPolicies.OptimalPolicy<>(capacity, trace);
        Set<Integer> resident = new HashSet<>();
        for (int i = 0; i < trace.size(); i++) {
            Integer key = trace.get(i);
            boolean hit = opt.record(key);
            if (!hit && opt.lastVictim() != null) {
                Integer victim = opt.lastVictim();
                int victimNext = nextUse(trace, i, victim);
                for (Integer other : resident) {
                    if (!other.equals(victim)) {
                        assertTrue(nextUse(trace, i, other) <= victimNext,
                                "step " + i + ": evicted " + victim + " but " + other + " is needed later");
                    }
                }
                resident.remove(victim);
            }
            resident.add(key);
        }
        long optHits = opt.stats().hits();
        for (EvictionPolicies.Policy<Integer> policy : EvictionPolicies.policies(capacity, trace)) {
            assertTrue(EvictionPolicies.misses(policy, trace) >= trace.size() - optHits, policy.name());
        }
    }

    private static int nextUse(List<Integer> trace, int after, Integer key) {
        for (int j = after + 1; j < trace.size(); j++) {
            if (trace.get(j).equals(key)) {
                return j;
            }
        }
        return Integer.MAX_VALUE;
    }

    /* --------------- Invariants --------------- */

    @TestFactory
    Stream<DynamicTest> everyPolicyKeepsItsInvariants() {
        int capacity = 12;
        List<Integer> trace = randomTrace(3, 20_000, 100);
        return EvictionPolicies.policies(capacity, trace).stream()
                .map(policy -> DynamicTest.dynamicTest(policy.name(), () -> {
                    Set<Integer> model = new HashSet<>();
                    for (Integer key : trace) {
                        boolean wasResident = model.contains(key);
                        boolean full = model.size() == capacity;
                        boolean hit = policy.record(key);
                        assertEquals(wasResident, hit, "a hit is exactly an access to a resident key");
                        if (hit || !full) {
                            assertNull(policy.lastVictim(), "evicted without need");
                        } else {
                            assertTrue(model.remove(policy.lastVictim()), "evicted a key that was not resident");
                        }
                        model.add(key);
                        assertTrue(policy.size() <= capacity, "size above capacity");
                        assertEquals(model.size(), policy.size());
                        assertTrue(policy.contains(key), "the accessed key is resident afterwards");
                    }
                    for (int key = 0; key < 100; key++) {
                        assertEquals(model.contains(key), policy.contains(key), "residency of " + key);
                    }
                    assertEquals(trace.size(), policy.stats().hits() + policy.stats().misses());
                }));
    }

    @Test
    void randomReplacementIsDeterministicForASeedAndUsesItsGenerator() {
        List<Integer> trace = randomTrace(11, 10_000, 40);
        Function<Long, List<Integer>> victimsForSeed =
                seed -> victims(new EvictionPolicies.RandomPolicy<>(8, new Random(seed)), trace);
        assertEquals(victimsForSeed.apply(1L), victimsForSeed.apply(1L));
        assertNotEquals(victimsForSeed.apply(1L), victimsForSeed.apply(2L));
    }

    @Test
    void randomReplacementCanEvictAnyResidentKey() {
        // Five keys in a loop through four slots: over many evictions every key is a victim many times.
        List<Integer> loop = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            loop.add(i % 5);
        }
        Map<Integer, Integer> evictions = new HashMap<>();
        for (Integer victim : victims(new EvictionPolicies.RandomPolicy<>(4, new Random(3)), loop)) {
            evictions.merge(victim, 1, Integer::sum);
        }
        assertEquals(Set.of(0, 1, 2, 3, 4), evictions.keySet());
        int total = evictions.values().stream().mapToInt(Integer::intValue).sum();
        for (int count : evictions.values()) {
            assertTrue(count > total / 10, "victims far from uniform: " + evictions);
        }
    }

    /* --------------- What the page says about the workloads --------------- */

    private static Map<String, Map<String, Double>> hitRatios() {
        Map<String, Map<String, Double>> byWorkload = new HashMap<>();
        for (EvictionPolicies.Workload workload : EvictionPolicies.workloads()) {
            Map<String, Double> byPolicy = new HashMap<>();
            for (EvictionPolicies.Policy<Integer> policy
                    : EvictionPolicies.policies(EvictionPolicies.CAPACITY, workload.trace())) {
                byPolicy.put(policy.name(), EvictionPolicies.replay(policy, workload).hitRatio());
            }
            byWorkload.put(workload.name(), byPolicy);
        }
        return byWorkload;
    }

    private static final Map<String, Map<String, Double>> RATIOS = hitRatios();

    private static double ratio(String workload, String policy) {
        return RATIOS.get(workload).get(policy);
    }

    @Test
    void optIsAnUpperBoundOnEveryWorkload() {
        for (String workload : RATIOS.keySet()) {
            for (String policy : RATIOS.get(workload).keySet()) {
                assertTrue(ratio(workload, policy) <= ratio(workload, "OPT"), policy + " beat OPT on " + workload);
            }
        }
    }

    @Test
    void onSkewedAccessLfuIsBestOfTheSixLruBeatsFifoAndRandomAndMruIsWorst() {
        for (String policy : List.of("FIFO", "LIFO", "LRU", "MRU", "RANDOM")) {
            assertTrue(ratio("skewed", "LFU") > ratio("skewed", policy), policy);
        }
        assertTrue(ratio("skewed", "LRU") > ratio("skewed", "FIFO"));
        assertTrue(ratio("skewed", "LRU") > ratio("skewed", "RANDOM"));
        for (String policy : List.of("FIFO", "LIFO", "LRU", "LFU", "RANDOM")) {
            assertTrue(ratio("skewed", "MRU") < ratio("skewed", policy), policy);
        }
    }

    @Test
    void scansCostLruFifoAndRandomHitsButNotLfu() {
        for (String policy : List.of("LRU", "FIFO", "RANDOM")) {
            assertTrue(ratio("scans", policy) < ratio("skewed", policy) - 0.03, policy + " shrugged off the scans");
        }
        assertEquals(ratio("skewed", "LFU"), ratio("scans", "LFU"), 0.01);
        assertTrue(ratio("scans", "LFU") > ratio("scans", "LRU"));
    }

    @Test
    void aLoopLargerThanTheCacheDefeatsLruFifoAndLfuWhileMruMatchesOpt() {
        for (String policy : List.of("LRU", "FIFO", "LFU")) {
            assertEquals(0.0, ratio("loop", policy), policy);
        }
        assertEquals(ratio("loop", "OPT"), ratio("loop", "MRU"));
        assertTrue(ratio("loop", "LIFO") > 0.5, "LIFO starting empty keeps most of the loop");
        assertTrue(ratio("loop", "RANDOM") > 0.25);
        assertTrue(ratio("loop", "RANDOM") < ratio("loop", "MRU"));
    }

    @Test
    void whenPopularityMovesLfuAndLifoHoldOnToStaleKeysWhileLruAdapts() {
        assertTrue(ratio("shift", "LRU") > ratio("shift", "LFU") + 0.1);
        assertTrue(ratio("shift", "LRU") > ratio("shift", "LIFO") + 0.1);
        assertTrue(ratio("shift", "LFU") < ratio("skewed", "LFU") - 0.1);
        assertTrue(ratio("shift", "LIFO") < ratio("skewed", "LIFO") - 0.1);
        assertEquals(ratio("skewed", "LRU"), ratio("shift", "LRU"), 0.02);
        assertEquals(ratio("skewed", "FIFO"), ratio("shift", "FIFO"), 0.02);
        assertFalse(ratio("shift", "LFU") > ratio("shift", "RANDOM"));
    }
}
