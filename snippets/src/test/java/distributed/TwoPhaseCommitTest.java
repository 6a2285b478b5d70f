import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link TwoPhaseCommit} to the claims of the distributed-transactions page. The fault
 * schedules are enumerated, not sampled: every crash point of every node is tried, every pair of
 * crash points on two different nodes, and every split of the coordinator from a subset of the
 * participants at every action of every node.
 */
class TwoPhaseCommitTest {

    private static final TwoPhaseCommit.Status C = TwoPhaseCommit.Status.COMMITTED;
    private static final TwoPhaseCommit.Status A = TwoPhaseCommit.Status.ABORTED;
    private static final TwoPhaseCommit.Status D = TwoPhaseCommit.Status.IN_DOUBT;
    private static final String[] VETOES = {null, "bank-a", "bank-c"};

    private static Map<String, TwoPhaseCommit.Status> all(TwoPhaseCommit.Status s) {
        Map<String, TwoPhaseCommit.Status> m = new TreeMap<>();
        TwoPhaseCommit.BANKS.forEach(b -> m.put(b, s));
        return m;
    }

    private static Map<String, TwoPhaseCommit.State> all(TwoPhaseCommit.State s) {
        Map<String, TwoPhaseCommit.State> m = new TreeMap<>();
        TwoPhaseCommit.BANKS.forEach(b -> m.put(b, s));
        return m;
    }

    private static Map<String, Integer> coordinatorOnly(Map<String, Integer> actions) {
        return Map.of(TwoPhaseCommit.COORDINATOR, actions.get(TwoPhaseCommit.COORDINATOR));
    }

    @Test
    void allYesCommitsEverywhereWithRecordsInTheRightOrder() {
        TwoPhaseCommit.TwoPc sys = TwoPhaseCommit.TwoPc.create(null);
        sys.begin("t1", 10);
        sys.net().settle(TwoPhaseCommit.PERIODS);
        assertEquals(all(C), sys.statuses("t1"));
        assertEquals("[COMMIT t1, END t1]", sys.coordinator().log.toString());
        for (TwoPhaseCommit.Participant p : sys.participants().values()) {
            assertEquals("[PREPARED t1 x=10, COMMIT t1]", p.log.toString(), p.name());
            assertEquals(10, p.data().get("x"));
            assertNull(p.lockHolder("x"), "a commit must release the lock");
        }
    }

    @Test
    void oneNoVoteAbortsEverywhereAndWritesNothing() {
        for (String veto : TwoPhaseCommit.BANKS) {
            TwoPhaseCommit.TwoPc sys = TwoPhaseCommit.TwoPc.create(veto);
            sys.begin("t2", 10);
            sys.net().settle(TwoPhaseCommit.PERIODS);
            assertEquals(all(A), sys.statuses("t2"), "veto by " + veto);
            assertEquals(TwoPhaseCommit.Type.ABORT, sys.coordinator().loggedDecision("t2"));
            sys.participants().values().forEach(p -> {
                assertNull(p.data().get("x"), p.name());
                assertNull(p.lockHolder("x"), p.name());
            });
        }
    }

    @Test
    void everySingleCrashPointIsAtomicAndOnlyTheWindowAfterTheVotesBlocks() {
        int runs = 0;
        for (String veto : VETOES) {
            for (TwoPhaseCommit.Fault f : TwoPhaseCommit.singleCrashes(TwoPhaseCommit.twoPcActions(veto))) {
                TwoPhaseCommit.Run r = TwoPhaseCommit.runTwoPc(veto, List.of(f));
                runs++;
                String where = "veto " + veto + ", " + f;
                assertTrue(TwoPhaseCommit.safe(r.before().values()), "before recovery: " + r.before() + " " + where);
                assertTrue(TwoPhaseCommit.atomic(r.after().values()), "after recovery: " + r.after() + " " + where);
                if (r.coordinatorDecision() == TwoPhaseCommit.Type.COMMIT) {
                    assertEquals(all(C), r.after(), where);
                }
                // Blocking needs all three yes votes and a coordinator that dies before any decision leaves.
                boolean window = veto == null && f.node().equals(TwoPhaseCommit.COORDINATOR)
                        && (f.beforeAction() == TwoPhaseCommit.decisionRecord()
                            || f.beforeAction() == TwoPhaseCommit.decisionRecord() + 1);
                assertEquals(window, r.blocked(), where);
                if (window) {
                    assertEquals(all(D), r.before(), where);
                }
            }
        }
        assertTrue(runs > 40, "too few crash points: " + runs);
    }

    @Test
    void everyPairOfCrashesOnTwoNodesIsAtomic() {
        int runs = 0;
        for (String veto : VETOES) {
            List<TwoPhaseCommit.Fault> faults = TwoPhaseCommit.singleCrashes(TwoPhaseCommit.twoPcActions(veto));
            for (TwoPhaseCommit.Fault f : faults) {
                for (TwoPhaseCommit.Fault g : faults) {
                    if (f.node().compareTo(g.node()) < 0) {
                        TwoPhaseCommit.Run r = TwoPhaseCommit.runTwoPc(veto, List.of(f, g));
                        runs++;
                        assertTrue(TwoPhaseCommit.safe(r.before().values()), r.before() + " " + f + " " + g);
                        assertTrue(TwoPhaseCommit.atomic(r.after().values()), r.after() + " " + f + " " + g);
                    }
                }
            }
        }
        assertTrue(runs > 250, "too few pairs: " + runs);
    }

    @Test
    void crashAfterTheVotesBlocksLocksAndPeersUntilTheCoordinatorRecovers() {
        // Crash before the decision record (recovery presumes abort) and just after it (recovery commits).
        int[] points = {TwoPhaseCommit.decisionRecord(), TwoPhaseCommit.decisionRecord() + 1};
        TwoPhaseCommit.Status[] outcomes = {A, C};
        for (int i = 0; i < points.length; i++) {
            TwoPhaseCommit.TwoPc sys = TwoPhaseCommit.TwoPc.create(null);
            sys.net().inject(new TwoPhaseCommit.Fault(TwoPhaseCommit.COORDINATOR, points[i], null));
            sys.begin("t3", 30);
            sys.net().settle(3 * TwoPhaseCommit.PERIODS);   // waiting longer changes nothing
            assertTrue(sys.net().isDown(TwoPhaseCommit.COORDINATOR));
            assertEquals(all(D), sys.statuses("t3"));
            for (TwoPhaseCommit.Participant p : sys.participants().values()) {
                assertEquals("t3", p.lockHolder("x"), p.name());
                assertFalse(p.localWrite("x", 7), "a second transaction on x must be refused at " + p.name());
                Map<String, TwoPhaseCommit.Type> replies = new TreeMap<>();
                TwoPhaseCommit.BANKS.stream().filter(b -> !b.equals(p.name()))
                        .forEach(b -> replies.put(b, TwoPhaseCommit.Type.UNCERTAIN));
                assertEquals(replies, p.replies("t3"), "every peer is as uncertain as " + p.name());
            }
            sys.net().recover(TwoPhaseCommit.COORDINATOR);
            sys.net().deliver();                            // no timeout yet: only the coordinator acts
            if (outcomes[i] == C) {
                assertEquals(all(C), sys.statuses("t3"), "the recovered coordinator must finish the commit itself");
            }
            sys.net().settle(TwoPhaseCommit.PERIODS);
            assertEquals(all(outcomes[i]), sys.statuses("t3"), "after recovery, crash point " + points[i]);
            for (TwoPhaseCommit.Participant p : sys.participants().values()) {
                assertNull(p.lockHolder("x"), p.name());
                assertEquals(outcomes[i] == C ? Integer.valueOf(30) : null, p.data().get("x"), p.name());
                assertTrue(p.localWrite("x", 7), p.name());
            }
            if (outcomes[i] == C) {
                assertEquals("[COMMIT t3, END t3]", sys.coordinator().log.toString());
            }
        }
    }

    @Test
    void aParticipantThatRecoversInDoubtRetakesItsLockAndLearnsTheOutcome() {
        // bank-b crashes just before sending its YES (its PREPARED record is on disk): the coordinator aborts.
        TwoPhaseCommit.TwoPc sys = TwoPhaseCommit.TwoPc.create(null);
        sys.net().inject(new TwoPhaseCommit.Fault("bank-b", 2, null));
        sys.begin("t", 5);
        sys.net().settle(TwoPhaseCommit.PERIODS);
        assertEquals(D, sys.participants().get("bank-b").status("t"));
        sys.net().recover("bank-b");
        assertEquals("t", sys.participants().get("bank-b").lockHolder("x"), "recovery must re-take the lock");
        sys.net().settle(TwoPhaseCommit.PERIODS);
        assertEquals(all(A), sys.statuses("t"));
    }

    @Test
    void partitionsNeverBreak2pcAtomicityTheyOnlyBlock() {
        int runs = 0;
        int blocked = 0;
        for (TwoPhaseCommit.Fault f : TwoPhaseCommit.partitions(TwoPhaseCommit.twoPcActions(null))) {
            TwoPhaseCommit.Run r = TwoPhaseCommit.runTwoPc(null, List.of(f));
            runs++;
            blocked += r.blocked() ? 1 : 0;
            assertTrue(TwoPhaseCommit.safe(r.before().values()), r.before() + " " + f);
            assertTrue(TwoPhaseCommit.atomic(r.after().values()), r.after() + " " + f);
        }
        assertEquals(7 * (8 + 3 * 4), runs, "7 splits times 20 actions");
        assertTrue(blocked > 0, "some partition must leave prepared participants waiting");
    }

    @Test
    void threePcCommitsAndAbortsWithoutFaults() {
        TwoPhaseCommit.ThreePc ok = TwoPhaseCommit.runThreePc("t", null, List.of());
        assertEquals(all(TwoPhaseCommit.State.COMMITTED), ok.states());
        assertEquals("[PRECOMMIT t, COMMIT t]", ok.coordinator().log.toString());
        ok.participants().values().forEach(p ->
                assertEquals("[PREPARED t, PRECOMMIT t, COMMIT t]", p.log.toString(), p.name()));
        for (String veto : TwoPhaseCommit.BANKS) {
            assertEquals(all(TwoPhaseCommit.State.ABORTED), TwoPhaseCommit.runThreePc("t", veto, List.of()).states());
        }
    }

    @Test
    void threePcSurvivorsAlwaysDecideAloneWhenTheCoordinatorCrashes() {
        int twoPcBlocked = 0;
        for (String veto : VETOES) {
            Map<String, Integer> actions = coordinatorOnly(TwoPhaseCommit.threePcActions(veto));
            for (TwoPhaseCommit.Fault f : TwoPhaseCommit.singleCrashes(actions)) {
                TwoPhaseCommit.ThreePc sys = TwoPhaseCommit.runThreePc("t", veto, List.of(f));
                assertTrue(sys.net().isDown(TwoPhaseCommit.COORDINATOR), f.toString());
                assertFalse(TwoPhaseCommit.threePcUndecided(sys.states().values()), "blocked: " + sys.states() + " " + f);
                assertTrue(TwoPhaseCommit.threePcConsistent(sys.states().values()), sys.states() + " " + f);
            }
            for (TwoPhaseCommit.Fault f : TwoPhaseCommit.singleCrashes(coordinatorOnly(TwoPhaseCommit.twoPcActions(veto)))) {
                twoPcBlocked += TwoPhaseCommit.runTwoPc(veto, List.of(f)).blocked() ? 1 : 0;
            }
        }
        assertTrue(twoPcBlocked > 0, "the same crashes must block 2PC, or the comparison shows nothing");
    }

    @Test
    void threePcCrashAfterOnePreCommitCommitsEverywhere() {
        TwoPhaseCommit.ThreePc sys = TwoPhaseCommit.runThreePc("t4", null,
                List.of(new TwoPhaseCommit.Fault(TwoPhaseCommit.COORDINATOR, TwoPhaseCommit.secondPreCommit(), null)));
        assertEquals(all(TwoPhaseCommit.State.COMMITTED), sys.states());
        assertEquals(List.of("bank-a sees {bank-a=PRECOMMITTED, bank-b=UNCERTAIN, bank-c=UNCERTAIN} -> DO_COMMIT"),
                sys.terminations());
    }

    @Test
    void threePcSplitsUnderAPartitionAtTheSameMoment() {
        TwoPhaseCommit.ThreePc sys = TwoPhaseCommit.runThreePc("t5", null, List.of(new TwoPhaseCommit.Fault(
                TwoPhaseCommit.COORDINATOR, TwoPhaseCommit.secondPreCommit(), Set.of(TwoPhaseCommit.COORDINATOR, "bank-a"))));
        Map<String, TwoPhaseCommit.State> expected = all(TwoPhaseCommit.State.ABORTED);
        expected.put("bank-a", TwoPhaseCommit.State.COMMITTED);
        assertEquals(expected, sys.states(), "3PC must show the split decision under this partition");
        assertFalse(TwoPhaseCommit.threePcConsistent(sys.states().values()));

        // The same partition under 2PC, at the same moment (after the decision, before it reaches b and c).
        TwoPhaseCommit.Run twoPc = TwoPhaseCommit.runTwoPc(null, List.of(new TwoPhaseCommit.Fault(
                TwoPhaseCommit.COORDINATOR, TwoPhaseCommit.decisionRecord() + 2, Set.of(TwoPhaseCommit.COORDINATOR, "bank-a"))));
        assertTrue(twoPc.blocked(), "2PC waits instead");
        assertEquals(C, twoPc.before().get("bank-a"));
        assertEquals(D, twoPc.before().get("bank-b"));
        assertEquals(all(C), twoPc.after());
    }

    @Test
    void someButNotAllPartitionPointsBreak3pc() {
        List<TwoPhaseCommit.Fault> faults = TwoPhaseCommit.partitions(TwoPhaseCommit.threePcActions(null));
        List<TwoPhaseCommit.Fault> bad = new ArrayList<>();
        for (TwoPhaseCommit.Fault f : faults) {
            TwoPhaseCommit.ThreePc sys = TwoPhaseCommit.runThreePc("t", null, List.of(f));
            if (!TwoPhaseCommit.threePcConsistent(sys.states().values())) {
                bad.add(f);
                // Each inconsistent run commits on the coordinator's side and aborts on the other.
                sys.participants().forEach((name, p) -> assertEquals(
                        f.cut().contains(name) ? TwoPhaseCommit.State.COMMITTED : TwoPhaseCommit.State.ABORTED,
                        p.state(), name + " " + f));
            }
        }
        assertFalse(bad.isEmpty());
        assertTrue(bad.size() < faults.size());
    }

    @Test
    void terminationRule() {
        assertEquals(TwoPhaseCommit.Type.ABORT, TwoPhaseCommit.ThreePcParticipant.terminationRule(
                List.of(TwoPhaseCommit.State.UNCERTAIN, TwoPhaseCommit.State.UNCERTAIN)));
        assertEquals(TwoPhaseCommit.Type.DO_COMMIT, TwoPhaseCommit.ThreePcParticipant.terminationRule(
                List.of(TwoPhaseCommit.State.UNCERTAIN, TwoPhaseCommit.State.PRECOMMITTED)));
        assertEquals(TwoPhaseCommit.Type.ABORT, TwoPhaseCommit.ThreePcParticipant.terminationRule(
                List.of(TwoPhaseCommit.State.INITIAL, TwoPhaseCommit.State.UNCERTAIN)));
        assertEquals(TwoPhaseCommit.Type.ABORT, TwoPhaseCommit.ThreePcParticipant.terminationRule(
                List.of(TwoPhaseCommit.State.ABORTED, TwoPhaseCommit.State.UNCERTAIN)));
        assertEquals(TwoPhaseCommit.Type.DO_COMMIT, TwoPhaseCommit.ThreePcParticipant.terminationRule(
                List.of(TwoPhaseCommit.State.COMMITTED, TwoPhaseCommit.State.PRECOMMITTED)));
    }
}
