import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link ConsistentHashRing} to the properties the page states. Tolerances come from the
 * theory, not from the observed run: a node holding V of the M random points of a ring owns a
 * share that is Beta(V, M − V) distributed, and K keys add binomial sampling noise on top. Each
 * statistical bound sits at least four standard deviations from its expected value.
 */
class ConsistentHashRingTest {

    private static final int N = 10;
    private static final int K = 100_000;
    private static final List<String> NODES = names("node-", N);
    private static final List<String> KEYS = names("key-", K);

    private static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static ConsistentHashRing ring(List<String> nodes, int vnodes) {
        ConsistentHashRing ring = new ConsistentHashRing(vnodes);
        nodes.forEach(ring::add);
        return ring;
    }

    private static Map<String, String> owners(ConsistentHashRing ring) {
        Map<String, String> owners = new TreeMap<>();
        KEYS.forEach(k -> owners.put(k, ring.nodeFor(k)));
        return owners;
    }

    private static Map<String, Integer> loads(ConsistentHashRing ring, List<String> nodes) {
        Map<String, Integer> loads = new TreeMap<>();
        nodes.forEach(n -> loads.put(n, 0));
        KEYS.forEach(k -> loads.merge(ring.nodeFor(k), 1, Integer::sum));
        return loads;
    }

    /** Variance of Beta(a, b). */
    private static double betaVariance(double a, double b) {
        return a * b / ((a + b) * (a + b) * (a + b + 1));
    }

    /** Standard deviation of the fraction of K keys that land on a node holding V of M points. */
    private static double shareStdDev(int vnodes, int points) {
        double p = (double) vnodes / points;
        return Math.sqrt(betaVariance(vnodes, points - vnodes) + p * (1 - p) / K);
    }

    @Test
    void aKeyBelongsToTheFirstPointClockwiseWrappingPastTheTop() {
        for (int vnodes : new int[] {1, 50}) {
            ConsistentHashRing ring = ring(NODES, vnodes);
            Map<Long, String> points = ring.points();
            long lowest = Collections.min(points.keySet());
            int wrapped = 0;
            for (String key : KEYS.subList(0, 2_000)) {
                long position = ConsistentHashRing.md5Position(key);
                // Brute force: scan every point for the smallest one at or after the key.
                Long successor = null;
                for (long point : points.keySet()) {
                    if (point >= position && (successor == null || point < successor)) {
                        successor = point;
                    }
                }
                if (successor == null) {
                    wrapped++;
                    successor = lowest;
                }
                assertEquals(points.get(successor), ring.nodeFor(key), "owner of " + key);
            }
            if (vnodes == 1) {
                // With 10 points the arc past the top holds about 1/11 of the keys, so some must wrap.
                assertTrue(wrapped > 0, "no key exercised the wrap-around");
            }
        }
    }

    @Test
    void everyNodeHoldsExactlyItsVirtualNodes() {
        ConsistentHashRing ring = ring(NODES, 100);
        assertEquals(N * 100, ring.points().size());
        Map<String, Integer> perNode = new TreeMap<>();
        ring.points().values().forEach(n -> perNode.merge(n, 1, Integer::sum));
        NODES.forEach(n -> assertEquals(100, perNode.get(n), "points of " + n));
    }

    @Test
    void lookupIsDeterministicAndIndependentOfJoinOrder() {
        ConsistentHashRing forward = ring(NODES, 100);
        List<String> reversed = new ArrayList<>(NODES);
        Collections.reverse(reversed);
        ConsistentHashRing backward = ring(reversed, 100);
        Map<String, String> first = owners(forward);
        assertEquals(first, owners(backward), "two clients that learned the members in a different order disagree");
        assertEquals(first, owners(forward), "the same ring answered differently twice");

        forward.add("node-10");
        forward.remove("node-10");
        assertEquals(first, owners(forward), "a join followed by a leave did not restore the assignment");
    }

    @Test
    void aJoinMovesAboutOneOverNPlusOneOfTheKeysAllToTheNewNode() {
        int vnodes = 100;
        ConsistentHashRing ring = ring(NODES, vnodes);
        Map<String, String> before = owners(ring);
        ring.add("node-10");
        Map<String, String> after = owners(ring);

        int moved = 0;
        for (String key : KEYS) {
            if (!before.get(key).equals(after.get(key))) {
                moved++;
                assertEquals("node-10", after.get(key), key + " moved between two old nodes");
            }
        }
        double expected = 1.0 / (N + 1);
        double tolerance = 4 * shareStdDev(vnodes, (N + 1) * vnodes);
        double share = (double) moved / K;
        assertTrue(Math.abs(share - expected) <= tolerance,
                () -> "moved share " + share + " not within " + tolerance + " of 1/(N+1) = " + expected);
    }

    @Test
    void aLeaveMovesOnlyTheLeaversKeys() {
        int vnodes = 100;
        ConsistentHashRing ring = ring(NODES, vnodes);
        Map<String, String> before = owners(ring);
        ring.remove("node-3");
        Map<String, String> after = owners(ring);

        int moved = 0;
        for (String key : KEYS) {
            boolean wasOnLeaver = before.get(key).equals("node-3");
            boolean movedNow = !before.get(key).equals(after.get(key));
            assertEquals(wasOnLeaver, movedNow, key + " on " + before.get(key) + " -> " + after.get(key));
            moved += movedNow ? 1 : 0;
        }
        double expected = 1.0 / N;
        double tolerance = 4 * shareStdDev(vnodes, N * vnodes);
        double share = (double) moved / K;
        assertTrue(Math.abs(share - expected) <= tolerance,
                () -> "moved share " + share + " not within " + tolerance + " of 1/N = " + expected);
    }

    @Test
    void virtualNodesSpreadALeaversKeysOverTheOthers() {
        // One point per node: the successor inherits the whole arc.
        ConsistentHashRing single = ring(NODES, 1);
        Map<String, String> before = owners(single);
        single.remove("node-3");
        Map<String, Integer> takers = takers(before, owners(single), "node-3");
        assertEquals(1, takers.size(), "with one point per node a single successor takes everything");

        // 100 points: each arc goes to the owner of the next point, a random one of the other N - 1
        // nodes. A taker's haul is the sum of about V/(N-1) arcs, relative standard deviation about
        // sqrt(2(N-1)/V) = 0.42; three times the fair share is more than four of those above the mean.
        ConsistentHashRing many = ring(NODES, 100);
        before = owners(many);
        many.remove("node-3");
        takers = takers(before, owners(many), "node-3");
        // A given survivor misses all 100 arcs with probability (8/9)^100, below 1e-5.
        assertEquals(N - 1, takers.size(), "every remaining node should take some of the keys");
        int total = takers.values().stream().mapToInt(Integer::intValue).sum();
        int largest = Collections.max(takers.values());
        assertTrue(largest < 3.0 * total / (N - 1), () -> "one node took " + largest + " of " + total);
    }

    private static Map<String, Integer> takers(Map<String, String> before, Map<String, String> after, String leaver) {
        Map<String, Integer> takers = new TreeMap<>();
        before.forEach((key, owner) -> {
            if (owner.equals(leaver)) {
                takers.merge(after.get(key), 1, Integer::sum);
            }
        });
        return takers;
    }

    @Test
    void spreadTightensAsVirtualNodesGrow() {
        // Pool the squared deviations of four independent rings (different node names), 40 nodes in
        // all, so the sample variance has about 36 degrees of freedom and sits within [0.25, 2.25]
        // times its expectation with probability far above 1 - 1e-4.
        double one = pooledRelativeStdDev(1);
        double ten = pooledRelativeStdDev(10);
        double twoHundred = pooledRelativeStdDev(200);
        for (int vnodes : new int[] {10, 200}) {
            double measured = vnodes == 10 ? ten : twoHundred;
            double expected = ConsistentHashRing.expectedRelativeStdDev(N, vnodes, K);
            assertTrue(measured > 0.5 * expected && measured < 1.5 * expected,
                    () -> vnodes + " vnodes: relative std-dev " + measured + ", expected about " + expected);
        }
        // Theory: sqrt((N-1)/(N+1)) = 0.90 for one point per node, 0.067 for 200.
        assertTrue(twoHundred < one / 4, () -> "200 vnodes " + twoHundred + " vs 1 vnode " + one);
        assertTrue(twoHundred < 0.10, () -> "200 vnodes should keep nodes within about 10% of the mean, got " + twoHundred);
    }

    private static double pooledRelativeStdDev(int vnodes) {
        double mean = (double) K / N;
        double sumOfSquares = 0;
        int count = 0;
        for (String prefix : new String[] {"a-", "b-", "c-", "d-"}) {
            List<String> nodes = names(prefix + "node-", N);
            for (int load : loads(ring(nodes, vnodes), nodes).values()) {
                sumOfSquares += (load - mean) * (load - mean);
                count++;
            }
        }
        return Math.sqrt(sumOfSquares / count) / mean;
    }

    @Test
    void theExamplesStdDevMatchesAnIndependentComputation() {
        Map<String, Integer> loads = Map.of("a", 8, "b", 12, "c", 10, "d", 10);
        // mean 10, deviations -2, 2, 0, 0: variance 2, std-dev sqrt(2), relative sqrt(2)/10.
        assertEquals(Math.sqrt(2) / 10, ConsistentHashRing.relativeStdDev(loads), 1e-12);
        assertEquals(Math.sqrt(9.0 * (1.0 / 11 + 1.0 / K)), ConsistentHashRing.expectedRelativeStdDev(N, 1, K), 1e-12);
    }

    @Test
    void hashModNMovesAlmostEveryKey() {
        List<String> grown = names("node-", N + 1);
        int modMoved = (int) KEYS.stream()
                .filter(k -> !ConsistentHashRing.modNodeFor(k, NODES).equals(ConsistentHashRing.modNodeFor(k, grown)))
                .count();
        // A key stays only if h mod N == h mod (N+1), which holds for 1/(N+1) of uniform hashes.
        double expected = (double) N / (N + 1);
        double tolerance = 4 * Math.sqrt(expected * (1 - expected) / K);
        assertEquals(expected, (double) modMoved / K, tolerance);

        ConsistentHashRing ring = ring(NODES, 100);
        Map<String, String> before = owners(ring);
        ring.add("node-10");
        Map<String, String> after = owners(ring);
        long ringMoved = KEYS.stream().filter(k -> !before.get(k).equals(after.get(k))).count();
        assertTrue(modMoved > 5 * ringMoved, () -> "mod N moved " + modMoved + ", the ring " + ringMoved);
    }

    @Test
    void stringHashCodeClustersOnTheRing() {
        ConsistentHashRing ring = new ConsistentHashRing(100, String::hashCode);
        NODES.forEach(ring::add);
        Map<String, Integer> loads = new TreeMap<>();
        KEYS.forEach(k -> loads.merge(ring.nodeFor(k), 1, Integer::sum));
        int largest = Collections.max(loads.values());
        // MD5 with 100 vnodes keeps the largest node near the mean; hashCode piles keys onto few nodes.
        assertTrue(largest > 3 * K / N, () -> "largest node holds only " + largest);
    }

    @Test
    void anEmptyRingRefusesLookupsAndVirtualNodesMustBePositive() {
        assertThrows(IllegalStateException.class, () -> new ConsistentHashRing(10).nodeFor("key-0"));
        assertThrows(IllegalArgumentException.class, () -> new ConsistentHashRing(0));
    }
}
