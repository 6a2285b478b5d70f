import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Command Query Responsibility Segregation (CQRS) for bank accounts, from scratch and in memory:
 * a write side that validates commands and appends events to a log, and a read side of two views
 * that a projector builds from that log, later.
 *
 * <p>Algorithm. A command (open, deposit, withdraw) names an account and the version of it the
 * sender last saw. The {@link CommandHandler} checks the command against its write model, the
 * current balance and version of each account: the expected version must equal the current one
 * (optimistic concurrency) and a balance must never go below zero (the invariant). An accepted
 * command becomes one event, appended to an ordered {@link EventLog} in the same atomic step as the
 * write-model update; a rejected command changes nothing and emits nothing. A {@link Projector}
 * reads the log after its checkpoint, the position of the last event it applied, and feeds each
 * event to the read-side {@link Projection}s: balance by account, and accounts ranked by balance.
 * Events at or below the checkpoint are duplicates and are skipped, so redelivery is harmless, and
 * a new projector starting at position 1 rebuilds the views from scratch.
 *
 * <p>Trade-off. Each side gets a model shaped for its job: the write model holds only what the
 * invariants need, and the views hold answers ready to return. The price is a second model to
 * build and keep in step, and staleness: between a command and the projector's catch-up, queries
 * return the old answer. The write model here stores current state, not events, so it is CQRS
 * without event sourcing; the log is only the feed from which the read side is built.
 *
 * <p>Time. The projector runs only when the {@link #SCHEDULE} tells it to, standing in for a
 * consumer thread or process whose progress is not under the writer's control. Every run
 * interleaves the two sides in the same way, so the staleness is printed exactly.
 *
 * <p>Sources. G. Young, "CQRS Documents", 2010 (commands, events, the thin read layer, eventual
 * consistency, and an event store that rejects an append whose expected version is not the
 * aggregate's current one). M. Fowler, "CQRS", bliki, 2011, and "Event Sourcing", 2005.
 * B. Meyer, Object-Oriented Software Construction, 2nd ed., Prentice Hall, 1997 (command-query
 * separation). Microsoft Azure Architecture Center, "CQRS pattern".
 */
public class Cqrs {

    // tag::messages[]
    /** A request to change one account, with the account version its sender last saw. */
    sealed interface Command permits Open, Deposit, Withdraw {
        String account();

        long expectedVersion();
    }

    record Open(String account) implements Command {
        public long expectedVersion() {
            return 0; // version 0: the account must not exist yet
        }
    }

    record Deposit(String account, long amount, long expectedVersion) implements Command {
    }

    record Withdraw(String account, long amount, long expectedVersion) implements Command {
    }

    /** A fact the write side accepted; version is the account's version after it. */
    sealed interface Event permits Opened, Deposited, Withdrawn {
        String account();

        long version();
    }

    record Opened(String account, long version) implements Event {
    }

    record Deposited(String account, long version, long amount) implements Event {
    }

    record Withdrawn(String account, long version, long amount) implements Event {
    }

    /** An event at its position in the log: 1 for the first event, then 2, 3, ... */
    record Stored(long position, Event event) {
    }
    // end::messages[]

    // tag::log[]
    /** The event log: append-only, one total order, positions without gaps. */
    static class EventLog { // not final: a test wraps append
        private final List<Stored> events = new ArrayList<>();

        synchronized Stored append(Event event) {
            Stored stored = new Stored(events.size() + 1L, event);
            events.add(stored);
            return stored;
        }

        /** Up to max events, in log order, starting at position from (1 or more). */
        synchronized List<Stored> readFrom(long from, int max) {
            int start = (int) Math.min(from - 1, events.size());
            int end = (int) Math.min(events.size(), start + (long) max);
            return List.copyOf(events.subList(start, end));
        }

        synchronized long lastPosition() {
            return events.size();
        }
    }
    // end::log[]

    // tag::write-side[]
    /** The write model's state of one account: what the invariants need, no more. */
    record Account(long balance, long version) {
        static final Account NONE = new Account(0, 0);

        Account apply(Event event) {
            return switch (event) {
                case Opened o -> new Account(0, o.version());
                case Deposited d -> new Account(balance + d.amount(), d.version());
                case Withdrawn w -> new Account(balance - w.amount(), w.version());
            };
        }
    }

    /** What became of a command: the event it produced, or why it was rejected. */
    record Outcome(Stored stored, String rejection) {
        boolean accepted() {
            return stored != null;
        }
    }

    /**
     * The command side. It validates each command against the write model and turns an
     * accepted one into exactly one event. The version check and the append happen under
     * one lock, so of several commands sent with the same expected version, exactly one
     * can succeed.
     */
    static final class CommandHandler {
        private final Map<String, Account> accounts = new HashMap<>();
        private final EventLog log;

        CommandHandler(EventLog log) {
            this.log = log;
        }

        synchronized Outcome handle(Command command) {
            Account current = accounts.getOrDefault(command.account(), Account.NONE);
            if (!(command instanceof Open) && current.version() == 0) {
                return rejected("no account " + command.account());
            }
            if (command.expectedVersion() != current.version()) {
                return rejected("version conflict: sent v" + command.expectedVersion()
                        + ", " + command.account() + " is at v" + current.version());
            }
            long next = current.version() + 1;
            Event event;
            switch (command) {
                case Open open -> event = new Opened(open.account(), next);
                case Deposit deposit -> {
                    if (deposit.amount() <= 0) {
                        return rejected("amount must be positive");
                    }
                    event = new Deposited(deposit.account(), next, deposit.amount());
                }
                case Withdraw withdraw -> {
                    if (withdraw.amount() <= 0) {
                        return rejected("amount must be positive");
                    }
                    if (withdraw.amount() > current.balance()) {
                        return rejected("insufficient funds: "
                                + withdraw.account() + " has " + current.balance());
                    }
                    event = new Withdrawn(withdraw.account(), next, withdraw.amount());
                }
            }
            // The event and the new state change together, or not at all.
            Stored stored = log.append(event);
            accounts.put(command.account(), current.apply(event));
            return new Outcome(stored, null);
        }

        private static Outcome rejected(String reason) {
            return new Outcome(null, reason);
        }
        // end::write-side[]

        /** The write model's current state of an account, for the harness to compare against. */
        synchronized Account peek(String account) {
            return accounts.getOrDefault(account, Account.NONE);
        }

        /** The whole write model, sorted by account. */
        synchronized Map<String, Account> snapshot() {
            return new TreeMap<>(accounts);
        }
    // tag::write-side[]
    }
    // end::write-side[]

    // tag::projections[]
    /** A read model built from events. Each event must be applied once, in log order. */
    interface Projection {
        void apply(Event event);

        /** How an event changes a balance. */
        static long change(Event event) {
            return switch (event) {
                case Opened opened -> 0;
                case Deposited deposited -> deposited.amount();
                case Withdrawn withdrawn -> -withdrawn.amount();
            };
        }
    }

    /** Balance and version by account: what an account page shows. */
    static final class BalanceView implements Projection {
        record Row(long balance, long version) {
        }

        private final Map<String, Row> rows = new TreeMap<>();

        @Override
        public void apply(Event event) {
            Row row = rows.getOrDefault(event.account(), new Row(0, 0));
            long balance = row.balance() + Projection.change(event);
            rows.put(event.account(), new Row(balance, event.version()));
        }

        Row get(String account) {
            return rows.get(account);
        }
        // end::projections[]

        Map<String, Row> rows() {
            return new TreeMap<>(rows);
        }
    // tag::projections[]
    }

    /** Accounts ranked by balance, highest first, ties by name: a sorted leaderboard. */
    static final class TopAccountsView implements Projection {
        record Ranked(String account, long balance) {
        }

        static final Comparator<Ranked> ORDER = Comparator.comparingLong(Ranked::balance)
                .reversed().thenComparing(Ranked::account);

        private final Map<String, Long> balances = new HashMap<>();
        private final TreeSet<Ranked> ranking = new TreeSet<>(ORDER);

        @Override
        public void apply(Event event) {
            Long before = balances.get(event.account());
            if (before != null) {
                ranking.remove(new Ranked(event.account(), before));
            }
            long after = (before == null ? 0 : before) + Projection.change(event);
            balances.put(event.account(), after);
            ranking.add(new Ranked(event.account(), after));
        }

        List<Ranked> top(int n) {
            return ranking.stream().limit(n).toList();
        }
    }
    // end::projections[]

    // tag::projector[]
    /**
     * Feeds logged events to its projections in log order and remembers its checkpoint:
     * the position of the last event applied. An event at or below the checkpoint was
     * applied before and is skipped, so a redelivered event is not counted twice. In a
     * database the checkpoint must be written in the same transaction as the views.
     */
    static final class Projector {
        private final List<Projection> projections;
        private long checkpoint; // 0: nothing applied yet

        Projector(Projection... projections) {
            this.projections = List.of(projections);
        }

        /** Applies one delivered event; returns false if it had been applied already. */
        boolean deliver(Stored stored) {
            if (stored.position() <= checkpoint) {
                return false;
            }
            if (stored.position() != checkpoint + 1) {
                throw new IllegalStateException("gap: expected position " + (checkpoint + 1)
                        + ", got " + stored.position());
            }
            for (Projection projection : projections) {
                projection.apply(stored.event());
            }
            checkpoint = stored.position();
            return true;
        }

        /** Applies up to max events from after the checkpoint; returns how many. */
        int catchUp(EventLog log, int max) {
            int applied = 0;
            for (Stored stored : log.readFrom(checkpoint + 1, max)) {
                if (deliver(stored)) {
                    applied++;
                }
            }
            return applied;
        }

        long checkpoint() {
            return checkpoint;
        }
    }
    // end::projector[]

    /** One step of the simulation: a command, some projector progress, a query, or a fault. */
    sealed interface Step permits Send, Project, ReadBalance, ReadTop, Redeliver, Rebuild {
    }

    record Send(Command command) implements Step {
    }

    /** Lets the projector apply up to maxEvents events. */
    record Project(int maxEvents) implements Step {
    }

    record ReadBalance(String account) implements Step {
    }

    record ReadTop(int n) implements Step {
    }

    /** Delivers the event at this position to the projector again, as an at-least-once feed may. */
    record Redeliver(long position) implements Step {
    }

    /** Builds new views from position 1 of the log, compares them with the live ones, swaps them in. */
    record Rebuild() implements Step {
    }

    static final int ALL = Integer.MAX_VALUE;

    // tag::schedule[]
    static final List<Step> SCHEDULE = List.of(
            new Send(new Open("A")), new Send(new Open("B")), new Send(new Open("C")),
            new Send(new Deposit("A", 100, 1)),
            new Send(new Deposit("B", 50, 1)),
            new Send(new Deposit("C", 80, 1)),
            new Project(4), new ReadTop(3),        // the projector is part-way
            new Project(ALL), new ReadTop(3),
            new Send(new Withdraw("A", 30, 2)),
            new ReadBalance("A"), new ReadTop(2),  // before the projector sees it
            new Send(new Withdraw("A", 80, 2)),    // acting on the stale v2 just read
            new Send(new Withdraw("B", 80, 2)),    // B holds 50
            new Project(ALL),
            new ReadBalance("A"), new ReadTop(2),
            new Redeliver(7), new ReadBalance("A"),
            new Rebuild());
    // end::schedule[]

    /** Runs steps against one write side and one read side and describes each step in a line. */
    static final class Simulation {
        final EventLog log = new EventLog();
        final CommandHandler writeSide = new CommandHandler(log);
        BalanceView balances = new BalanceView();
        TopAccountsView top = new TopAccountsView();
        Projector projector = new Projector(balances, top);
        int stepsRun;

        String run(Step step) {
            stepsRun++;
            String what;
            String result;
            switch (step) {
                case Send send -> {
                    what = describe(send.command());
                    Outcome outcome = writeSide.handle(send.command());
                    result = outcome.accepted()
                            ? "accepted: " + describe(outcome.stored())
                            : "REJECTED (" + outcome.rejection() + "), no event";
                }
                case Project project -> {
                    what = project.maxEvents() == ALL ? "projector: catch up" : "projector: up to " + project.maxEvents() + " events";
                    int applied = projector.catchUp(log, project.maxEvents());
                    result = "applied " + applied + " event" + (applied == 1 ? "" : "s");
                }
                case ReadBalance read -> {
                    what = "query: balance of " + read.account();
                    BalanceView.Row row = balances.get(read.account());
                    Account truth = writeSide.peek(read.account());
                    boolean fresh = row.balance() == truth.balance() && row.version() == truth.version();
                    result = row.balance() + " (v" + row.version() + ")" + (fresh ? ", current"
                            : ", STALE; write side: " + truth.balance() + " (v" + truth.version() + ")");
                }
                case ReadTop read -> {
                    what = "query: top " + read.n() + " accounts";
                    String shown = ranking(top.top(read.n()));
                    String truth = ranking(writeSideTop(read.n()));
                    result = shown + (shown.equals(truth) ? ", current" : ", STALE; write side: " + truth);
                }
                case Redeliver redeliver -> {
                    what = "feed: deliver event " + redeliver.position() + " again";
                    Stored again = log.readFrom(redeliver.position(), 1).get(0);
                    result = projector.deliver(again) ? "applied AGAIN" : "skipped, already applied";
                }
                case Rebuild rebuild -> {
                    what = "rebuild views from position 1";
                    BalanceView freshBalances = new BalanceView();
                    TopAccountsView freshTop = new TopAccountsView();
                    Projector fresh = new Projector(freshBalances, freshTop);
                    int applied = fresh.catchUp(log, ALL);
                    boolean same = freshBalances.rows().equals(balances.rows())
                            && freshTop.top(ALL).equals(top.top(ALL));
                    balances = freshBalances;
                    top = freshTop;
                    projector = fresh;
                    result = "applied " + applied + ", same as the live views: " + (same ? "yes" : "NO");
                }
            }
            return String.format(Locale.ROOT, "%2d  %3d  %3d  %-30s %s",
                    stepsRun, log.lastPosition(), projector.checkpoint(), what, result);
        }

        /** What the top-n view would show if it were current, computed from the write model. */
        List<TopAccountsView.Ranked> writeSideTop(int n) {
            return writeSide.snapshot().entrySet().stream()
                    .map(e -> new TopAccountsView.Ranked(e.getKey(), e.getValue().balance()))
                    .sorted(TopAccountsView.ORDER).limit(n).toList();
        }
    }

    static String describe(Command command) {
        return switch (command) {
            case Open open -> "open " + open.account();
            case Deposit d -> "deposit " + d.amount() + " to " + d.account() + ", expect v" + d.expectedVersion();
            case Withdraw w -> "withdraw " + w.amount() + " from " + w.account() + ", expect v" + w.expectedVersion();
        };
    }

    static String describe(Stored stored) {
        Event e = stored.event();
        String name = e.getClass().getSimpleName();
        return name + " " + e.account() + " v" + e.version() + " at position " + stored.position();
    }

    static String ranking(List<TopAccountsView.Ranked> ranked) {
        return ranked.stream().map(r -> r.account() + " " + r.balance()).collect(Collectors.joining(", "));
    }

    public static void main(String[] args) {
        Simulation sim = new Simulation();
        System.out.println(String.format(Locale.ROOT, "%2s  %3s  %3s  %-30s %s",
                "#", "log", "chk", "step", "result"));
        for (Step step : SCHEDULE) {
            System.out.println(sim.run(step));
        }

        // The demo's invariants: caught up, the read side agrees with the write side, and the write
        // model is what folding the log account by account gives.
        Map<String, Account> folded = new TreeMap<>();
        for (Stored stored : sim.log.readFrom(1, ALL)) {
            String account = stored.event().account();
            folded.put(account, folded.getOrDefault(account, Account.NONE).apply(stored.event()));
        }
        Map<String, BalanceView.Row> expected = new TreeMap<>();
        sim.writeSide.snapshot().forEach((k, v) -> expected.put(k, new BalanceView.Row(v.balance(), v.version())));
        boolean caughtUp = sim.projector.checkpoint() == sim.log.lastPosition();
        boolean agrees = sim.balances.rows().equals(expected);
        boolean foldMatches = folded.equals(sim.writeSide.snapshot());
        boolean nonNegative = sim.writeSide.snapshot().values().stream().allMatch(a -> a.balance() >= 0);
        if (!(caughtUp && agrees && foldMatches && nonNegative)) {
            throw new IllegalStateException("invariant broken: caughtUp=" + caughtUp + " agrees=" + agrees
                    + " foldMatches=" + foldMatches + " nonNegative=" + nonNegative);
        }
        System.out.println("checks: read side = write side after catch-up; log folded by account = write model;"
                + " no balance below 0");
    }
}
