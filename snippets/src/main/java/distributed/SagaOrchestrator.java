import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An orchestrated saga for a trip booking (flight, hotel, car), from scratch: local transactions
 * with compensations, a durable saga log the orchestrator resumes from, and participants that
 * deduplicate redelivered messages.
 *
 * <p>Algorithm. The orchestrator runs the steps in order, each a local transaction in one
 * participant, and appends each outcome to its saga log before acting on it. The steps are
 * compensatable (flight and hotel holds, undone by a cancel), then the pivot (the car booking: once
 * it succeeds the saga will complete), then retriable (confirming the holds, which cannot fail for
 * business reasons and are retried until they succeed). If a step before or at the pivot is
 * rejected, the orchestrator runs the compensations of the completed steps in reverse order,
 * retrying each until it succeeds. Every command carries a message id that is the same on every
 * retry; a participant records the ids it has processed, with their replies, in the same local
 * transaction as the change, so a redelivered command or compensation changes nothing twice.
 * Holds are created PENDING and become CONFIRMED at the end: a semantic lock that tells other
 * readers the booking may still be undone.
 *
 * <p>Trade-off. No participant holds a lock across the saga, so a failure elsewhere never blocks
 * it, unlike two-phase commit. In exchange there is no isolation: other transactions see the
 * intermediate state (a seat held, then released), and compensation is a new forward transaction,
 * not a rollback, so it must be designed for every step and must not be able to fail for good.
 *
 * <p>Sources. H. Garcia-Molina, K. Salem, "Sagas", SIGMOD 1987 (sagas, compensating transactions,
 * backward recovery, the saga log). C. Richardson, "Pattern: Saga", microservices.io, and
 * "Microservices Patterns", Manning 2018, chapter 4 (orchestration and choreography; compensatable,
 * pivot and retriable transactions; countermeasures such as the semantic lock).
 */
public class SagaOrchestrator {

    // ---------------------------------------------------------------- messages and participants

    enum Outcome { OK, REJECTED }

    /** A command to a participant. The id is the same on every delivery of this command. */
    record Command(String id, String saga, String action) {
    }

    /** Thrown by a participant that is unavailable: its local transaction did not happen. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String what) {
            super(what, null, false, false);
        }
    }

    // tag::participant[]
    /** One service with its own database: bookings, free capacity and processed message ids. */
    static final class Service {
        final String name;
        private int free;                                              // seats, rooms or cars left
        private final Map<String, String> bookings = new TreeMap<>();  // saga -> PENDING | CONFIRMED
        private final Map<String, Outcome> processed = new TreeMap<>(); // message id -> reply
        private final Map<String, Integer> failuresLeft = new TreeMap<>(); // injected outages per action
        private final Map<String, Integer> lostRepliesLeft = new TreeMap<>(); // injected lost replies

        Service(String name, int free) {
            this.name = name;
            this.free = free;
        }

        /** One local transaction: the change and the processed id commit together, or neither does. */
        Outcome handle(Command c) {
            Outcome outcome = processed.get(c.id());
            if (outcome == null) {                           // first delivery: do the work
                outage(failuresLeft, c, "unavailable");     // (injected: nothing happens)
                outcome = apply(c);
                processed.put(c.id(), outcome);
            }                                                // a redelivery: same reply, no second change
            outage(lostRepliesLeft, c, "reply lost");       // (injected: done, but the caller never hears)
            return outcome;
        }

        private Outcome apply(Command c) {
            return switch (c.action()) {
                case "reserve" -> hold(c.saga(), "PENDING");   // compensatable: a semantic lock
                case "book" -> hold(c.saga(), "CONFIRMED");    // the pivot: final at once
                case "confirm" -> {                           // retriable: cannot be refused
                    bookings.replace(c.saga(), "CONFIRMED");
                    yield Outcome.OK;
                }
                case "cancel" -> {                            // compensation: cannot be refused
                    if (bookings.remove(c.saga()) != null) {
                        free++;
                    }
                    yield Outcome.OK;                         // nothing to cancel is fine too
                }
                default -> throw new IllegalArgumentException(c.action());
            };
        }

        private Outcome hold(String saga, String status) {
            if (free == 0) {
                return Outcome.REJECTED;                     // a business failure, not an outage
            }
            free--;
            bookings.put(saga, status);
            return Outcome.OK;
        }
        // end::participant[]

        void failNext(String action, int times) {
            failuresLeft.put(action, times);
        }

        void loseRepliesNext(String action, int times) {
            lostRepliesLeft.put(action, times);
        }

        private void outage(Map<String, Integer> injected, Command c, String what) {
            int left = injected.getOrDefault(c.action(), 0);
            if (left > 0) {
                injected.put(c.action(), left - 1);
                throw new Unavailable(name + "." + c.action() + " " + what);
            }
        }

        int free() {
            return free;
        }

        Map<String, String> bookings() {
            return bookings;
        }

        @Override
        public String toString() {
            return name + " " + bookings + " free " + free;
        }
    }

    // ---------------------------------------------------------------- the saga definition

    enum Kind { COMPENSATABLE, PIVOT, RETRIABLE }

    record Step(String service, String action, String compensation, Kind kind) {
        String label() {
            return service + "." + action;
        }
    }

    // tag::definition[]
    static final List<Step> TRIP = List.of(
            new Step("flight", "reserve", "cancel", Kind.COMPENSATABLE),
            new Step("hotel", "reserve", "cancel", Kind.COMPENSATABLE),
            new Step("car", "book", null, Kind.PIVOT),
            new Step("flight", "confirm", null, Kind.RETRIABLE),
            new Step("hotel", "confirm", null, Kind.RETRIABLE));
    // end::definition[]

    /** One saga log record: a step's outcome, or the start or end of the saga. */
    record Rec(int step, String event) {
        String show(List<Step> steps) {
            if (step < 0) {
                return event;
            }
            Step s = steps.get(step);
            return (event.equals("COMPENSATED") ? s.service() + "." + s.compensation() : s.label()) + " " + event;
        }
    }

    static final class Crash extends RuntimeException {
        Crash() {
            super(null, null, false, false);
        }
    }

    /** The message broker: at-least-once delivery, with an injectable duplicate of chosen commands. */
    static final class Broker {
        private final Map<String, Service> services = new LinkedHashMap<>();
        final List<Command> delivered = new ArrayList<>();
        final List<String> duplicateActions = new ArrayList<>();   // "service.action" delivered twice

        void register(Service s) {
            services.put(s.name, s);
        }

        Outcome deliver(String service, Command c) {
            delivered.add(c);
            Outcome first = services.get(service).handle(c);
            if (duplicateActions.contains(service + "." + c.action())) {
                Outcome again = services.get(service).handle(c);
                if (again != first) {
                    throw new IllegalStateException("a duplicate changed the reply of " + c);
                }
            }
            return first;
        }

        /** Delivers every command again, in the order given, as a broker replaying its log would. */
        void redeliver(List<Command> commands, Map<String, String> serviceOf) {
            for (Command c : commands) {
                services.get(serviceOf.get(c.id())).handle(c);
            }
        }
    }

    // ---------------------------------------------------------------- the orchestrator

    static final int MAX_ATTEMPTS = 20;

    /** Runs one saga from its durable log; a new instance with the same log resumes where it stopped. */
    static final class Orchestrator {
        private final String saga;
        private final List<Step> steps;
        private final Broker broker;
        final List<Rec> log;                    // durable: survives a crash of the orchestrator
        private final int crashBeforeRecord;    // 0 = never
        final Map<String, String> serviceOf = new TreeMap<>();
        int retries;

        Orchestrator(String saga, List<Step> steps, Broker broker, List<Rec> log, int crashBeforeRecord) {
            this.saga = saga;
            this.steps = steps;
            this.broker = broker;
            this.log = log;
            this.crashBeforeRecord = crashBeforeRecord;
        }

        private void append(int step, String event) {
            if (log.size() + 1 == crashBeforeRecord) {
                throw new Crash();
            }
            log.add(new Rec(step, event));
        }

        // tag::orchestrator[]
        /** Forward through the steps; on a rejection, compensate the completed ones in reverse. */
        String run() {
            if (log.isEmpty()) {
                append(-1, "START");
            }
            int next = 0;
            int rejected = -1;
            for (Rec r : log) {                           // resume: replay what the log already says
                if (r.event().equals("OK")) {
                    next = r.step() + 1;
                } else if (r.event().equals("REJECTED")) {
                    rejected = r.step();
                } else if (r.step() < 0 && !r.event().equals("START")) {
                    return r.event();                    // already finished
                }
            }
            while (rejected < 0 && next < steps.size()) {
                Step s = steps.get(next);
                Outcome o = call(s.service(), next, s.action());
                if (o == Outcome.REJECTED && s.kind() == Kind.RETRIABLE) {
                    throw new IllegalStateException(s.label() + " is retriable and must not be refused");
                }
                append(next, o.name());                  // record the outcome before acting on it
                if (o == Outcome.REJECTED) {
                    rejected = next;
                } else {
                    next++;
                }
            }
            if (rejected < 0) {
                append(-1, "COMPLETED");
                return "COMPLETED";
            }
            for (int i = rejected - 1; i >= 0; i--) {     // backward recovery, in reverse order
                Step s = steps.get(i);
                if (s.kind() == Kind.COMPENSATABLE && !compensated(i)) {
                    call(s.service(), i, s.compensation()); // retried until it succeeds
                    append(i, "COMPENSATED");
                }
            }
            append(-1, "ABORTED");
            return "ABORTED";
        }

        /** Sends one command, with the same message id on every attempt, until a reply arrives. */
        private Outcome call(String service, int step, String action) {
            Command c = new Command(saga + "/" + step + "/" + action, saga, action);
            serviceOf.put(c.id(), service);
            for (int attempt = 1; ; attempt++) {
                try {
                    return broker.deliver(service, c);
                } catch (Unavailable e) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw new IllegalStateException("gave up on " + c + "; an operator must step in", e);
                    }
                    retries++;                            // in production: back off, then retry
                }
            }
        }
        // end::orchestrator[]

        private boolean compensated(int step) {
            return log.stream().anyMatch(r -> r.step() == step && r.event().equals("COMPENSATED"));
        }

        String show() {
            return String.join(", ", log.stream().map(r -> r.show(steps)).toList());
        }
    }

    // ---------------------------------------------------------------- harness

    /** Flight, hotel and car services with the given free capacity, on one broker. */
    record Trip(Broker broker, Service flight, Service hotel, Service car) {
        static Trip create(int flights, int rooms, int cars) {
            Broker b = new Broker();
            Trip t = new Trip(b, new Service("flight", flights), new Service("hotel", rooms), new Service("car", cars));
            t.services().forEach(b::register);
            return t;
        }

        List<Service> services() {
            return List.of(flight, hotel, car);
        }

        Service service(String name) {
            return services().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
        }

        /** The saga's bookings across the three services, e.g. {flight=CONFIRMED, hotel=CONFIRMED, car=...}. */
        Map<String, String> bookingsOf(String saga) {
            Map<String, String> m = new TreeMap<>();
            services().forEach(s -> {
                String b = s.bookings().get(saga);
                if (b != null) {
                    m.put(s.name, b);
                }
            });
            return m;
        }

        Map<String, Integer> free() {
            Map<String, Integer> m = new TreeMap<>();
            services().forEach(s -> m.put(s.name, s.free()));
            return m;
        }

        String freeCapacity() {
            return "free: flight " + flight.free() + ", hotel " + hotel.free() + ", car " + car.free();
        }
    }

    /**
     * All three booked and confirmed with exactly one unit of each capacity used, or nothing booked
     * and every capacity back to what it was before the saga.
     */
    static boolean allOrNothing(Trip trip, String saga, Map<String, Integer> freeBefore) {
        Map<String, String> bookings = trip.bookingsOf(saga);
        Map<String, Integer> expected = new TreeMap<>(freeBefore);
        if (bookings.equals(Map.of("flight", "CONFIRMED", "hotel", "CONFIRMED", "car", "CONFIRMED"))) {
            expected.replaceAll((service, free) -> free - 1);
        } else if (!bookings.isEmpty()) {
            return false;
        }
        return trip.free().equals(expected);
    }

    /** Runs a saga, restarting the orchestrator from its log after a crash at record {@code crashAt}. */
    static Orchestrator runWithCrash(Trip trip, String saga, int crashAt) {
        List<Rec> log = new ArrayList<>();
        Orchestrator first = new Orchestrator(saga, TRIP, trip.broker(), log, crashAt);
        try {
            first.run();
            return first;
        } catch (Crash c) {
            Orchestrator resumed = new Orchestrator(saga, TRIP, trip.broker(), log, 0);
            resumed.serviceOf.putAll(first.serviceOf);
            resumed.run();
            return resumed;
        }
    }

    public static void main(String[] args) {
        System.out.println("s1: everything available");
        Trip t1 = Trip.create(2, 2, 2);
        Orchestrator s1 = new Orchestrator("s1", TRIP, t1.broker(), new ArrayList<>(), 0);
        System.out.println("  " + s1.run() + ": " + s1.show());
        System.out.println("  bookings " + t1.bookingsOf("s1") + "; " + t1.freeCapacity());

        System.out.println("s2: no car left (the pivot fails); flight.cancel is unavailable twice");
        Trip t2 = Trip.create(2, 2, 0);
        t2.flight().failNext("cancel", 2);
        Orchestrator s2 = new Orchestrator("s2", TRIP, t2.broker(), new ArrayList<>(), 0);
        System.out.println("  " + s2.run() + ": " + s2.show());
        System.out.println("  retries " + s2.retries + "; bookings " + t2.bookingsOf("s2") + "; " + t2.freeCapacity());

        System.out.println("s3: the orchestrator crashes after car.book ran, before logging its reply");
        Trip t3 = Trip.create(2, 2, 2);
        List<Rec> log3 = new ArrayList<>();
        try {
            new Orchestrator("s3", TRIP, t3.broker(), log3, 4).run();
        } catch (Crash c) {
            System.out.println("  crashed; log so far: " + new Orchestrator("s3", TRIP, t3.broker(), log3, 0).show());
            System.out.println("  meanwhile a reader sees " + t3.bookingsOf("s3") + " (semantic lock)");
        }
        Orchestrator s3 = new Orchestrator("s3", TRIP, t3.broker(), log3, 0);
        System.out.println("  resumed: " + s3.run() + ": " + s3.show());
        System.out.println("  bookings " + t3.bookingsOf("s3") + "; " + t3.freeCapacity());

        System.out.println("Redelivery: every command of s1 and s2 delivered again, twice over");
        for (int i = 0; i < 2; i++) {
            t1.broker().redeliver(List.copyOf(t1.broker().delivered), s1.serviceOf);
            t2.broker().redeliver(List.copyOf(t2.broker().delivered), s2.serviceOf);
        }
        System.out.println("  s1 " + t1.bookingsOf("s1") + "; " + t1.freeCapacity());
        System.out.println("  s2 " + t2.bookingsOf("s2") + "; " + t2.freeCapacity());

        int runs = 0;
        int allOrNothing = 0;
        int completed = 0;
        for (String soldOut : new String[] {"none", "flight", "hotel", "car"}) {
            for (int crashAt = 0; crashAt <= TRIP.size() + 2; crashAt++) {
                Trip t = Trip.create(soldOut.equals("flight") ? 0 : 1, soldOut.equals("hotel") ? 0 : 1,
                        soldOut.equals("car") ? 0 : 1);
                Map<String, Integer> before = t.free();
                Orchestrator o = runWithCrash(t, "s", crashAt);
                runs++;
                allOrNothing += allOrNothing(t, "s", before) ? 1 : 0;
                completed += o.log.get(o.log.size() - 1).event().equals("COMPLETED") ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT,
                "Every sold-out step x every orchestrator crash point: %d runs, all-or-nothing %d, completed %d%n",
                runs, allOrNothing, completed);
    }
}
