import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One replicated register, five replicas, and a network partition: what a CP configuration and an
 * AP configuration each do when the network splits, and after it heals.
 *
 * <p>Algorithm. The CP register is a majority quorum: a write or a read through a replica succeeds
 * only if that replica reaches a majority of all replicas (itself included). Any two majorities
 * share a replica, so a read always meets the latest acknowledged write, and the minority side
 * refuses service. The AP register serves every request from the replica it reaches, replicates to
 * whoever is reachable, and after the partition heals merges replicas by comparing version vectors:
 * a newer version wins; concurrent versions are a conflict, settled here by last-writer-wins on a
 * deterministic tie-break, which silently drops one acknowledged write.
 *
 * <p>Trade-off. CAP (Brewer 2000; Gilbert and Lynch 2002): during a partition a system chooses
 * between linearizability and availability. PACELC (Abadi 2012): else, with no partition, it
 * chooses between latency and consistency, shown here as the messages one read needs.
 *
 * <p>Sources. S. Gilbert, N. Lynch, "Brewer's conjecture and the feasibility of consistent,
 * available, partition-tolerant web services", SIGACT News 2002. D. Abadi, "Consistency tradeoffs
 * in modern distributed database system design", IEEE Computer 2012. D. Parker et al., "Detection
 * of mutual inconsistency in distributed systems", IEEE TSE 1983 (version vectors).
 */
public class CapRegister {

    // tag::network[]
    /** Which replicas can talk to which: everyone, or two sides of a partition. */
    static final class Network {
        private final List<String> replicas;
        private List<Set<String>> sides;

        Network(List<String> replicas) {
            this.replicas = List.copyOf(replicas);
            heal();
        }

        void partition(Set<String> side) {
            Set<String> other = new TreeSet<>(replicas);
            other.removeAll(side);
            sides = List.of(new TreeSet<>(side), other);
        }

        void heal() {
            sides = List.of(new TreeSet<>(replicas));
        }

        /** The replicas {@code from} can reach, itself included. */
        Set<String> reachableFrom(String from) {
            return sides.stream().filter(side -> side.contains(from)).findFirst().orElseThrow();
        }

        int size() {
            return replicas.size();
        }

        List<String> replicas() {
            return replicas;
        }
    }
    // end::network[]

    /** A value with the version vector of the writes it reflects: replica name to writes made there. */
    record Versioned(String value, Map<String, Integer> clock) {
        Versioned {
            clock = Map.copyOf(clock);
        }

        static Versioned initial(String value) {
            return new Versioned(value, Map.of());
        }

        /** True if every write this one reflects is also reflected in {@code other}. */
        boolean isBefore(Versioned other) {
            return clock.entrySet().stream().allMatch(e -> other.clock.getOrDefault(e.getKey(), 0) >= e.getValue());
        }

        Versioned writtenAt(String replica, String newValue) {
            Map<String, Integer> next = new TreeMap<>(clock);
            next.merge(replica, 1, Integer::sum);
            return new Versioned(newValue, next);
        }

        int writes() {
            return clock.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** What a client sees: a value or a refusal, and how many messages the request cost. */
    record Outcome(boolean ok, String value, int messages) {
        static Outcome refused() {
            return new Outcome(false, null, 0);
        }

        @Override
        public String toString() {
            return ok ? (value == null ? "ok" : value) : "refused";
        }
    }

    interface Register {
        Outcome write(String via, String value);

        Outcome read(String via);

        /** What each replica holds now, by name. */
        Map<String, String> values();
    }

    // tag::cp[]
    /** CP: every request needs a majority; the minority side of a partition refuses service. */
    static final class QuorumRegister implements Register {
        private final Network network;
        private final Map<String, Versioned> replicas = new TreeMap<>();

        QuorumRegister(Network network, String initial) {
            this.network = network;
            network.replicas().forEach(r -> replicas.put(r, Versioned.initial(initial)));
        }

        /** {@code via} and the first others it reaches, a majority in all; empty if it reaches too few. */
        private Optional<Set<String>> majorityFrom(String via) {
            int majority = network.size() / 2 + 1;
            Set<String> reachable = network.reachableFrom(via);
            if (reachable.size() < majority) {
                return Optional.empty();
            }
            Set<String> quorum = new TreeSet<>(Set.of(via));
            reachable.stream().filter(r -> !r.equals(via)).limit(majority - 1).forEach(quorum::add);
            return Optional.of(quorum);
        }

        @Override
        public Outcome write(String via, String value) {
            Optional<Set<String>> quorum = majorityFrom(via);
            if (quorum.isEmpty()) {
                return Outcome.refused();
            }
            Versioned latest = newest(quorum.get()).writtenAt(via, value);
            quorum.get().forEach(r -> replicas.put(r, latest));
            return new Outcome(true, null, 2 * (quorum.get().size() - 1)); // read versions, then write
        }

        @Override
        public Outcome read(String via) {
            Optional<Set<String>> quorum = majorityFrom(via);
            if (quorum.isEmpty()) {
                return Outcome.refused();
            }
            return new Outcome(true, newest(quorum.get()).value(), 2 * (quorum.get().size() - 1));
        }

        private Versioned newest(Set<String> quorum) {
            return quorum.stream().map(replicas::get)
                    .max((a, b) -> Integer.compare(a.writes(), b.writes())).orElseThrow();
        }

        /** After healing, the next quorum operation brings stragglers up to date; do it for all now. */
        void repair() {
            Versioned latest = newest(replicas.keySet());
            replicas.replaceAll((r, v) -> latest);
        }

        @Override
        public Map<String, String> values() {
            Map<String, String> values = new TreeMap<>();
            replicas.forEach((r, v) -> values.put(r, v.value()));
            return values;
        }
    }
    // end::cp[]

    // tag::ap[]
    /** AP: every replica answers; replicas diverge during a partition and merge after it. */
    static final class EventualRegister implements Register {
        private final Network network;
        private final Map<String, Versioned> replicas = new TreeMap<>();
        private final List<String> conflicts = new ArrayList<>();

        EventualRegister(Network network, String initial) {
            this.network = network;
            network.replicas().forEach(r -> replicas.put(r, Versioned.initial(initial)));
        }

        @Override
        public Outcome write(String via, String value) {
            Versioned written = replicas.get(via).writtenAt(via, value);
            Set<String> reachable = network.reachableFrom(via);
            reachable.forEach(r -> replicas.put(r, written));
            return new Outcome(true, null, reachable.size() - 1); // replicate asynchronously
        }

        @Override
        public Outcome read(String via) {
            return new Outcome(true, replicas.get(via).value(), 0);
        }

        /** Anti-entropy after healing: newer versions win; concurrent ones conflict. */
        void merge() {
            Versioned winner = null;
            for (Versioned candidate : replicas.values()) {
                if (winner == null || winner.isBefore(candidate)) {
                    winner = candidate;
                } else if (!candidate.isBefore(winner)) {
                    Versioned kept = lastWriterWins(winner, candidate);
                    Versioned lost = kept == winner ? candidate : winner;
                    conflicts.add("kept " + kept.value() + ", dropped " + lost.value());
                    winner = merged(kept, lost);
                }
            }
            Versioned converged = winner;
            replicas.replaceAll((r, v) -> converged);
        }

        /** Deterministic tie-break for concurrent writes: the larger value string wins. */
        private static Versioned lastWriterWins(Versioned a, Versioned b) {
            return a.value().compareTo(b.value()) >= 0 ? a : b;
        }

        /** The kept value, with a clock that dominates both, so the conflict is not found again. */
        private static Versioned merged(Versioned kept, Versioned lost) {
            Map<String, Integer> clock = new TreeMap<>(kept.clock());
            lost.clock().forEach((r, n) -> clock.merge(r, n, Math::max));
            return new Versioned(kept.value(), clock);
        }

        List<String> conflicts() {
            return List.copyOf(conflicts);
        }

        @Override
        public Map<String, String> values() {
            Map<String, String> values = new TreeMap<>();
            replicas.forEach((r, v) -> values.put(r, v.value()));
            return values;
        }
    }
    // end::ap[]

    static final List<String> REPLICAS = List.of("A", "B", "C", "D", "E");
    static final Set<String> MINORITY = Set.of("A", "B");

    public static void main(String[] args) {
        System.out.println("Five replicas A-E hold x = v0. The network splits into {A, B} and {C, D, E}.");
        System.out.println("Client 1 writes v1 through A; client 2 writes v2 through C; then both read.");
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-22s %-10s %-10s %-10s %-10s %s",
                "configuration", "write A", "write C", "read B", "read D", "replicas during partition"));

        Network cpNetwork = new Network(REPLICAS);
        QuorumRegister cp = new QuorumRegister(cpNetwork, "v0");
        cpNetwork.partition(MINORITY);
        List<String> cpAcknowledged = printRow("CP (majority quorum)", cp);

        Network apNetwork = new Network(REPLICAS);
        EventualRegister ap = new EventualRegister(apNetwork, "v0");
        apNetwork.partition(MINORITY);
        List<String> apAcknowledged = printRow("AP (serve locally)", ap);

        cpNetwork.heal();
        cp.repair();
        apNetwork.heal();
        ap.merge();
        System.out.println();
        System.out.println("After the partition heals:");
        System.out.println("  CP replicas " + cp.values() + "; conflicts: none possible, the refused write never happened");
        System.out.println("  AP replicas " + ap.values() + "; conflicts: " + ap.conflicts());
        System.out.println(String.format(Locale.ROOT, "  acknowledged writes kept: CP %d of %d, AP %d of %d",
                kept(cp, cpAcknowledged), cpAcknowledged.size(), kept(ap, apAcknowledged), apAcknowledged.size()));

        System.out.println();
        System.out.println("No partition (PACELC's else): messages one read needs");
        System.out.println(String.format(Locale.ROOT, "  CP quorum read: %d, AP local read: %d",
                cp.read("B").messages(), ap.read("B").messages()));
    }

    /** Runs the partition scenario, prints its row, and returns the values whose writes were acknowledged. */
    static List<String> printRow(String name, Register register) {
        Outcome writeA = register.write("A", "v1");
        Outcome writeC = register.write("C", "v2");
        Outcome readB = register.read("B");
        Outcome readD = register.read("D");
        System.out.println(String.format(Locale.ROOT, "%-22s %-10s %-10s %-10s %-10s %s",
                name, writeA, writeC, readB, readD, register.values()));
        List<String> acknowledged = new ArrayList<>();
        if (writeA.ok()) {
            acknowledged.add("v1");
        }
        if (writeC.ok()) {
            acknowledged.add("v2");
        }
        return acknowledged;
    }

    /** How many acknowledged values some replica still holds. */
    static long kept(Register register, List<String> acknowledged) {
        return acknowledged.stream().filter(register.values()::containsValue).count();
    }
}
