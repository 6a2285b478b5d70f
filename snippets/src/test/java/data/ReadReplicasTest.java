import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link ReadReplicas} to what its page says: the lag on the fixed schedule (worked out by hand
 * below), the read-your-writes and monotonic-read violations of plain replica reads, that each router
 * prevents exactly the anomaly it claims to on a fixed schedule and on seeded random ones, and that an
 * asynchronous failover loses exactly the writes no replica had applied while a synchronous one loses
 * none.
 */
class ReadReplicasTest {

    private static final long FAST = ReadReplicas.FAST_DELAY;   // 50 ms
    private static final long SLOW = ReadReplicas.SLOW_DELAY;   // 400 ms

    /* --------------- The log and the replicas --------------- */

    @Test
    void aReplicaRefusesAGapOrARepeatInTheLog() {
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            ReadReplicas.Replica replica = cluster.replicas.get(0);
            replica.apply(new ReadReplicas.LogEntry(1, 0, "alice", "Alice"));
            assertThrows(IllegalStateException.class, () -> replica.apply(new ReadReplicas.LogEntry(3, 0, "bob", "Bob")));
            assertThrows(IllegalStateException.class, () -> replica.apply(new ReadReplicas.LogEntry(1, 0, "bob", "Bob")));
            assertEquals(1, replica.appliedLsn());
        }
    }

    @Test
    void anEntryNeverOvertakesTheOneAheadOfIt() {
        long[] delays = {300, 10};                                 // the second entry is faster on the wire
        int[] next = {0};
        try (ReadReplicas.Cluster cluster = new ReadReplicas.Cluster(ReadReplicas.Commit.ASYNC,
                List.of(() -> delays[next[0]++]))) {
            cluster.write(new ReadReplicas.Session("alice"), "A");   // t = 0, arrives at 300
            cluster.advanceTo(5);
            cluster.write(new ReadReplicas.Session("bob"), "B");     // t = 5, would arrive at 15: waits for 300
            cluster.advanceTo(299);
            assertEquals(0, cluster.replicas.get(0).appliedLsn());
            cluster.advanceTo(300);
            assertEquals(2, cluster.replicas.get(0).appliedLsn());
        }
    }

    @Test
    void theLagTableOnTheFixedSchedule() {
        // Writes at 0, 100, 200, 300 get LSN 1..4. replica-a applies them at 50, 150, 250, 350; replica-b
        // at 400, 500, 600, 700. Lag is the age of the oldest change a replica lacks.
        //   t=0:   a and b lack LSN 1, committed just now: 0 ms.
        //   t=150: a has 1, 2; b lacks 1 (committed at 0): 150 ms.
        //   t=320: a has 1..3, lacks 4 (committed at 300): 20 ms; b lacks 1: 320 ms.
        //   t=450: a has all; b has 1, lacks 2 (committed at 100): 350 ms.
        //   t=650: b has 1..3, lacks 4 (committed at 300): 350 ms.  t=700: b has all.
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            List<ReadReplicas.LagSample> expected = List.of(
                    new ReadReplicas.LagSample(0, 1, 0, 0, 0, 0),
                    new ReadReplicas.LagSample(150, 2, 2, 0, 0, 150),
                    new ReadReplicas.LagSample(320, 4, 3, 20, 0, 320),
                    new ReadReplicas.LagSample(450, 4, 4, 0, 1, 350),
                    new ReadReplicas.LagSample(650, 4, 4, 0, 3, 350),
                    new ReadReplicas.LagSample(700, 4, 4, 0, 4, 0));
            assertEquals(expected, ReadReplicas.lagTimeline(cluster));
            for (ReadReplicas.Replica replica : cluster.replicas) {
                assertEquals(cluster.primary.db.all(), replica.db.all(), replica.name() + " has converged");
            }
        }
    }

    @Test
    void aReplicaServesTheRowsOfExactlyTheEntriesItHasApplied() {
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            ReadReplicas.Session alice = new ReadReplicas.Session("alice");
            cluster.write(alice, "v1");                       // LSN 1 at t=0
            cluster.advanceTo(10);
            cluster.write(alice, "v2");                       // LSN 2 at t=10
            ReadReplicas.Replica fast = cluster.replicas.get(0);
            cluster.advanceTo(FAST - 1);
            assertEquals(new ReadReplicas.Row("alice", null, 0), fast.read("alice"));
            cluster.advanceTo(FAST);
            assertEquals(new ReadReplicas.Row("alice", "v1", 1), fast.read("alice"));
            cluster.advanceTo(10 + FAST);
            assertEquals(new ReadReplicas.Row("alice", "v2", 2), fast.read("alice"));
            assertEquals(new ReadReplicas.Row("alice", "v2", 2), cluster.primary.read("alice"));
        }
    }

    /* --------------- The audit that counts anomalies --------------- */

    @Test
    void theAuditCountsEachAnomalyByItsDefinition() {
        ReadReplicas.Audit audit = new ReadReplicas.Audit();
        ReadReplicas.Session alice = new ReadReplicas.Session("alice");
        alice.lastWriteLsn = 5;
        assertEquals("read-your-writes violated", audit.check(alice, read("replica-a", "alice", 4)));
        assertEquals("", audit.check(alice, read("primary", "alice", 5)));
        assertEquals("", audit.check(alice, read("replica-b", "bob", 7)));
        assertEquals("monotonic reads violated", audit.check(alice, read("replica-a", "bob", 6)));
        assertEquals("", audit.check(alice, read("replica-a", "bob", 7)));
        assertEquals(5, audit.reads);
        assertEquals(1, audit.ownWriteMissing);
        assertEquals(1, audit.wentBackInTime);
        assertEquals(1, audit.onPrimary);
    }

    private static ReadReplicas.Read read(String node, String user, long version) {
        return new ReadReplicas.Read(node, new ReadReplicas.Row(user, "x", version));
    }

    /* --------------- Part 2: the fixed scenario --------------- */

    @Test
    void theScenarioShowsEachViolationOnceAndEachFixHolds() {
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            ReadReplicas.lagTimeline(cluster);
            ReadReplicas.Scenario scenario = ReadReplicas.sessionScenario(cluster);
            assertEquals(5, scenario.renameLsn());
            List<ReadReplicas.Step> s = scenario.steps();
            // t=1010: no replica has LSN 5 (a gets it at 1050, b at 1400).
            assertStep(s.get(0), 1010, "alice", "any replica", "replica-a", 1, "read-your-writes violated");
            assertStep(s.get(1), 1010, "alice", "primary for 400 ms after a write", "primary", 5, "");
            assertStep(s.get(2), 1010, "alice", "replica at session LSN", "primary", 5, "");
            // t=1060: replica-a has LSN 5, replica-b does not.
            assertStep(s.get(3), 1060, "alice", "replica at session LSN", "replica-a", 5, "");
            assertStep(s.get(4), 1060, "carol", "any replica", "replica-a", 5, "");
            assertStep(s.get(5), 1060, "bob", "sticky replica", "replica-b", 1, "");
            assertStep(s.get(6), 1070, "carol", "any replica", "replica-b", 1, "monotonic reads violated");
            assertStep(s.get(7), 1070, "bob", "sticky replica", "replica-b", 1, "");
            assertEquals(8, s.size());
        }
    }

    private static void assertStep(ReadReplicas.Step step, long t, String who, String router, String node,
                                   long version, String problem) {
        assertEquals(t, step.millis());
        assertEquals(who, step.session());
        assertEquals(router, step.router());
        assertEquals(node, step.read().node());
        assertEquals(version, step.read().row().version());
        assertEquals(problem, step.problem());
    }

    @Test
    void aWindowShorterThanTheLagLetsTheViolationThrough() {
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            ReadReplicas.Session alice = new ReadReplicas.Session("alice");
            ReadReplicas.ReadRouter router = new ReadReplicas.PrimaryAfterWrite(100);
            long lsn = cluster.write(alice, "new");
            cluster.advanceTo(99);
            assertEquals("primary", cluster.read(alice, "alice", router).node());
            cluster.advanceTo(100);                            // window over; replica-a has it, replica-b not
            assertEquals(lsn, cluster.read(alice, "alice", router).row().version());  // turn 0: replica-a
            ReadReplicas.Read second = cluster.read(alice, "alice", router);          // turn 1: replica-b
            assertEquals("replica-b", second.node());
            assertEquals(0, second.row().version(), "her own write is missing");
        }
    }

    @Test
    void theSessionLsnRouterUsesTheReplicaOnceItHasCaughtUp() {
        try (ReadReplicas.Cluster cluster = ReadReplicas.fixedDelayCluster(ReadReplicas.Commit.ASYNC)) {
            ReadReplicas.Session alice = new ReadReplicas.Session("alice");
            ReadReplicas.ReadRouter router = new ReadReplicas.AtLeastSessionLsn();
            cluster.write(alice, "new");
            cluster.advanceTo(FAST - 1);
            assertEquals("primary", cluster.read(alice, "alice", router).node());
            cluster.advanceTo(FAST);
            for (int i = 0; i < 4; i++) {
                assertEquals("replica-a", cluster.read(alice, "alice", router).node(), "only replica-a has caught up");
            }
            cluster.advanceTo(SLOW);
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nodes.add(cluster.read(alice, "alice", router).node());
            }
            assertTrue(nodes.contains("replica-a") && nodes.contains("replica-b"), "both serve once both caught up");
        }
    }

    /* --------------- Part 3: seeded random schedules --------------- */

    private static final long[] SEEDS = {42, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static ReadReplicas.Audit run(ReadReplicas.ReadRouter router, long seed) {
        return ReadReplicas.randomWorkload(router, seed, ReadReplicas.OPERATIONS, ReadReplicas.FAST_MAX,
                ReadReplicas.SLOW_MAX);
    }

    @Test
    void plainReplicaReadsViolateBothGuarantees() {
        for (long seed : SEEDS) {
            ReadReplicas.Audit any = run(new ReadReplicas.AnyReplica(), seed);
            assertTrue(any.ownWriteMissing > 0, "seed " + seed);
            assertTrue(any.wentBackInTime > 0, "seed " + seed);
            assertEquals(0, any.onPrimary);
        }
    }

    @Test
    void readingThePrimaryForTheWorstLagGivesReadYourWritesOnly() {
        // Every delay is at most SLOW_MAX, and an entry waits only behind entries committed earlier, so
        // SLOW_MAX ms after a write every replica has it: a window of SLOW_MAX is exactly enough.
        boolean wentBack = false;
        boolean wentBackTooShort = false;
        for (long seed : SEEDS) {
            ReadReplicas.Audit audit = run(new ReadReplicas.PrimaryAfterWrite(ReadReplicas.SLOW_MAX), seed);
            assertEquals(0, audit.ownWriteMissing, "seed " + seed);
            wentBack |= audit.wentBackInTime > 0;
            ReadReplicas.Audit tooShort = run(new ReadReplicas.PrimaryAfterWrite(ReadReplicas.FAST_MAX), seed);
            assertTrue(tooShort.ownWriteMissing > 0, "a window shorter than the lag fails, seed " + seed);
            wentBackTooShort |= tooShort.wentBackInTime > 0;
        }
        assertTrue(wentBack && wentBackTooShort, "neither window does anything for monotonic reads");
    }

    @Test
    void aStickyReplicaGivesMonotonicReadsOnly() {
        for (long seed : SEEDS) {
            ReadReplicas.Audit audit = run(new ReadReplicas.StickyReplica(), seed);
            assertEquals(0, audit.wentBackInTime, "seed " + seed);
            assertTrue(audit.ownWriteMissing > 0, "seed " + seed);
            assertEquals(0, audit.onPrimary);
        }
    }

    @Test
    void routingBySessionLsnGivesBothAndLoadsThePrimaryLessThanTheSafeWindow() {
        for (long seed : SEEDS) {
            ReadReplicas.Audit lsn = run(new ReadReplicas.AtLeastSessionLsn(), seed);
            assertEquals(0, lsn.ownWriteMissing, "seed " + seed);
            assertEquals(0, lsn.wentBackInTime, "seed " + seed);
            ReadReplicas.Audit window = run(new ReadReplicas.PrimaryAfterWrite(ReadReplicas.SLOW_MAX), seed);
            assertTrue(lsn.onPrimary < window.onPrimary, "seed " + seed);
        }
    }

    @Test
    void everyRouterSeesTheSameWorkload() {
        for (java.util.function.Supplier<ReadReplicas.ReadRouter> router : ReadReplicas.workloadRouters()) {
            assertEquals(run(new ReadReplicas.AnyReplica(), 42).reads, run(router.get(), 42).reads);
        }
        assertEquals(ReadReplicas.workloadRouters().size(), ReadReplicas.workloadRouterNames().size());
    }

    /* --------------- Part 4: failover --------------- */

    @Test
    void asyncFailoverOnThePageLosesTheLastThreeWrites() {
        // Writes at 0, 20, 40, 60, 80 reach replica-a at 50, 70, 90, 110, 130; the crash comes at 80,
        // when replica-a has LSN 1 and 2 and replica-b nothing. replica-a is promoted; 3, 4, 5 are lost.
        ReadReplicas.FailoverRun run = ReadReplicas.failover(ReadReplicas.Commit.ASYNC);
        assertEquals(0.0, run.meanCommitWait());
        assertEquals("replica-a", run.failover().promoted().name());
        assertEquals(2, run.failover().promoted().appliedLsn());
        assertEquals(5, run.failover().primaryLsn());
        assertEquals(List.of(3L, 4L, 5L), run.failover().lost().stream().map(ReadReplicas.LogEntry::lsn).toList());
    }

    @Test
    void syncFailoverOnThePageLosesNothingAndEachCommitWaitsForTheFastReplica() {
        ReadReplicas.FailoverRun run = ReadReplicas.failover(ReadReplicas.Commit.SYNC);
        assertEquals((double) FAST, run.meanCommitWait());
        assertEquals("replica-a", run.failover().promoted().name());
        assertEquals(5, run.failover().promoted().appliedLsn());
        assertEquals(List.of(), run.failover().lost());
    }

    /** Delays drawn from a seeded generator, each one recorded so the test can recompute arrivals. */
    private static final class RecordedDelays implements LongSupplier {
        private final Random random;
        private final int max;
        final List<Long> drawn = new ArrayList<>();

        RecordedDelays(Random random, int max) {
            this.random = random;
            this.max = max;
        }

        @Override
        public long getAsLong() {
            long d = random.nextInt(max + 1);
            drawn.add(d);
            return d;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void asyncFailoverLosesExactlyTheWritesThePromotedReplicaHadNotReceived(long seed) {
        Random random = new Random(seed);
        RecordedDelays fast = new RecordedDelays(new Random(seed * 31 + 1), 100);
        RecordedDelays slow = new RecordedDelays(new Random(seed * 31 + 2), 400);
        List<Long> commitTimes = new ArrayList<>();
        List<String> users = new ArrayList<>();
        boolean slowFirst = seed % 2 == 0;                         // so either replica may be the one promoted
        List<LongSupplier> delays = slowFirst ? List.of(slow, fast) : List.of(fast, slow);
        try (ReadReplicas.Cluster cluster = new ReadReplicas.Cluster(ReadReplicas.Commit.ASYNC, delays)) {
            long t = 0;
            int writes = 20 + random.nextInt(30);
            for (int i = 0; i < writes; i++) {
                t += random.nextInt(30);
                cluster.advanceTo(t);
                String user = "user" + random.nextInt(6);          // rows are overwritten, too
                cluster.write(new ReadReplicas.Session(user), user + "#" + i);
                commitTimes.add(t);
                users.add(user);
            }
            long crashAt = t + random.nextInt(200);
            cluster.advanceTo(crashAt);

            // Recompute, independently, how many entries each replica had received by the crash.
            long receivedFast = received(commitTimes, fast.drawn, crashAt);
            long receivedSlow = received(commitTimes, slow.drawn, crashAt);
            long best = Math.max(receivedFast, receivedSlow);

            ReadReplicas.Failover failover = cluster.crashPrimaryAndPromote();
            assertEquals(best, failover.promoted().appliedLsn());
            if (receivedFast != receivedSlow) {
                boolean fastAhead = receivedFast > receivedSlow;
                assertEquals(fastAhead == slowFirst ? "replica-b" : "replica-a", failover.promoted().name(),
                        "the most advanced replica is promoted");
            }
            List<Long> unshipped = new ArrayList<>();
            for (long lsn = best + 1; lsn <= writes; lsn++) {
                unshipped.add(lsn);
            }
            assertEquals(unshipped, failover.lost().stream().map(ReadReplicas.LogEntry::lsn).toList());

            // The new primary holds exactly the state the log's first `best` entries produce.
            TreeMap<String, ReadReplicas.Row> expected = new TreeMap<>();
            for (int i = 0; i < best; i++) {
                expected.put(users.get(i), new ReadReplicas.Row(users.get(i), users.get(i) + "#" + i, i + 1));
            }
            assertEquals(List.copyOf(expected.values()), failover.promoted().db.all());
            assertThrows(IllegalStateException.class, () -> cluster.write(new ReadReplicas.Session("x"), "x"));
        }
    }

    /** Entries that arrived by `now` on an ordered stream: arrival = max(previous arrival, commit + delay). */
    private static long received(List<Long> commitTimes, List<Long> delays, long now) {
        long arrival = 0;
        long count = 0;
        for (int i = 0; i < commitTimes.size(); i++) {
            arrival = Math.max(arrival, commitTimes.get(i) + delays.get(i));
            if (arrival <= now) {
                count++;
            }
        }
        return count;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void syncFailoverNeverLosesAnAcknowledgedWrite(long seed) {
        Random random = new Random(seed);
        Random network = new Random(seed + 100);
        try (ReadReplicas.Cluster cluster = new ReadReplicas.Cluster(ReadReplicas.Commit.SYNC,
                List.of(() -> network.nextInt(101), () -> network.nextInt(401)))) {
            int writes = 10 + random.nextInt(20);
            for (int i = 0; i < writes; i++) {
                cluster.advanceTo(cluster.clock.millis() + random.nextInt(30));
                long lsn = cluster.write(new ReadReplicas.Session("user" + random.nextInt(6)), "n" + i);
                long applied = Math.max(cluster.replicas.get(0).appliedLsn(), cluster.replicas.get(1).appliedLsn());
                assertTrue(applied >= lsn, "acknowledged only once a replica has applied it");
            }
            ReadReplicas.Failover failover = cluster.crashPrimaryAndPromote();
            assertEquals(List.of(), failover.lost(), "seed " + seed);
            assertEquals(cluster.primary.db.all(), failover.promoted().db.all());
        }
    }
}
