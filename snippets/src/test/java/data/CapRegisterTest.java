import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapRegisterTest {

    private static CapRegister.Network partitioned() {
        CapRegister.Network network = new CapRegister.Network(CapRegister.REPLICAS);
        network.partition(CapRegister.MINORITY);
        return network;
    }

    @Test
    void theQuorumRegisterRefusesTheMinoritySideAndServesTheMajority() {
        CapRegister.QuorumRegister cp = new CapRegister.QuorumRegister(partitioned(), "v0");

        assertFalse(cp.write("A", "v1").ok());
        assertFalse(cp.read("B").ok());
        assertTrue(cp.write("C", "v2").ok());
        assertEquals("v2", cp.read("E").value());
        assertEquals(Map.of("A", "v0", "B", "v0", "C", "v2", "D", "v2", "E", "v2"), cp.values());
    }

    /** Linearizability for one client at a time: every read returns the last acknowledged write. */
    @Test
    void theQuorumRegisterNeverReturnsAnythingButTheLastAcknowledgedWrite() {
        Random random = new Random(38);
        CapRegister.Network network = new CapRegister.Network(CapRegister.REPLICAS);
        CapRegister.QuorumRegister cp = new CapRegister.QuorumRegister(network, "v0");
        String lastAcknowledged = "v0";
        int reads = 0;
        int refusals = 0;
        for (int step = 0; step < 5_000; step++) {
            if (random.nextInt(10) == 0) {
                Set<String> side = new TreeSet<>();
                CapRegister.REPLICAS.forEach(r -> { if (random.nextBoolean()) side.add(r); });
                if (side.isEmpty() || side.size() == CapRegister.REPLICAS.size()) {
                    network.heal();
                } else {
                    network.partition(side);
                }
            }
            String via = CapRegister.REPLICAS.get(random.nextInt(CapRegister.REPLICAS.size()));
            if (random.nextBoolean()) {
                String value = "w" + step;
                if (cp.write(via, value).ok()) {
                    lastAcknowledged = value;
                } else {
                    refusals++;
                }
            } else {
                CapRegister.Outcome read = cp.read(via);
                if (read.ok()) {
                    reads++;
                    assertEquals(lastAcknowledged, read.value(), "step " + step + " via " + via);
                } else {
                    refusals++;
                }
            }
        }
        assertTrue(reads > 1_000 && refusals > 100, "the history exercised both outcomes: " + reads + " " + refusals);
    }

    @Test
    void theEventualRegisterAcceptsBothSidesDivergesThenConvergesLosingOneWrite() {
        CapRegister.Network network = partitioned();
        CapRegister.EventualRegister ap = new CapRegister.EventualRegister(network, "v0");

        assertTrue(ap.write("A", "v1").ok());
        assertTrue(ap.write("C", "v2").ok());
        assertEquals("v1", ap.read("B").value());
        assertEquals("v2", ap.read("D").value());

        network.heal();
        ap.merge();

        assertEquals(1, new TreeSet<>(ap.values().values()).size(), "all replicas agree");
        assertEquals(List.of("kept v2, dropped v1"), ap.conflicts());
        assertEquals(1, CapRegister.kept(ap, List.of("v1", "v2")));
    }

    @Test
    void writesOnOneSideOnlyAreNewerNotConflictingAndSurviveTheMerge() {
        CapRegister.Network network = partitioned();
        CapRegister.EventualRegister ap = new CapRegister.EventualRegister(network, "v0");
        ap.write("A", "v1");
        ap.write("B", "v3");

        network.heal();
        ap.merge();

        assertEquals(List.of(), ap.conflicts(), "version vectors see causality, not a tie");
        assertEquals(Set.of("v3"), new TreeSet<>(ap.values().values()));
    }

    @Test
    void versionVectorsOrderCausallyRelatedWritesAndFlagConcurrentOnes() {
        CapRegister.Versioned base = CapRegister.Versioned.initial("v0");
        CapRegister.Versioned atA = base.writtenAt("A", "v1");
        CapRegister.Versioned thenAtB = atA.writtenAt("B", "v2");
        CapRegister.Versioned atC = base.writtenAt("C", "v3");

        assertTrue(base.isBefore(atA) && atA.isBefore(thenAtB));
        assertFalse(thenAtB.isBefore(atA));
        assertFalse(atA.isBefore(atC) || atC.isBefore(atA), "concurrent");
        assertNotEquals(atA.clock(), atC.clock());
    }

    @Test
    void withoutAPartitionAQuorumReadCostsMessagesAndALocalReadNone() {
        CapRegister.Network healthy = new CapRegister.Network(CapRegister.REPLICAS);
        CapRegister.QuorumRegister cp = new CapRegister.QuorumRegister(healthy, "v0");
        CapRegister.EventualRegister ap = new CapRegister.EventualRegister(healthy, "v0");

        assertEquals(2 * (CapRegister.REPLICAS.size() / 2), cp.read("B").messages(), "ask and hear back from 2 others");
        assertEquals(0, ap.read("B").messages());
    }

    @Test
    void theScenarioTheExamplePrintsAcknowledgesAndKeepsWhatThePageSays() {
        CapRegister.QuorumRegister cp = new CapRegister.QuorumRegister(partitioned(), "v0");
        CapRegister.EventualRegister ap = new CapRegister.EventualRegister(partitioned(), "v0");
        java.io.PrintStream out = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertEquals(List.of("v2"), CapRegister.printRow("cp", cp));
            assertEquals(List.of("v1", "v2"), CapRegister.printRow("ap", ap));
        } finally {
            System.setOut(out);
        }
    }
}
