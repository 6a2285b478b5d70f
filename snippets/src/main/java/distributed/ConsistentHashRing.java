import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Consistent hashing with virtual nodes: a hash ring that maps keys to nodes so that a change of
 * membership moves only the keys it must.
 *
 * <p>Algorithm. Every node is placed on a ring of 64-bit positions at {@code vnodes} points, the
 * hashes of {@code "node#0"}, {@code "node#1"}, and so on. A key is hashed onto the same ring and
 * belongs to the node that owns the first point at or after the key's position, wrapping past the
 * largest position back to the smallest. The ring is a sorted map, so a lookup is one
 * {@code ceilingEntry}, O(log(N·V)) for N nodes with V points each.
 *
 * <p>Trade-off. A join or a leave moves only the keys on the arcs that changed owner, about K/(N+1)
 * of K keys for a join, and every one of them moves to or from the node that changed. In exchange
 * the balance is statistical: the share of a node that holds V of the N·V random points follows a
 * Beta(V, (N−1)V) distribution, so its standard deviation relative to the mean is
 * sqrt((N−1)/(N·V+1)), about 1/sqrt(V). More virtual nodes buy balance with memory and with more,
 * smaller ranges to move and repair. Hashing {@code key mod N} is perfectly simple and moves almost
 * every key when N changes.
 *
 * <p>Sources. D. Karger, E. Lehman, T. Leighton, R. Panigrahy, M. Levine, D. Lewin, "Consistent
 * hashing and random trees: distributed caching protocols for relieving hot spots on the World Wide
 * Web", STOC 1997 (the ring, its monotonicity and balance properties, several points per cache).
 * G. DeCandia et al., "Dynamo: Amazon's highly available key-value store", SOSP 2007, sections 4.1
 * (MD5 of the key as its position) and 4.2 (successor on the ring, virtual nodes).
 */
public class ConsistentHashRing {

    // tag::ring[]
    /** Ring position of a string: the first 8 bytes of its MD5 digest, as a signed 64-bit number. */
    static long md5Position(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            long position = 0;
            for (int i = 0; i < 8; i++) {
                position = (position << 8) | (digest[i] & 0xFF);
            }
            return position;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

    private final NavigableMap<Long, String> ring = new TreeMap<>(); // position -> physical node
    private final int vnodes;
    private final ToLongFunction<String> hash;

    ConsistentHashRing(int vnodes, ToLongFunction<String> hash) {
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes must be at least 1, got " + vnodes);
        }
        this.vnodes = vnodes;
        this.hash = hash;
    }

    ConsistentHashRing(int vnodes) {
        this(vnodes, ConsistentHashRing::md5Position);
    }
    // end::ring[]

    // tag::membership[]
    /** Places the node at its V points. Only the arcs just before those points change owner. */
    void add(String node) {
        for (int i = 0; i < vnodes; i++) {
            ring.put(hash.applyAsLong(node + "#" + i), node);
        }
    }

    /** Takes the node's V points off; each arc falls to the next point clockwise. */
    void remove(String node) {
        for (int i = 0; i < vnodes; i++) {
            ring.remove(hash.applyAsLong(node + "#" + i), node);
        }
    }
    // end::membership[]

    // tag::lookup[]
    /** The node owning the first point at or after the key's position, wrapping around. */
    String nodeFor(String key) {
        if (ring.isEmpty()) {
            throw new IllegalStateException("the ring has no nodes");
        }
        Map.Entry<Long, String> owner = ring.ceilingEntry(hash.applyAsLong(key));
        return (owner != null ? owner : ring.firstEntry()).getValue();
    }
    // end::lookup[]

    /** Read-only view of the points, for tests and diagrams. */
    NavigableMap<Long, String> points() {
        return Collections.unmodifiableNavigableMap(ring);
    }

    // tag::naive[]
    /** The scheme consistent hashing replaces: the key's hash modulo the number of nodes. */
    static String modNodeFor(String key, List<String> nodes) {
        return nodes.get(Math.floorMod(md5Position(key), nodes.size()));
    }
    // end::naive[]

    // ---------------------------------------------------------------- harness

    static final int NODES = 10;
    static final int KEYS = 100_000;

    static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    static ConsistentHashRing ringOf(List<String> nodes, int vnodes, ToLongFunction<String> hash) {
        ConsistentHashRing ring = new ConsistentHashRing(vnodes, hash);
        nodes.forEach(ring::add);
        return ring;
    }

    /** Keys per node, every node listed (zero if it got nothing), sorted by name. */
    static TreeMap<String, Integer> loads(ConsistentHashRing ring, List<String> nodes, List<String> keys) {
        TreeMap<String, Integer> loads = new TreeMap<>();
        nodes.forEach(n -> loads.put(n, 0));
        keys.forEach(k -> loads.merge(ring.nodeFor(k), 1, Integer::sum));
        return loads;
    }

    /** Standard deviation of the loads about their mean, as a fraction of the mean. */
    static double relativeStdDev(Map<String, Integer> loads) {
        double mean = loads.values().stream().mapToInt(Integer::intValue).average().orElseThrow();
        double variance = loads.values().stream().mapToDouble(x -> (x - mean) * (x - mean)).average().orElseThrow();
        return Math.sqrt(variance) / mean;
    }

    /**
     * Expected relative standard deviation of a node's key count: the Beta spread of its share of
     * the ring, sqrt((N−1)/(N·V+1)), plus the sampling noise of K keys, sqrt((N−1)/K).
     */
    static double expectedRelativeStdDev(int nodes, int vnodes, int keys) {
        return Math.sqrt((nodes - 1) * (1.0 / (nodes * vnodes + 1) + 1.0 / keys));
    }

    public static void main(String[] args) {
        List<String> nodes = names("node-", NODES);
        List<String> keys = names("key-", KEYS);
        System.out.printf(Locale.ROOT, "%d nodes, %d keys (key-0 .. key-%d), MD5 ring positions%n",
                NODES, KEYS, KEYS - 1);

        System.out.println();
        System.out.printf(Locale.ROOT, "Keys per node (mean %d)%n", KEYS / NODES);
        System.out.println("vnodes    min    max  max/mean  std-dev  expected");
        for (int vnodes : new int[] {1, 10, 100, 1000}) {
            Map<String, Integer> loads = loads(ringOf(nodes, vnodes, ConsistentHashRing::md5Position), nodes, keys);
            printSpread(String.valueOf(vnodes), loads,
                    String.format(Locale.ROOT, "%.1f%%", 100 * expectedRelativeStdDev(NODES, vnodes, KEYS)));
        }
        printSpread("100*", loads(ringOf(nodes, 100, String::hashCode), nodes, keys), "-");
        System.out.println("* positions from String.hashCode() instead of MD5");

        System.out.println();
        System.out.printf(Locale.ROOT, "Keys that move when membership changes (100 vnodes, %d keys)%n", KEYS);
        System.out.println("change                    moved   share  expected");
        ConsistentHashRing ring = ringOf(nodes, 100, ConsistentHashRing::md5Position);
        Map<String, String> before = owners(ring, keys);

        ring.add("node-10");
        Map<String, String> afterJoin = owners(ring, keys);
        int joinMoved = moved(before, afterJoin);
        boolean allToNewNode = keys.stream()
                .filter(k -> !before.get(k).equals(afterJoin.get(k)))
                .allMatch(k -> afterJoin.get(k).equals("node-10"));
        printMove("ring: node-10 joins", joinMoved, 1.0 / (NODES + 1), "1/11");
        ring.remove("node-10");

        ring.remove("node-3");
        Map<String, String> afterLeave = owners(ring, keys);
        int leaveMoved = moved(before, afterLeave);
        boolean onlyFromLeaver = keys.stream()
                .filter(k -> !before.get(k).equals(afterLeave.get(k)))
                .allMatch(k -> before.get(k).equals("node-3"));
        printMove("ring: node-3 leaves", leaveMoved, 1.0 / NODES, "1/10");
        ring.add("node-3");

        List<String> grown = names("node-", NODES + 1);
        List<String> shrunk = new ArrayList<>(nodes);
        shrunk.remove("node-3");
        printMove("mod N: 10 -> 11 nodes", movedMod(keys, nodes, grown), (double) NODES / (NODES + 1), "10/11");
        printMove("mod N: 10 -> 9 nodes", movedMod(keys, nodes, shrunk), (NODES - 1.0) / NODES, "9/10");
        System.out.println("every key that moved on the join went to node-10: " + allToNewNode);
        System.out.println("every key that moved on the leave came from node-3: " + onlyFromLeaver);

        System.out.println();
        System.out.println("Where node-3's keys go when it leaves");
        System.out.println("vnodes   keys  takers  largest taker's share");
        for (int vnodes : new int[] {1, 100}) {
            ConsistentHashRing r = ringOf(nodes, vnodes, ConsistentHashRing::md5Position);
            List<String> orphans = keys.stream().filter(k -> r.nodeFor(k).equals("node-3")).toList();
            r.remove("node-3");
            TreeMap<String, Integer> heirs = new TreeMap<>();
            orphans.forEach(k -> heirs.merge(r.nodeFor(k), 1, Integer::sum));
            int largest = Collections.max(heirs.values());
            System.out.printf(Locale.ROOT, "%6d %6d %7d %21.1f%%%n",
                    vnodes, orphans.size(), heirs.size(), 100.0 * largest / orphans.size());
        }
    }

    static Map<String, String> owners(ConsistentHashRing ring, List<String> keys) {
        Map<String, String> owners = new TreeMap<>();
        keys.forEach(k -> owners.put(k, ring.nodeFor(k)));
        return owners;
    }

    static int moved(Map<String, String> before, Map<String, String> after) {
        return (int) before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
    }

    static int movedMod(List<String> keys, List<String> from, List<String> to) {
        return (int) keys.stream().filter(k -> !modNodeFor(k, from).equals(modNodeFor(k, to))).count();
    }

    static void printSpread(String label, Map<String, Integer> loads, String expected) {
        int min = Collections.min(loads.values());
        int max = Collections.max(loads.values());
        double mean = (double) KEYS / loads.size();
        System.out.printf(Locale.ROOT, "%6s %6d %6d %9.2f %7.1f%% %9s%n", label, min, max, max / mean,
                100 * relativeStdDev(loads), expected);
    }

    static void printMove(String change, int moved, double expected, String fraction) {
        System.out.printf(Locale.ROOT, "%-23s %7d %6.2f%% %8.2f%% (%s)%n",
                change, moved, 100.0 * moved / KEYS, 100 * expected, fraction);
    }
}
