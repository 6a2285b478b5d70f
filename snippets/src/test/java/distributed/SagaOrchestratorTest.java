import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link SagaOrchestrator} to the claims of the saga page: all-or-nothing end states for every
 * failure point and every orchestrator crash point, compensations in reverse order, no double
 * booking under redelivery, and compensations retried until they succeed.
 */
class SagaOrchestratorTest {

    private static final String[] SOLD_OUT = {"flight", "hotel", "car"};

    private static SagaOrchestrator.Trip trip(String soldOut) {
        return SagaOrchestrator.Trip.create(soldOut.equals("flight") ? 0 : 1, soldOut.equals("hotel") ? 0 : 1,
                soldOut.equals("car") ? 0 : 1);
    }

    private static SagaOrchestrator.Orchestrator orchestrator(SagaOrchestrator.Trip t, String saga) {
        return new SagaOrchestrator.Orchestrator(saga, SagaOrchestrator.TRIP, t.broker(), new ArrayList<>(), 0);
    }

    /** The actions the services actually received, as "service.action", in delivery order. */
    private static List<String> delivered(SagaOrchestrator.Trip t, SagaOrchestrator.Orchestrator o) {
        return t.broker().delivered.stream().map(c -> o.serviceOf.get(c.id()) + "." + c.action()).toList();
    }

    @Test
    void everythingAvailableBooksAndConfirmsAll() {
        SagaOrchestrator.Trip t = trip("none");
        Map<String, Integer> before = t.free();
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s1");
        assertEquals("COMPLETED", o.run());
        assertEquals("START, flight.reserve OK, hotel.reserve OK, car.book OK, flight.confirm OK, hotel.confirm OK, COMPLETED",
                o.show());
        assertEquals(Map.of("flight", "CONFIRMED", "hotel", "CONFIRMED", "car", "CONFIRMED"), t.bookingsOf("s1"));
        assertTrue(SagaOrchestrator.allOrNothing(t, "s1", before));
        assertEquals(Map.of("car", 0, "flight", 0, "hotel", 0), t.free());
    }

    @Test
    void everyFailurePointEndsWithNothingBookedAndCompensatesInReverse() {
        List<List<String>> expectedCompensations = List.of(
                List.of(),                                   // flight refused: nothing to undo
                List.of("flight.cancel"),                    // hotel refused
                List.of("hotel.cancel", "flight.cancel"));   // car (the pivot) refused
        for (int i = 0; i < SOLD_OUT.length; i++) {
            SagaOrchestrator.Trip t = trip(SOLD_OUT[i]);
            Map<String, Integer> before = t.free();
            SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
            assertEquals("ABORTED", o.run(), SOLD_OUT[i]);
            assertEquals(Map.of(), t.bookingsOf("s"), SOLD_OUT[i]);
            assertEquals(before, t.free(), "capacity restored after " + SOLD_OUT[i] + " refused");
            List<String> cancels = delivered(t, o).stream().filter(a -> a.endsWith(".cancel")).toList();
            assertEquals(expectedCompensations.get(i), cancels, "compensations for " + SOLD_OUT[i]);
            List<Integer> compensatedSteps = o.log.stream().filter(r -> r.event().equals("COMPENSATED"))
                    .map(SagaOrchestrator.Rec::step).toList();
            List<Integer> descending = new ArrayList<>(compensatedSteps);
            descending.sort(Collections.reverseOrder());
            assertEquals(descending, compensatedSteps, "reverse order in the saga log");
            assertTrue(delivered(t, o).stream().noneMatch(a -> a.endsWith(".confirm")), "nothing past the refusal");
        }
    }

    @Test
    void everyOrchestratorCrashPointResumesToAllOrNothing() {
        for (String soldOut : new String[] {"none", "flight", "hotel", "car"}) {
            int records = orchestratorRecords(soldOut);
            for (int crashAt = 1; crashAt <= records; crashAt++) {
                SagaOrchestrator.Trip t = trip(soldOut);
                Map<String, Integer> before = t.free();
                SagaOrchestrator.Orchestrator o = SagaOrchestrator.runWithCrash(t, "s", crashAt);
                String end = o.log.get(o.log.size() - 1).event();
                assertEquals(soldOut.equals("none") ? "COMPLETED" : "ABORTED", end, soldOut + " crash " + crashAt);
                assertTrue(SagaOrchestrator.allOrNothing(t, "s", before),
                        soldOut + " crash before record " + crashAt + ": " + t.bookingsOf("s") + " " + t.free());
            }
        }
    }

    private static int orchestratorRecords(String soldOut) {
        SagaOrchestrator.Trip t = trip(soldOut);
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        o.run();
        return o.log.size();
    }

    @Test
    void duplicateDeliveriesNeverDoubleBook() {
        for (String soldOut : new String[] {"none", "flight", "hotel", "car"}) {
            SagaOrchestrator.Trip t = trip(soldOut);
            Map<String, Integer> before = t.free();
            for (SagaOrchestrator.Step s : SagaOrchestrator.TRIP) {
                t.broker().duplicateActions.add(s.label());
                if (s.compensation() != null) {
                    t.broker().duplicateActions.add(s.service() + "." + s.compensation());
                }
            }
            SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
            o.run();
            assertTrue(SagaOrchestrator.allOrNothing(t, "s", before), soldOut + ": " + t.bookingsOf("s") + " " + t.free());
            // A whole replay of the broker's history, forwards and backwards, changes nothing either.
            List<SagaOrchestrator.Command> history = List.copyOf(t.broker().delivered);
            Map<String, String> bookings = t.bookingsOf("s");
            Map<String, Integer> free = t.free();
            List<SagaOrchestrator.Command> backwards = new ArrayList<>(history);
            Collections.reverse(backwards);
            t.broker().redeliver(history, o.serviceOf);
            t.broker().redeliver(backwards, o.serviceOf);
            assertEquals(bookings, t.bookingsOf("s"), soldOut);
            assertEquals(free, t.free(), soldOut);
        }
    }

    @Test
    void aReservationRedeliveredAfterItsCancelDoesNotBookAgain() {
        SagaOrchestrator.Trip t = trip("car");
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        assertEquals("ABORTED", o.run());
        SagaOrchestrator.Command reserve = t.broker().delivered.get(0);
        assertEquals("reserve", reserve.action());
        t.broker().redeliver(List.of(reserve), o.serviceOf);
        assertEquals(Map.of(), t.bookingsOf("s"));
        assertEquals(1, t.flight().free());
    }

    @Test
    void aFailingCompensationIsRetriedUntilItSucceeds() {
        SagaOrchestrator.Trip t = trip("car");
        t.hotel().failNext("cancel", 5);
        t.flight().failNext("cancel", 3);
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        assertEquals("ABORTED", o.run());
        assertEquals(8, o.retries);
        assertEquals(Map.of(), t.bookingsOf("s"));
        assertEquals(Map.of("car", 0, "flight", 1, "hotel", 1), t.free());
    }

    @Test
    void anUnavailableForwardStepIsRetriedWithTheSameMessageId() {
        SagaOrchestrator.Trip t = trip("none");
        t.flight().failNext("reserve", 2);
        t.hotel().failNext("confirm", 4);
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        assertEquals("COMPLETED", o.run());
        assertEquals(6, o.retries);
        assertEquals(Map.of("car", 0, "flight", 0, "hotel", 0), t.free());
    }

    @Test
    void aStepWhoseRepliesAreLostIsDoneOnceThoughItIsSentSeveralTimes() {
        SagaOrchestrator.Trip t = trip("car");
        t.flight().loseRepliesNext("reserve", 3);   // the seat is held, the orchestrator never hears
        t.hotel().loseRepliesNext("cancel", 2);
        t.flight().loseRepliesNext("cancel", 2);
        Map<String, Integer> before = t.free();
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        assertEquals("ABORTED", o.run());
        assertEquals(7, o.retries);
        assertEquals(Map.of(), t.bookingsOf("s"));
        assertEquals(before, t.free(), "each retry reused the id, so one seat was held and one released");

        SagaOrchestrator.Trip ok = trip("none");
        ok.car().loseRepliesNext("book", 2);
        ok.hotel().loseRepliesNext("reserve", 1);
        assertEquals("COMPLETED", orchestrator(ok, "s").run(), "a lost reply must not look like a refusal");
        assertEquals(Map.of("car", 0, "flight", 0, "hotel", 0), ok.free());
    }

    @Test
    void aCompensationThatNeverSucceedsIsReportedNotDropped() {
        SagaOrchestrator.Trip t = trip("car");
        t.hotel().failNext("cancel", SagaOrchestrator.MAX_ATTEMPTS);
        SagaOrchestrator.Orchestrator o = orchestrator(t, "s");
        assertThrows(IllegalStateException.class, o::run);
        assertTrue(o.log.stream().noneMatch(r -> r.event().equals("ABORTED")), "the saga must not claim it finished");
    }

    @Test
    void holdsArePendingUntilTheSagaCompletes() {
        SagaOrchestrator.Trip t = trip("none");
        List<SagaOrchestrator.Rec> log = new ArrayList<>();
        // Crash just before the pivot's outcome is logged: the holds exist and are marked PENDING.
        assertThrows(SagaOrchestrator.Crash.class,
                () -> new SagaOrchestrator.Orchestrator("s", SagaOrchestrator.TRIP, t.broker(), log, 4).run());
        assertEquals(Map.of("flight", "PENDING", "hotel", "PENDING", "car", "CONFIRMED"), t.bookingsOf("s"));
        assertEquals("COMPLETED", new SagaOrchestrator.Orchestrator("s", SagaOrchestrator.TRIP, t.broker(), log, 0).run());
        assertEquals(Map.of("flight", "CONFIRMED", "hotel", "CONFIRMED", "car", "CONFIRMED"), t.bookingsOf("s"));
        assertEquals(Map.of("car", 0, "flight", 0, "hotel", 0), t.free(), "the re-sent car.book must not book twice");
    }
}
