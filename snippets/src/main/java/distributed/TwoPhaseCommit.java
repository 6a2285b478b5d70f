import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Atomic commitment across nodes: two-phase commit (2PC) with durable logs, crash recovery and
 * cooperative termination, and three-phase commit (3PC) with Skeen's termination protocol, all
 * from scratch on one deterministic in-process network.
 *
 * <p>Algorithm (2PC, presumed abort). The coordinator sends PREPARE to every participant. A
 * participant that can commit locks its key, forces a PREPARED record to its log and only then votes
 * YES; otherwise it votes NO. When every vote is YES the coordinator forces a COMMIT record, and only
 * then sends COMMIT; any NO or a missing vote makes it ABORT. A participant forces its decision
 * record before applying the write, releasing the lock and acknowledging. A coordinator that recovers
 * re-sends COMMIT for every COMMIT record without an END record; a transaction with no decision
 * record is presumed aborted.
 *
 * <p>Trade-off. 2PC is safe under crashes, lost messages and partitions: no two participants ever
 * decide differently. The price is blocking. A participant that voted YES is uncertain: it may not
 * commit (another participant may have voted NO) and may not abort (the coordinator may have
 * committed). If the coordinator fails at that point and no reachable participant knows the
 * outcome, the uncertain participants hold their locks until the coordinator recovers. 3PC adds a
 * pre-commit phase so that survivors can always decide, but only in a synchronous system whose
 * failures are crashes that timeouts detect correctly; under a network partition its two sides can
 * decide differently.
 *
 * <p>Sources. J. Gray, "Notes on Data Base Operating Systems", 1978 (two-phase commit). C. Mohan,
 * B. Lindsay, R. Obermarck, "Transaction Management in the R* Distributed Database Management
 * System", ACM TODS 11(4), 1986 (presumed abort). D. Skeen, "Nonblocking Commit Protocols", SIGMOD
 * 1981 (3PC and its termination protocol). P. Bernstein, V. Hadzilacos, N. Goodman, "Concurrency
 * Control and Recovery in Database Systems", 1987, chapter 7 (cooperative termination, 3PC).
 * J. Gray, L. Lamport, "Consensus on Transaction Commit", ACM TODS 31(1), 2006 (Paxos Commit).
 */
public class TwoPhaseCommit {

    static final String COORDINATOR = "coordinator";

    // ---------------------------------------------------------------- the network

    enum Type { PREPARE, YES, NO, COMMIT, ABORT, ACK, ASK, UNCERTAIN, CAN_COMMIT, PRE_COMMIT, DO_COMMIT }

    record Write(String key, int value) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    record Msg(String from, String to, Type type, String tx, Write write, List<String> group) {
        static Msg of(String from, String to, Type type, String tx) {
            return new Msg(from, to, type, tx, null, List.of());
        }
    }

    /** One durable log record. Logs survive a crash; everything else in a node is lost. */
    record Rec(String kind, String tx, Write write, List<String> group) {
        static Rec of(String kind, String tx) {
            return new Rec(kind, tx, null, List.of());
        }

        @Override
        public String toString() {
            return kind + " " + tx + (write == null ? "" : " " + write);
        }
    }

    interface Node {
        String name();

        void receive(Msg m);

        /** Called when a node has waited one timeout period with nothing left to deliver. */
        void onTimeout();

        /** Loses all volatile state; the durable log stays. */
        void crash();

        /** Rebuilds volatile state from the durable log. */
        void recover();
    }

    /**
     * A fault that fires just before {@code node} performs its {@code beforeAction}-th action (an
     * action is a log write or a send). With {@code cut == null} the node crashes; otherwise the
     * network splits into the nodes in {@code cut} and all the others.
     */
    record Fault(String node, int beforeAction, Set<String> cut) {
    }

    static final class Crash extends RuntimeException {
        Crash() {
            super(null, null, false, false);
        }
    }

    /**
     * A deterministic network: one FIFO queue of messages, delivered one at a time. When the queue
     * is empty, one timeout period passes and every live node's {@code onTimeout} runs.
     */
    static final class Net {
        private final Map<String, Node> nodes = new TreeMap<>();
        private final Deque<Msg> wire = new ArrayDeque<>();
        private final Set<String> down = new TreeSet<>();
        private final Map<String, Integer> actions = new TreeMap<>();
        private final List<Fault> faults = new ArrayList<>();
        private Set<String> cut = Set.of();
        private int sent;

        void add(Node node) {
            nodes.put(node.name(), node);
        }

        void inject(Fault fault) {
            faults.add(fault);
        }

        /** Counts one action of {@code node}; a fault planned for this action fires first. */
        void act(String node) {
            int n = actions.merge(node, 1, Integer::sum);
            for (Fault f : faults) {
                if (f.node().equals(node) && f.beforeAction() == n) {
                    if (f.cut() == null) {
                        throw new Crash();
                    }
                    cut = f.cut();
                }
            }
        }

        Map<String, Integer> actions() {
            return actions;
        }

        void send(Msg m) {
            act(m.from());
            wire.add(m);
            sent++;
        }

        boolean isDown(String node) {
            return down.contains(node);
        }

        /** Whether {@code a} can reach {@code b}: it is up and on the same side of any partition. */
        boolean connected(String a, String b) {
            return !down.contains(b) && cut.contains(a) == cut.contains(b);
        }

        void heal() {
            cut = Set.of();
        }

        /** Runs one step of a node; a {@link Crash} thrown inside takes the node down. */
        void run(String name, Runnable step) {
            if (down.contains(name)) {
                return;
            }
            try {
                step.run();
            } catch (Crash c) {
                down.add(name);
                nodes.get(name).crash();
            }
        }

        void crash(String name) {
            down.add(name);
            nodes.get(name).crash();
        }

        void recover(String name) {
            down.remove(name);
            run(name, nodes.get(name)::recover);
        }

        Set<String> downNodes() {
            return new TreeSet<>(down);
        }

        void deliver() {
            while (!wire.isEmpty()) {
                Msg m = wire.poll();
                if (connected(m.from(), m.to())) {
                    Node to = nodes.get(m.to());
                    run(m.to(), () -> to.receive(m));
                }
            }
        }

        /** Delivers, then lets timeouts fire, for at most {@code periods} timeout periods. */
        void settle(int periods) {
            for (int i = 0; i < periods; i++) {
                deliver();
                int before = sent;
                for (Node n : nodes.values()) {
                    run(n.name(), n::onTimeout);
                }
                if (sent == before) {
                    deliver();
                    return;
                }
            }
            deliver();
        }
    }

    // ---------------------------------------------------------------- 2PC participant

    enum Status { NOT_VOTED, IN_DOUBT, COMMITTED, ABORTED }

    /** A 2PC participant: one key-value store whose only truth is its durable log. */
    static final class Participant implements Node {
        private final String name;
        private final Net net;
        private final Predicate<Write> accepts;
        final List<Rec> log = new ArrayList<>();                     // durable
        private final Map<String, Integer> data = new TreeMap<>();   // rebuilt from the log
        private final Map<String, String> locks = new TreeMap<>();   // key -> transaction
        private final Map<String, Rec> inDoubt = new TreeMap<>();    // tx -> its PREPARED record
        private final Map<String, Map<String, Type>> replies = new TreeMap<>();

        Participant(String name, Net net, Predicate<Write> accepts) {
            this.name = name;
            this.net = net;
            this.accepts = accepts;
        }

        @Override
        public String name() {
            return name;
        }

        private void write(Rec r) {
            net.act(name);
            log.add(r);
        }

        @Override
        public void receive(Msg m) {
            switch (m.type()) {
                case PREPARE -> prepare(m);
                case COMMIT, ABORT -> decide(m.tx(), m.type());
                case ASK -> answer(m);
                case UNCERTAIN -> replies.computeIfAbsent(m.tx(), t -> new TreeMap<>()).put(m.from(), m.type());
                default -> { }
            }
        }

        // tag::participant[]
        /** Phase 1: vote. A YES vote is a promise, so the PREPARED record is on disk before it leaves. */
        void prepare(Msg m) {
            String tx = m.tx();
            String holder = locks.get(m.write().key());
            if (decision(tx) == Status.ABORTED || holder != null && !holder.equals(tx)
                    || !accepts.test(m.write())) {
                if (decision(tx) == null) {
                    write(Rec.of("ABORT", tx));            // a NO voter may forget: presumed abort
                }
                net.send(Msg.of(name, m.from(), Type.NO, tx));
                return;
            }
            locks.put(m.write().key(), tx);
            Rec prepared = new Rec("PREPARED", tx, m.write(), m.group());
            write(prepared);                               // force the log BEFORE voting yes
            inDoubt.put(tx, prepared);                     // from now on: uncertain
            net.send(Msg.of(name, m.from(), Type.YES, tx));
        }

        /** Phase 2: the decision, from the coordinator or from a peer that knows it. */
        void decide(String tx, Type outcome) {
            Rec prepared = inDoubt.remove(tx);
            if (prepared == null) {                        // a duplicate: acknowledge again
                if (decision(tx) == Status.COMMITTED) {
                    net.send(Msg.of(name, COORDINATOR, Type.ACK, tx));
                }
                return;
            }
            write(Rec.of(outcome.name(), tx));             // the decision is durable first
            if (outcome == Type.COMMIT) {
                data.put(prepared.write().key(), prepared.write().value());
            }
            locks.remove(prepared.write().key());
            if (outcome == Type.COMMIT) {
                net.send(Msg.of(name, COORDINATOR, Type.ACK, tx));
            }
        }
        // end::participant[]

        // tag::termination[]
        /** Cooperative termination: an uncertain participant asks the coordinator and every peer. */
        @Override
        public void onTimeout() {
            for (Rec p : List.copyOf(inDoubt.values())) {
                net.send(Msg.of(name, COORDINATOR, Type.ASK, p.tx()));
                for (String peer : p.group()) {
                    if (!peer.equals(name)) {
                        net.send(Msg.of(name, peer, Type.ASK, p.tx()));
                    }
                }
            }
        }

        /** A peer that knows the outcome tells it; one that never voted aborts alone and says so. */
        void answer(Msg m) {
            Status known = decision(m.tx());
            if (known == null && !inDoubt.containsKey(m.tx())) {
                write(Rec.of("ABORT", m.tx()));            // it can no longer vote yes
                known = Status.ABORTED;
            }
            Type reply = known == null ? Type.UNCERTAIN
                    : known == Status.COMMITTED ? Type.COMMIT : Type.ABORT;
            net.send(Msg.of(name, m.from(), reply, m.tx()));
        }
        // end::termination[]

        /** A local transaction on this node alone: refused while a lock holds the key. */
        boolean localWrite(String key, int value) {
            if (locks.containsKey(key)) {
                return false;
            }
            write(new Rec("LOCAL", "-", new Write(key, value), List.of()));
            data.put(key, value);
            return true;
        }

        @Override
        public void crash() {
            data.clear();
            locks.clear();
            inDoubt.clear();
            replies.clear();
        }

        /** Redo from the log: committed writes are replayed, PREPARED records re-take their locks. */
        @Override
        public void recover() {
            crash();
            Map<String, Rec> prepared = new LinkedHashMap<>();
            for (Rec r : log) {
                switch (r.kind()) {
                    case "PREPARED" -> prepared.put(r.tx(), r);
                    case "LOCAL" -> data.put(r.write().key(), r.write().value());
                    case "COMMIT" -> {
                        Rec p = prepared.remove(r.tx());
                        data.put(p.write().key(), p.write().value());
                    }
                    case "ABORT" -> prepared.remove(r.tx());
                    default -> throw new IllegalStateException(r.kind());
                }
            }
            for (Rec p : prepared.values()) {
                inDoubt.put(p.tx(), p);
                locks.put(p.write().key(), p.tx());
            }
        }

        Status decision(String tx) {
            Status s = null;
            for (Rec r : log) {
                if (r.tx().equals(tx) && r.kind().equals("COMMIT")) {
                    s = Status.COMMITTED;
                } else if (r.tx().equals(tx) && r.kind().equals("ABORT")) {
                    s = Status.ABORTED;
                }
            }
            return s;
        }

        /** Read from the durable log, so it is meaningful for a crashed node too. */
        Status status(String tx) {
            Status decided = decision(tx);
            if (decided != null) {
                return decided;
            }
            boolean prepared = log.stream().anyMatch(r -> r.tx().equals(tx) && r.kind().equals("PREPARED"));
            return prepared ? Status.IN_DOUBT : Status.NOT_VOTED;
        }

        Map<String, Integer> data() {
            return data;
        }

        String lockHolder(String key) {
            return locks.get(key);
        }

        Map<String, Type> replies(String tx) {
            return replies.getOrDefault(tx, Map.of());
        }
    }

    // ---------------------------------------------------------------- 2PC coordinator

    /** The 2PC coordinator, presumed-abort variant: only COMMIT decisions need a forced record. */
    static final class Coordinator implements Node {
        private final Net net;
        final List<Rec> log = new ArrayList<>();                           // durable
        private final Map<String, Progress> active = new TreeMap<>();      // volatile

        private static final class Progress {
            final List<String> group;
            final Map<String, Write> writes;
            final Set<String> yes = new TreeSet<>();
            final Set<String> acked = new TreeSet<>();
            Type decision;

            Progress(List<String> group, Map<String, Write> writes) {
                this.group = group;
                this.writes = writes;
            }
        }

        Coordinator(Net net) {
            this.net = net;
        }

        @Override
        public String name() {
            return COORDINATOR;
        }

        private void write(Rec r) {
            net.act(COORDINATOR);
            log.add(r);
        }

        // tag::coordinator[]
        void begin(String tx, Map<String, Write> writes) {
            List<String> group = List.copyOf(new TreeMap<>(writes).keySet());
            active.put(tx, new Progress(group, writes));
            for (String p : group) {
                net.send(new Msg(COORDINATOR, p, Type.PREPARE, tx, writes.get(p), group));
            }
        }

        @Override
        public void receive(Msg m) {
            Progress p = active.get(m.tx());
            switch (m.type()) {
                case YES -> {
                    if (p == null) {
                        return;                            // a late vote for a finished transaction
                    }
                    p.yes.add(m.from());
                    if (p.decision == null && p.yes.size() == p.group.size()) {
                        decide(m.tx(), p, Type.COMMIT);
                    }
                }
                case NO -> {
                    if (p != null && p.decision == null) {
                        decide(m.tx(), p, Type.ABORT);
                    }
                }
                case ACK -> {
                    if (p == null) {
                        return;                            // a duplicate after END
                    }
                    p.acked.add(m.from());
                    if (p.acked.size() == p.group.size()) {
                        write(Rec.of("END", m.tx()));      // every participant knows: forget it
                        active.remove(m.tx());
                    }
                }
                case ASK -> {
                    Type logged = loggedDecision(m.tx());
                    if (logged != null || p == null) {     // no record and not running: presumed abort
                        net.send(Msg.of(COORDINATOR, m.from(), logged != null ? logged : Type.ABORT, m.tx()));
                    }                                      // still collecting votes: the decision will come
                }
                default -> { }
            }
        }

        private void decide(String tx, Progress p, Type outcome) {
            write(new Rec(outcome.name(), tx, null, p.group)); // durable BEFORE anyone hears it
            p.decision = outcome;
            for (String participant : p.group) {
                net.send(Msg.of(COORDINATOR, participant, outcome, tx));
            }
            if (outcome == Type.ABORT) {
                active.remove(tx);                         // presumed abort needs no acknowledgements
            }
        }

        // end::coordinator[]

        // tag::recovery[]
        /** A vote that never came is a NO; a COMMIT that was not acknowledged is sent again. */
        @Override
        public void onTimeout() {
            for (Map.Entry<String, Progress> e : List.copyOf(active.entrySet())) {
                Progress p = e.getValue();
                if (p.decision == null) {
                    decide(e.getKey(), p, Type.ABORT);
                } else {
                    for (String participant : p.group) {
                        if (!p.acked.contains(participant)) {
                            net.send(Msg.of(COORDINATOR, participant, Type.COMMIT, e.getKey()));
                        }
                    }
                }
            }
        }

        /** Recovery: finish every COMMIT without an END; anything else is presumed aborted. */
        @Override
        public void recover() {
            active.clear();
            for (Rec r : log) {
                if (r.kind().equals("COMMIT")) {
                    Progress p = new Progress(r.group(), Map.of());
                    p.decision = Type.COMMIT;
                    active.put(r.tx(), p);
                } else if (r.kind().equals("END")) {
                    active.remove(r.tx());
                }
            }
            for (Map.Entry<String, Progress> e : active.entrySet()) {
                for (String participant : e.getValue().group) {
                    net.send(Msg.of(COORDINATOR, participant, Type.COMMIT, e.getKey()));
                }
            }
        }
        // end::recovery[]

        @Override
        public void crash() {
            active.clear();
        }

        Type loggedDecision(String tx) {
            for (Rec r : log) {
                if (r.tx().equals(tx) && (r.kind().equals("COMMIT") || r.kind().equals("ABORT"))) {
                    return Type.valueOf(r.kind());
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- 3PC

    enum State { INITIAL, UNCERTAIN, PRECOMMITTED, COMMITTED, ABORTED }

    /** A 3PC participant for one transaction, with Skeen's termination protocol on timeout. */
    static final class ThreePcParticipant implements Node {
        private final String name;
        private final Net net;
        private final boolean votesYes;
        final List<Rec> log = new ArrayList<>();
        private State state = State.INITIAL;
        private String tx;
        private List<ThreePcParticipant> group = List.of();
        String termination = "";

        ThreePcParticipant(String name, Net net, boolean votesYes) {
            this.name = name;
            this.net = net;
            this.votesYes = votesYes;
        }

        void group(List<ThreePcParticipant> all) {
            this.group = all;
        }

        @Override
        public String name() {
            return name;
        }

        State state() {
            return state;
        }

        private void enter(State next, String record) {
            net.act(name);
            log.add(Rec.of(record, tx));
            state = next;
        }

        @Override
        public void receive(Msg m) {
            tx = m.tx();
            switch (m.type()) {
                case CAN_COMMIT -> {
                    if (state == State.INITIAL) {
                        enter(votesYes ? State.UNCERTAIN : State.ABORTED, votesYes ? "PREPARED" : "ABORT");
                        net.send(Msg.of(name, COORDINATOR, votesYes ? Type.YES : Type.NO, tx));
                    }
                }
                case PRE_COMMIT -> {
                    if (state == State.UNCERTAIN) {
                        enter(State.PRECOMMITTED, "PRECOMMIT");
                        net.send(Msg.of(name, COORDINATOR, Type.ACK, tx));
                    }
                }
                case DO_COMMIT, ABORT -> adopt(m.type());
                default -> { }
            }
        }

        void adopt(Type decision) {
            if (state != State.COMMITTED && state != State.ABORTED) {
                enter(decision == Type.DO_COMMIT ? State.COMMITTED : State.ABORTED,
                        decision == Type.DO_COMMIT ? "COMMIT" : "ABORT");
            }
        }

        // tag::three-phase[]
        /**
         * Timeout with no word from the coordinator: act as backup coordinator for every participant
         * this node can reach, and decide from their states. The rule is safe only if "cannot reach"
         * means "has crashed", which holds in a synchronous system without partitions.
         */
        @Override
        public void onTimeout() {
            if (state != State.UNCERTAIN && state != State.PRECOMMITTED || net.connected(name, COORDINATOR)) {
                return;
            }
            Map<String, State> seen = new TreeMap<>();
            List<ThreePcParticipant> reachable = new ArrayList<>();
            for (ThreePcParticipant p : group) {
                if (p == this || net.connected(name, p.name)) {
                    seen.put(p.name, p.state);
                    reachable.add(p);
                }
            }
            Type decision = terminationRule(seen.values());
            termination = name + " sees " + seen + " -> " + decision;
            for (ThreePcParticipant p : reachable) {
                net.run(p.name, () -> p.adopt(decision));
            }
        }

        static Type terminationRule(Collection<State> states) {
            if (states.contains(State.COMMITTED)) {
                return Type.DO_COMMIT;
            }
            if (states.contains(State.ABORTED) || states.contains(State.INITIAL)) {
                return Type.ABORT;
            }
            if (states.contains(State.PRECOMMITTED)) {
                return Type.DO_COMMIT;  // (Skeen first moves the uncertain ones to PRECOMMITTED)
            }
            return Type.ABORT;          // all uncertain: the coordinator cannot have committed
        }
        // end::three-phase[]

        @Override
        public void crash() {
            state = State.INITIAL;
        }

        @Override
        public void recover() {
            // A recovering 3PC participant must ask the others; the demonstrations never need it.
            throw new UnsupportedOperationException("not modelled");
        }
    }

    /** The 3PC coordinator: CAN_COMMIT, then PRE_COMMIT once all vote yes, then DO_COMMIT once all acknowledge. */
    static final class ThreePcCoordinator implements Node {
        private enum Phase { IDLE, VOTING, PRECOMMITTING, DONE }

        private final Net net;
        final List<Rec> log = new ArrayList<>();
        private Phase phase = Phase.IDLE;
        private String tx;
        private List<String> group = List.of();
        private final Set<String> yes = new TreeSet<>();
        private final Set<String> acks = new TreeSet<>();

        ThreePcCoordinator(Net net) {
            this.net = net;
        }

        @Override
        public String name() {
            return COORDINATOR;
        }

        void begin(String tx, List<String> group) {
            this.tx = tx;
            this.group = group;
            phase = Phase.VOTING;
            for (String p : group) {
                net.send(Msg.of(COORDINATOR, p, Type.CAN_COMMIT, tx));
            }
        }

        @Override
        public void receive(Msg m) {
            if (m.type() == Type.YES && phase == Phase.VOTING && yes.add(m.from()) && yes.size() == group.size()) {
                net.act(COORDINATOR);
                log.add(Rec.of("PRECOMMIT", tx));
                phase = Phase.PRECOMMITTING;
                for (String p : group) {
                    net.send(Msg.of(COORDINATOR, p, Type.PRE_COMMIT, tx));
                }
            } else if (m.type() == Type.NO && phase == Phase.VOTING) {
                finish(Type.ABORT);
            } else if (m.type() == Type.ACK && phase == Phase.PRECOMMITTING
                    && acks.add(m.from()) && acks.size() == group.size()) {
                finish(Type.DO_COMMIT);
            }
        }

        /** Missing votes mean abort; missing acknowledgements mean those participants crashed: commit. */
        @Override
        public void onTimeout() {
            if (phase == Phase.VOTING) {
                finish(Type.ABORT);
            } else if (phase == Phase.PRECOMMITTING) {
                finish(Type.DO_COMMIT);
            }
        }

        private void finish(Type decision) {
            net.act(COORDINATOR);
            log.add(Rec.of(decision == Type.DO_COMMIT ? "COMMIT" : "ABORT", tx));
            phase = Phase.DONE;
            for (String p : group) {
                net.send(Msg.of(COORDINATOR, p, decision, tx));
            }
        }

        @Override
        public void crash() {
            phase = Phase.IDLE;
        }

        @Override
        public void recover() {
            throw new UnsupportedOperationException("not modelled");
        }
    }

    // ---------------------------------------------------------------- harness

    static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");
    static final int PERIODS = 4;

    /** One 2PC system: a coordinator and three participants; {@code veto} votes NO (null: nobody). */
    record TwoPc(Net net, Coordinator coordinator, Map<String, Participant> participants) {
        static TwoPc create(String veto) {
            Net net = new Net();
            Coordinator c = new Coordinator(net);
            net.add(c);
            Map<String, Participant> ps = new TreeMap<>();
            for (String b : BANKS) {
                Participant p = new Participant(b, net, w -> !b.equals(veto) && w.value() >= 0);
                ps.put(b, p);
                net.add(p);
            }
            return new TwoPc(net, c, ps);
        }

        void begin(String tx, int value) {
            Map<String, Write> writes = new TreeMap<>();
            for (String b : BANKS) {
                writes.put(b, new Write("x", value));
            }
            net.run(COORDINATOR, () -> coordinator.begin(tx, writes));
        }

        Map<String, Status> statuses(String tx) {
            Map<String, Status> s = new TreeMap<>();
            participants.forEach((name, p) -> s.put(name, p.status(tx)));
            return s;
        }

        /** Heals any partition, restarts every crashed node, and lets the protocol finish. */
        void recoverAll() {
            net.heal();
            for (String n : net.downNodes()) {
                net.recover(n);
            }
            net.settle(PERIODS);
        }
    }

    /** Never one participant committed while another aborted. */
    static boolean safe(Collection<Status> statuses) {
        return !(statuses.contains(Status.COMMITTED) && statuses.contains(Status.ABORTED));
    }

    /** Everyone committed, or nobody did and nobody is still waiting. */
    static boolean atomic(Collection<Status> statuses) {
        return statuses.stream().allMatch(s -> s == Status.COMMITTED)
                || !statuses.contains(Status.COMMITTED) && !statuses.contains(Status.IN_DOUBT);
    }

    /** Live participants stuck in doubt after every timeout has fired. */
    static boolean blocked(TwoPc sys, String tx) {
        return sys.participants().values().stream()
                .anyMatch(p -> !sys.net().isDown(p.name()) && p.status(tx) == Status.IN_DOUBT);
    }

    /** The outcome of one 2PC run with the given faults: before recovery, and after it. */
    record Run(Map<String, Status> before, boolean blocked, Map<String, Status> after, Type coordinatorDecision) {
    }

    static Run runTwoPc(String veto, List<Fault> faults) {
        TwoPc sys = TwoPc.create(veto);
        faults.forEach(sys.net()::inject);
        sys.begin("t", 5);
        sys.net().settle(PERIODS);
        Map<String, Status> before = sys.statuses("t");
        boolean blocked = blocked(sys, "t");
        sys.recoverAll();
        return new Run(before, blocked, sys.statuses("t"), sys.coordinator().loggedDecision("t"));
    }

    static Map<String, Integer> twoPcActions(String veto) {
        TwoPc sys = TwoPc.create(veto);
        sys.begin("t", 5);
        sys.net().settle(PERIODS);
        return new TreeMap<>(sys.net().actions());
    }

    /** Every single crash: each node, just before each of its actions. */
    static List<Fault> singleCrashes(Map<String, Integer> actions) {
        List<Fault> faults = new ArrayList<>();
        actions.forEach((node, count) -> {
            for (int k = 1; k <= count; k++) {
                faults.add(new Fault(node, k, null));
            }
        });
        return faults;
    }

    /** Every way to split the coordinator from some participants, at each action of each node. */
    static List<Fault> partitions(Map<String, Integer> actions) {
        List<Fault> faults = new ArrayList<>();
        for (int mask = 0; mask < (1 << BANKS.size()) - 1; mask++) {
            Set<String> side = new TreeSet<>(Set.of(COORDINATOR));
            for (int i = 0; i < BANKS.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    side.add(BANKS.get(i));
                }
            }
            for (Map.Entry<String, Integer> e : actions.entrySet()) {
                for (int k = 1; k <= e.getValue(); k++) {
                    faults.add(new Fault(e.getKey(), k, Set.copyOf(side)));
                }
            }
        }
        return faults;
    }

    /** One 3PC system; {@code veto} votes NO (null: nobody). */
    record ThreePc(Net net, ThreePcCoordinator coordinator, Map<String, ThreePcParticipant> participants) {
        static ThreePc create(String veto) {
            Net net = new Net();
            ThreePcCoordinator c = new ThreePcCoordinator(net);
            net.add(c);
            Map<String, ThreePcParticipant> ps = new TreeMap<>();
            for (String b : BANKS) {
                ThreePcParticipant p = new ThreePcParticipant(b, net, !b.equals(veto));
                ps.put(b, p);
                net.add(p);
            }
            List<ThreePcParticipant> all = List.copyOf(ps.values());
            all.forEach(p -> p.group(all));
            return new ThreePc(net, c, ps);
        }

        void begin(String tx) {
            net.run(COORDINATOR, () -> coordinator.begin(tx, BANKS));
        }

        Map<String, State> states() {
            Map<String, State> s = new TreeMap<>();
            participants.forEach((name, p) -> s.put(name, p.state()));
            return s;
        }

        List<String> terminations() {
            return participants.values().stream().map(p -> p.termination).filter(t -> !t.isEmpty()).toList();
        }
    }

    static ThreePc runThreePc(String tx, String veto, List<Fault> faults) {
        ThreePc sys = ThreePc.create(veto);
        faults.forEach(sys.net()::inject);
        sys.begin(tx);
        sys.net().settle(PERIODS);
        sys.net().heal();
        sys.net().settle(PERIODS);
        return sys;
    }

    static Map<String, Integer> threePcActions(String veto) {
        return new TreeMap<>(runThreePc("t", veto, List.of()).net().actions());
    }

    static boolean threePcConsistent(Collection<State> states) {
        return !(states.contains(State.COMMITTED) && states.contains(State.ABORTED));
    }

    static boolean threePcUndecided(Collection<State> states) {
        return states.contains(State.UNCERTAIN) || states.contains(State.PRECOMMITTED);
    }

    /** The coordinator action that sends the second PRE_COMMIT: the first one has gone to bank-a. */
    static int secondPreCommit() {
        return BANKS.size() + 1 + 2;   // three CAN_COMMITs, the PRECOMMIT record, the first PRE_COMMIT
    }

    /** The coordinator action that writes the 2PC decision record: after the three PREPAREs. */
    static int decisionRecord() {
        return BANKS.size() + 1;
    }

    public static void main(String[] args) {
        System.out.println("2PC t1: everyone votes yes");
        TwoPc happy = TwoPc.create(null);
        happy.begin("t1", 10);
        happy.net().settle(PERIODS);
        System.out.println("  coordinator log: " + happy.coordinator().log);
        System.out.println("  bank-a log:      " + happy.participants().get("bank-a").log);
        System.out.println("  outcome: " + happy.statuses("t1"));

        System.out.println("2PC t2: bank-c votes no (it refuses a negative value)");
        TwoPc refused = TwoPc.create(null);
        Map<String, Write> t2 = new TreeMap<>();
        BANKS.forEach(b -> t2.put(b, new Write("x", b.equals("bank-c") ? -1 : 10)));
        refused.net().run(COORDINATOR, () -> refused.coordinator().begin("t2", t2));
        refused.net().settle(PERIODS);
        System.out.println("  coordinator log: " + refused.coordinator().log);
        System.out.println("  outcome: " + refused.statuses("t2"));

        System.out.println("2PC t3: the coordinator logs COMMIT after three yes votes, then crashes");
        TwoPc crash = TwoPc.create(null);
        crash.net().inject(new Fault(COORDINATOR, decisionRecord() + 1, null));
        crash.begin("t3", 30);
        crash.net().settle(PERIODS);
        Participant a = crash.participants().get("bank-a");
        System.out.println("  after " + PERIODS + " timeouts: " + crash.statuses("t3")
                + ", coordinator down: " + crash.net().isDown(COORDINATOR));
        System.out.println("  bank-a asked its peers, replies: " + a.replies("t3"));
        System.out.println("  bank-a lock on x held by: " + a.lockHolder("x")
                + "; local write x=7 accepted: " + a.localWrite("x", 7));
        crash.net().recover(COORDINATOR);
        crash.net().settle(PERIODS);
        System.out.println("  coordinator recovers, reads " + crash.coordinator().log.get(0)
                + ", re-sends COMMIT: " + crash.statuses("t3"));
        System.out.println("  coordinator log: " + crash.coordinator().log);
        System.out.println("  bank-a x=" + a.data().get("x") + "; local write x=7 accepted: " + a.localWrite("x", 7));

        int runs = 0;
        int atomicRuns = 0;
        int blockedRuns = 0;
        for (String veto : new String[] {null, "bank-c"}) {
            for (Fault f : singleCrashes(twoPcActions(veto))) {
                Run r = runTwoPc(veto, List.of(f));
                runs++;
                atomicRuns += safe(r.before().values()) && atomic(r.after().values()) ? 1 : 0;
                blockedRuns += r.blocked() ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "2PC, one crash at every action of every node: %d runs, atomic %d, "
                + "blocked until recovery %d%n", runs, atomicRuns, blockedRuns);

        System.out.println("3PC t4: the coordinator crashes after PRE_COMMIT reached bank-a only");
        ThreePc crashed = runThreePc("t4", null, List.of(new Fault(COORDINATOR, secondPreCommit(), null)));
        crashed.terminations().forEach(t -> System.out.println("  timeout: " + t));
        System.out.println("  outcome: " + crashed.states() + ", coordinator down: "
                + crashed.net().isDown(COORDINATOR));

        System.out.println("3PC t5: same moment, but a partition {coordinator, bank-a} | {bank-b, bank-c}");
        ThreePc split = runThreePc("t5", null,
                List.of(new Fault(COORDINATOR, secondPreCommit(), Set.of(COORDINATOR, "bank-a"))));
        split.terminations().forEach(t -> System.out.println("  timeout: " + t));
        System.out.println("  coordinator log: " + split.coordinator().log);
        System.out.println("  outcome: " + split.states() + ", atomic: "
                + threePcConsistent(split.states().values()));

        int twoPcSplits = 0;
        int twoPcBad = 0;
        int twoPcBlocked = 0;
        for (Fault f : partitions(twoPcActions(null))) {
            Run r = runTwoPc(null, List.of(f));
            twoPcSplits++;
            twoPcBad += safe(r.before().values()) && atomic(r.after().values()) ? 0 : 1;
            twoPcBlocked += r.blocked() ? 1 : 0;
        }
        int threePcSplits = 0;
        int threePcBad = 0;
        for (Fault f : partitions(threePcActions(null))) {
            threePcSplits++;
            threePcBad += threePcConsistent(runThreePc("t", null, List.of(f)).states().values()) ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "Partitions at every action, healed afterwards:%n"
                + "  2PC: %d runs, inconsistent %d, blocked until healed %d%n"
                + "  3PC: %d runs, inconsistent %d%n",
                twoPcSplits, twoPcBad, twoPcBlocked, threePcSplits, threePcBad);
    }
}
