import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link Cqrs} to what its page says: rejected commands emit no event and change no state;
 * the read side lags the write side by exactly the events the schedule has not yet let the
 * projector apply, and then converges; it is always the write side as it was at the checkpoint,
 * never a state that did not exist; redelivered events are not counted twice; a rebuild from the
 * log gives the same views; and of concurrent commands sent with the same expected version,
 * exactly one is accepted. Seeded random workloads check the same properties beyond the schedule.
 */
class CqrsTest {

    /* --------------- Helpers and an independent oracle --------------- */

    /** Runs the first n steps of the page's schedule. */
    private static Cqrs.Simulation runFirst(int n) {
        Cqrs.Simulation sim = new Cqrs.Simulation();
        for (Cqrs.Step step : Cqrs.SCHEDULE.subList(0, n)) {
            sim.run(step);
        }
        return sim;
    }

    /** Balance and version by account after the first upTo events of the log, computed here. */
    private static Map<String, long[]> oracle(Cqrs.EventLog log, long upTo) {
        Map<String, long[]> state = new TreeMap<>();
        for (Cqrs.Stored stored : log.readFrom(1, (int) upTo)) {
            Cqrs.Event event = stored.event();
            long[] row = state.computeIfAbsent(event.account(), a -> new long[2]);
            if (event instanceof Cqrs.Deposited d) {
                row[0] += d.amount();
            } else if (event instanceof Cqrs.Withdrawn w) {
                row[0] -= w.amount();
            }
            row[1]++; // each event of an account raises its version by one
            assertEquals(row[1], event.version(), "versions of " + event.account() + " must be 1, 2, 3, ...");
        }
        return state;
    }

    private static Map<String, String> asText(Map<String, long[]> oracle) {
        Map<String, String> text = new TreeMap<>();
        oracle.forEach((k, v) -> text.put(k, v[0] + "@v" + v[1]));
        return text;
    }

    private static Map<String, String> asText(Cqrs.BalanceView view) {
        Map<String, String> text = new TreeMap<>();
        view.rows().forEach((k, v) -> text.put(k, v.balance() + "@v" + v.version()));
        return text;
    }

    private static Map<String, String> writeModelAsText(Cqrs.CommandHandler writeSide) {
        Map<String, String> text = new TreeMap<>();
        writeSide.snapshot().forEach((k, v) -> text.put(k, v.balance() + "@v" + v.version()));
        return text;
    }

    /* --------------- The page's schedule, step by step --------------- */

    @Test
    void logAndCheckpointPositionsAfterEveryStepOfTheSchedule() {
        // log position / projector checkpoint after steps 1..21, worked out by hand from the schedule:
        // six accepted commands, projector to 4, then to 6; one accepted withdrawal (7), two rejected
        // ones, projector to 7; redelivery and rebuild leave both at 7.
        long[] log = {1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        long[] chk = {0, 0, 0, 0, 0, 0, 4, 4, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7};
        assertEquals(log.length, Cqrs.SCHEDULE.size());
        Cqrs.Simulation sim = new Cqrs.Simulation();
        for (int i = 0; i < log.length; i++) {
            sim.run(Cqrs.SCHEDULE.get(i));
            assertEquals(log[i], sim.log.lastPosition(), "log position after step " + (i + 1));
            assertEquals(chk[i], sim.projector.checkpoint(), "checkpoint after step " + (i + 1));
        }
    }

    @Test
    void aPartlyCaughtUpReadSideShowsTheWriteSideAsItWasAtTheCheckpoint() {
        Cqrs.Simulation sim = runFirst(7); // six events, projector applied 4
        assertEquals(Map.of("A", "100@v2", "B", "0@v1", "C", "0@v1"), asText(sim.balances));
        assertEquals(List.of("A", "B", "C"), sim.top.top(3).stream().map(Cqrs.TopAccountsView.Ranked::account).toList());
        assertEquals(asText(oracle(sim.log, 4)), asText(sim.balances));
    }

    @Test
    void rightAfterAWithdrawalTheReadSideIsStaleThenConverges() {
        Cqrs.Simulation sim = runFirst(11); // withdraw 30 from A accepted at position 7
        assertEquals(new Cqrs.Account(70, 3), sim.writeSide.peek("A"));
        assertEquals(new Cqrs.BalanceView.Row(100, 2), sim.balances.get("A"), "the read side still shows the old value");
        assertEquals(List.of(new Cqrs.TopAccountsView.Ranked("A", 100), new Cqrs.TopAccountsView.Ranked("C", 80)),
                sim.top.top(2));
        assertEquals(1, sim.log.lastPosition() - sim.projector.checkpoint(), "lag in events");

        Cqrs.Simulation later = runFirst(16); // the projector catches up at step 16
        assertEquals(new Cqrs.BalanceView.Row(70, 3), later.balances.get("A"));
        assertEquals(List.of(new Cqrs.TopAccountsView.Ranked("C", 80), new Cqrs.TopAccountsView.Ranked("A", 70)),
                later.top.top(2));
        assertEquals(writeModelAsText(later.writeSide), asText(later.balances));
    }

    @Test
    void theScheduleLinesSayWhatThePageSaysToLookFor() {
        Cqrs.Simulation sim = new Cqrs.Simulation();
        List<String> lines = new ArrayList<>();
        for (Cqrs.Step step : Cqrs.SCHEDULE) {
            lines.add(sim.run(step));
        }
        assertTrue(lines.get(7).contains("STALE"), lines.get(7));
        assertTrue(lines.get(9).endsWith("current"), lines.get(9));
        assertTrue(lines.get(11).contains("100 (v2), STALE; write side: 70 (v3)"), lines.get(11));
        assertTrue(lines.get(12).contains("STALE"), lines.get(12));
        assertTrue(lines.get(13).contains("REJECTED (version conflict: sent v2, A is at v3)"), lines.get(13));
        assertTrue(lines.get(14).contains("REJECTED (insufficient funds: B has 50)"), lines.get(14));
        assertTrue(lines.get(16).contains("70 (v3), current"), lines.get(16));
        assertTrue(lines.get(17).contains("C 80, A 70, current"), lines.get(17));
        assertTrue(lines.get(18).contains("skipped, already applied"), lines.get(18));
        assertTrue(lines.get(20).contains("same as the live views: yes"), lines.get(20));
    }

    @Test
    void mainRunsTheScheduleAndPassesItsOwnChecks() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Cqrs.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(Cqrs.SCHEDULE.size() + 2, out.lines().count(), "a header, one line per step, the checks");
        assertTrue(out.lines().reduce((a, b) -> b).orElseThrow().startsWith("checks:"));
    }

    /* --------------- Rejected commands --------------- */

    @ParameterizedTest
    @ValueSource(strings = {"stale-version", "future-version", "overdraw", "zero", "negative", "no-account",
            "open-twice"})
    void aRejectedCommandEmitsNoEventAndLeavesEveryModelUnchanged(String kind) {
        Cqrs.Simulation sim = runFirst(10); // A 100 v2, B 50 v2, C 80 v2, all projected
        Cqrs.Command command = switch (kind) {
            case "stale-version" -> new Cqrs.Deposit("A", 10, 1);
            case "future-version" -> new Cqrs.Deposit("A", 10, 3);
            case "overdraw" -> new Cqrs.Withdraw("B", 51, 2);
            case "zero" -> new Cqrs.Deposit("A", 0, 2);
            case "negative" -> new Cqrs.Withdraw("A", -5, 2);
            case "no-account" -> new Cqrs.Deposit("Z", 10, 1);
            case "open-twice" -> new Cqrs.Open("A");
            default -> throw new IllegalArgumentException(kind);
        };
        long logBefore = sim.log.lastPosition();
        Map<String, String> writeBefore = writeModelAsText(sim.writeSide);
        Map<String, String> readBefore = asText(sim.balances);

        Cqrs.Outcome outcome = sim.writeSide.handle(command);
        sim.projector.catchUp(sim.log, Cqrs.ALL);

        assertFalse(outcome.accepted(), kind);
        assertEquals(logBefore, sim.log.lastPosition(), "no event appended");
        assertEquals(writeBefore, writeModelAsText(sim.writeSide), "write model unchanged");
        assertEquals(readBefore, asText(sim.balances), "read model unchanged");
    }

    @Test
    void withdrawingTheWholeBalanceIsAllowedAndOneMoreIsNot() {
        Cqrs.Simulation sim = runFirst(10);
        assertFalse(sim.writeSide.handle(new Cqrs.Withdraw("B", 51, 2)).accepted());
        assertTrue(sim.writeSide.handle(new Cqrs.Withdraw("B", 50, 2)).accepted());
        assertEquals(new Cqrs.Account(0, 3), sim.writeSide.peek("B"));
    }

    /* --------------- Optimistic concurrency under real threads --------------- */

    @RepeatedTest(20)
    void ofConcurrentCommandsWithTheSameExpectedVersionExactlyOneIsAccepted() throws Exception {
        int clients = 8;
        Cqrs.EventLog log = new Cqrs.EventLog();
        Cqrs.CommandHandler writeSide = new Cqrs.CommandHandler(log);
        writeSide.handle(new Cqrs.Open("A"));
        writeSide.handle(new Cqrs.Deposit("A", 1_000, 1));
        // Every client read A at v2 and withdraws 10: each command is valid on its own, and all
        // eight together would still leave funds, so only the version check can reject them.
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Cqrs.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return writeSide.handle(new Cqrs.Withdraw("A", 10, 2));
                }));
            }
            int accepted = 0;
            for (Future<Cqrs.Outcome> f : outcomes) {
                Cqrs.Outcome outcome = f.get(10, TimeUnit.SECONDS);
                if (outcome.accepted()) {
                    accepted++;
                } else {
                    assertEquals("version conflict: sent v2, A is at v3", outcome.rejection());
                }
            }
            assertEquals(1, accepted);
            assertEquals(3, log.lastPosition());
            assertEquals(new Cqrs.Account(990, 3), writeSide.peek("A"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theVersionCheckAndTheAppendAreOneAtomicStep() throws Exception {
        // Forces the dangerous interleaving: the first client to reach append waits there until a
        // second one arrives too (or 500 ms pass). If the check and the append were not one atomic
        // step, both would pass the check with v2 and both would append. With the handler's lock,
        // the second client cannot reach append; the wait times out and it then sees v3.
        AtomicReference<CountDownLatch> bothAtAppend = new AtomicReference<>(); // null: no waiting
        Cqrs.EventLog log = new Cqrs.EventLog() {
            @Override
            Cqrs.Stored append(Cqrs.Event event) {
                CountDownLatch gate = bothAtAppend.get();
                if (gate != null) {
                    gate.countDown();
                    try {
                        gate.await(500, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.append(event);
            }
        };
        Cqrs.CommandHandler writeSide = new Cqrs.CommandHandler(log);
        writeSide.handle(new Cqrs.Open("A"));
        writeSide.handle(new Cqrs.Deposit("A", 100, 1));
        bothAtAppend.set(new CountDownLatch(2));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Cqrs.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return writeSide.handle(new Cqrs.Withdraw("A", 10, 2));
                }));
            }
            int accepted = 0;
            for (Future<Cqrs.Outcome> f : outcomes) {
                accepted += f.get(10, TimeUnit.SECONDS).accepted() ? 1 : 0;
            }
            assertEquals(1, accepted);
            assertEquals(new Cqrs.Account(90, 3), writeSide.peek("A"));
        } finally {
            pool.shutdownNow();
        }
    }

    /* --------------- Idempotent projection, rebuild --------------- */

    @Test
    void catchUpAppliesAtMostTheBatchSizeStartingAfterTheCheckpoint() {
        Cqrs.Simulation sim = runFirst(6); // six events, nothing projected
        assertEquals(List.of(5L, 6L), sim.log.readFrom(5, 2).stream().map(Cqrs.Stored::position).toList());
        assertEquals(List.of(), sim.log.readFrom(7, 2));
        assertEquals(2, sim.projector.catchUp(sim.log, 2));
        assertEquals(2, sim.projector.checkpoint());
        assertEquals(3, sim.projector.catchUp(sim.log, 3));
        assertEquals(5, sim.projector.checkpoint());
        assertEquals(1, sim.projector.catchUp(sim.log, 3));
        assertEquals(0, sim.projector.catchUp(sim.log, 3));
        assertEquals(6, sim.projector.checkpoint());
    }

    @Test
    void withoutTheCheckpointARedeliveredEventIsCountedTwice() {
        // The problem the checkpoint solves: a view on its own cannot tell a duplicate.
        Cqrs.BalanceView view = new Cqrs.BalanceView();
        view.apply(new Cqrs.Opened("A", 1));
        Cqrs.Event deposit = new Cqrs.Deposited("A", 2, 100);
        view.apply(deposit);
        view.apply(deposit);
        assertEquals(200, view.get("A").balance());
    }

    @Test
    void redeliveringAnyAppliedEventChangesNothing() {
        Cqrs.Simulation sim = runFirst(16); // caught up at 7
        Map<String, String> before = asText(sim.balances);
        List<Cqrs.TopAccountsView.Ranked> topBefore = sim.top.top(Cqrs.ALL);
        for (Cqrs.Stored stored : sim.log.readFrom(1, Cqrs.ALL)) {
            assertFalse(sim.projector.deliver(stored), "position " + stored.position());
        }
        assertEquals(before, asText(sim.balances));
        assertEquals(topBefore, sim.top.top(Cqrs.ALL));
        assertEquals(7, sim.projector.checkpoint());
    }

    @Test
    void anEventPastAGapIsRefusedRatherThanAppliedOutOfOrder() {
        Cqrs.Simulation sim = runFirst(6); // six events, nothing projected
        Cqrs.Stored fifth = sim.log.readFrom(5, 1).get(0);
        assertThrows(IllegalStateException.class, () -> sim.projector.deliver(fifth));
        assertEquals(0, sim.projector.checkpoint());
        assertEquals(Map.of(), asText(sim.balances));
    }

    @Test
    void aRebuildFromTheLogEqualsTheLiveViews() {
        Cqrs.Simulation sim = runFirst(20);
        Map<String, String> live = asText(sim.balances);
        List<Cqrs.TopAccountsView.Ranked> liveTop = sim.top.top(Cqrs.ALL);
        sim.run(new Cqrs.Rebuild());
        assertEquals(live, asText(sim.balances));
        assertEquals(liveTop, sim.top.top(Cqrs.ALL));
        assertEquals(sim.log.lastPosition(), sim.projector.checkpoint());
    }

    /* --------------- Seeded random workloads --------------- */

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void underRandomCommandsBatchesAndDuplicatesTheReadSideIsAlwaysAPastWriteSide(long seed) {
        Random random = new Random(seed);
        Cqrs.Simulation sim = new Cqrs.Simulation();
        String[] accounts = {"A", "B", "C", "D", "E"};
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            String account = accounts[random.nextInt(accounts.length)];
            Cqrs.Account seen = sim.writeSide.peek(account);
            // Mostly the current version; sometimes a stale one, as a client reading the read side sends.
            long version = random.nextInt(10) == 0 ? Math.max(0, seen.version() - 1) : seen.version();
            long amount = random.nextInt(120) - 10;
            Cqrs.Command command = switch (random.nextInt(5)) {
                case 0 -> new Cqrs.Open(account);
                case 1, 2 -> new Cqrs.Deposit(account, amount, version);
                default -> new Cqrs.Withdraw(account, amount, version);
            };
            long before = sim.log.lastPosition();
            Cqrs.Outcome outcome = sim.writeSide.handle(command);
            assertEquals(before + (outcome.accepted() ? 1 : 0), sim.log.lastPosition(), "one event per accepted command");
            rejected += outcome.accepted() ? 0 : 1;

            // The projector runs when the dice say, in batches, and some events arrive twice.
            if (random.nextInt(4) == 0) {
                int batch = 1 + random.nextInt(5);
                long lag = sim.log.lastPosition() - sim.projector.checkpoint();
                assertEquals(Math.min(batch, lag), sim.projector.catchUp(sim.log, batch));
            }
            if (sim.projector.checkpoint() > 0 && random.nextInt(6) == 0) {
                long again = 1 + random.nextInt((int) sim.projector.checkpoint());
                assertFalse(sim.projector.deliver(sim.log.readFrom(again, 1).get(0)));
            }
            // Stale, but never wrong: the read side is the write side as of the checkpoint.
            assertEquals(asText(oracle(sim.log, sim.projector.checkpoint())), asText(sim.balances));
            assertTrue(sim.writeSide.snapshot().values().stream().allMatch(a -> a.balance() >= 0));
        }
        assertTrue(rejected > 0 && rejected < 2_000, "the workload must exercise both outcomes");
        assertNotEquals(sim.log.lastPosition(), sim.projector.checkpoint(), "the workload should end with a lag");

        sim.projector.catchUp(sim.log, Cqrs.ALL);
        assertEquals(writeModelAsText(sim.writeSide), asText(sim.balances), "converged");
        assertEquals(asText(oracle(sim.log, sim.log.lastPosition())), writeModelAsText(sim.writeSide),
                "the write model is the log folded by account");

        List<Cqrs.TopAccountsView.Ranked> expectedTop = sim.writeSideTop(Cqrs.ALL);
        assertEquals(expectedTop, sim.top.top(Cqrs.ALL));
        Map<String, String> live = asText(sim.balances);
        sim.run(new Cqrs.Rebuild());
        assertEquals(live, asText(sim.balances), "rebuild equals live");
        assertEquals(expectedTop, sim.top.top(Cqrs.ALL));
    }
}
