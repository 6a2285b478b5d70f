// requires: com.h2database:h2:2.4.240
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A primary and two asynchronous read replicas, each a real H2 in-memory database, kept in step by a
 * replication log written from scratch. Every write commits on the primary and appends one entry, a
 * log sequence number (LSN) and the row it wrote, to the log; each replica applies the entries in LSN
 * order when the simulated network delivers them. Time is a manual clock and every delay is fixed or
 * drawn from a seeded random generator, so every run prints the same thing.
 *
 * <p>The program shows replication lag, the two session anomalies that reading from lagging replicas
 * causes (a user not seeing her own write; a user seeing a newer value, then an older one), the read
 * routers that prevent each, and what an asynchronous failover loses compared with a synchronous one.
 *
 * <p>Sources: PostgreSQL documentation, "High Availability, Load Balancing, and Replication" (streaming
 * replication, synchronous_commit, pg_last_wal_replay_lsn); MySQL Reference Manual, "Replication"
 * (semisynchronous replication, WAIT_FOR_EXECUTED_GTID_SET); D. B. Terry et al., "Session guarantees
 * for weakly consistent replicated data", PDIS 1994 (read your writes, monotonic reads).
 */
public class ReadReplicas {

    /** Where the simulation reads the time, in milliseconds. */
    interface Clock {
        long millis();
    }

    /** A clock that moves only when told to. */
    static final class ManualClock implements Clock {
        private long now;

        void advanceTo(long millis) {
            if (millis < now) {
                throw new IllegalArgumentException("time only moves forward: " + millis + " < " + now);
            }
            now = millis;
        }

        @Override
        public long millis() {
            return now;
        }
    }

    /** A profile row as a node returns it. Its version is the LSN of the write that produced it, 0 if none. */
    record Row(String userId, String name, long version) {
    }

    /** One H2 in-memory database with a profile table; each node of the cluster owns one. */
    static final class Database implements AutoCloseable {
        private static final AtomicInteger NEXT_ID = new AtomicInteger();
        private final Connection connection;
        private final PreparedStatement merge;
        private final PreparedStatement select;

        Database(String node) {
            String url = "jdbc:h2:mem:read_replicas_" + NEXT_ID.incrementAndGet() + "_" + node.replace('-', '_');
            try {
                connection = DriverManager.getConnection(url);   // the database lives until this connection closes
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE TABLE profile (user_id VARCHAR(20) PRIMARY KEY, "
                            + "name VARCHAR(100) NOT NULL, version BIGINT NOT NULL)");
                }
                merge = connection.prepareStatement(
                        "MERGE INTO profile (user_id, name, version) KEY (user_id) VALUES (?, ?, ?)");
                select = connection.prepareStatement("SELECT name, version FROM profile WHERE user_id = ?");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        void upsert(String userId, String name, long version) {
            try {
                merge.setString(1, userId);
                merge.setString(2, name);
                merge.setLong(3, version);
                merge.executeUpdate();                           // auto-commit: one statement, one transaction
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        Row select(String userId) {
            try {
                select.setString(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? new Row(userId, rows.getString(1), rows.getLong(2)) : new Row(userId, null, 0);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Every row, by user id: for comparing two nodes. */
        List<Row> all() {
            List<Row> all = new ArrayList<>();
            try (Statement select = connection.createStatement();
                 ResultSet rows = select.executeQuery("SELECT user_id, name, version FROM profile ORDER BY user_id")) {
                while (rows.next()) {
                    all.add(new Row(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return all;
        }

        @Override
        public void close() {
            try {
                connection.close();                              // closes its statements too
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // tag::log[]
    /** A node that serves reads, and how far into the log its data reaches. */
    interface Node {
        String name();

        long appliedLsn();

        Row read(String userId);
    }

    /** One entry of the replication log: the row image a committed write produced, and when. */
    record LogEntry(long lsn, long committedAt, String userId, String name) {
    }

    /**
     * The primary, the only node that takes writes. A write commits on its database and appends one
     * entry to the log under the next LSN. A real primary makes the log record part of the commit (the
     * write-ahead log, the binary log); here the two steps run back to back on one thread.
     */
    static final class Primary implements Node {
        final Database db = new Database("primary");
        private final Clock clock;
        private final List<LogEntry> log = new ArrayList<>();

        Primary(Clock clock) {
            this.clock = clock;
        }

        LogEntry write(String userId, String name) {
            long lsn = log.size() + 1;
            db.upsert(userId, name, lsn);
            LogEntry entry = new LogEntry(lsn, clock.millis(), userId, name);
            log.add(entry);
            return entry;
        }

        /** Entries from the given LSN on (LSNs start at 1). */
        List<LogEntry> logFrom(long lsn) {
            return List.copyOf(log.subList((int) Math.min(lsn - 1, log.size()), log.size()));
        }

        @Override
        public String name() {
            return "primary";
        }

        @Override
        public long appliedLsn() {
            return log.size();
        }

        @Override
        public Row read(String userId) {
            return db.select(userId);
        }
    }
    // end::log[]

    // tag::replica[]
    /** A read replica: applies log entries strictly in LSN order and remembers the last one applied. */
    static final class Replica implements Node {
        private final String name;
        final Database db;
        private long appliedLsn;

        Replica(String name) {
            this.name = name;
            this.db = new Database(name);
        }

        void apply(LogEntry entry) {
            if (entry.lsn() != appliedLsn + 1) {
                throw new IllegalStateException(name + " expected LSN " + (appliedLsn + 1) + ", got " + entry.lsn());
            }
            db.upsert(entry.userId(), entry.name(), entry.lsn());
            appliedLsn = entry.lsn();
        }

        @Override
        public String name() {
            return name;
        }

        /** What pg_last_wal_replay_lsn() reports on a PostgreSQL standby. */
        @Override
        public long appliedLsn() {
            return appliedLsn;
        }

        @Override
        public Row read(String userId) {
            return db.select(userId);
        }
    }

    /**
     * The stream from the primary to one replica. Each entry arrives a delay after its commit, but never
     * before the entry ahead of it: one ordered stream, as over one TCP connection.
     */
    static final class Link {
        private record InFlight(long arrivesAt, LogEntry entry) {
        }

        private final Replica replica;
        private final LongSupplier delayMillis;
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private long lastArrival;

        Link(Replica replica, LongSupplier delayMillis) {
            this.replica = replica;
            this.delayMillis = delayMillis;
        }

        /** Ships an entry; returns when it will arrive and be applied. */
        long send(LogEntry entry) {
            lastArrival = Math.max(lastArrival, entry.committedAt() + delayMillis.getAsLong());
            inFlight.addLast(new InFlight(lastArrival, entry));
            return lastArrival;
        }

        void deliverUpTo(long now) {
            while (!inFlight.isEmpty() && inFlight.peekFirst().arrivesAt() <= now) {
                replica.apply(inFlight.pollFirst().entry());
            }
        }

        /** The primary died: whatever is still on the wire never arrives. */
        void cut() {
            inFlight.clear();
        }
    }
    // end::replica[]

    // tag::cluster[]
    /** ASYNC acknowledges a write once the primary has it; SYNC once a replica has applied it too. */
    enum Commit { ASYNC, SYNC }

    /** A primary, its replicas and the links between them, all on one manual clock. */
    static final class Cluster implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final Primary primary = new Primary(clock);
        final List<Replica> replicas = new ArrayList<>();
        private final List<Link> links = new ArrayList<>();
        private final Commit commit;
        private boolean primaryUp = true;

        /** One replica per delay source, named replica-a, replica-b, ... */
        Cluster(Commit commit, List<LongSupplier> delays) {
            this.commit = commit;
            for (LongSupplier delay : delays) {
                Replica replica = new Replica("replica-" + (char) ('a' + replicas.size()));
                replicas.add(replica);
                links.add(new Link(replica, delay));
            }
        }

        /** Writes the session's own profile; returns the write's LSN once the write is acknowledged. */
        long write(Session session, String name) {
            if (!primaryUp) {
                throw new IllegalStateException("the primary is down");
            }
            LogEntry entry = primary.write(session.userId, name);
            long firstApplied = Long.MAX_VALUE;
            for (Link link : links) {
                firstApplied = Math.min(firstApplied, link.send(entry));
            }
            if (commit == Commit.SYNC) {
                advanceTo(firstApplied);           // the client waits until one replica has applied it
            }
            session.lastWriteLsn = entry.lsn();
            session.lastWriteAt = entry.committedAt();
            return entry.lsn();
        }

        /** Reads a profile on the node the router picks, and records what the session has now seen. */
        Read read(Session session, String userId, ReadRouter router) {
            Node node = router.route(session, this);
            Row row = node.read(userId);
            session.seenLsn = Math.max(session.seenLsn, row.version());
            return new Read(node.name(), row);
        }

        /** Moves time forward, applying every entry that arrives by then. */
        void advanceTo(long millis) {
            for (Link link : links) {
                link.deliverUpTo(millis);
            }
            clock.advanceTo(millis);
        }
        // end::cluster[]

        /** How long ago the oldest change the replica lacks was committed; 0 when it has them all. */
        long lagMillis(Replica replica) {
            List<LogEntry> missing = primary.logFrom(replica.appliedLsn() + 1);
            return missing.isEmpty() ? 0 : clock.millis() - missing.get(0).committedAt();
        }

        // tag::failover[]
        /**
         * The primary crashes: entries still on the wire are gone. The replica that has applied the most
         * becomes the new primary. Returns it, with every acknowledged write it does not show, found by
         * reading its database.
         */
        Failover crashPrimaryAndPromote() {
            primaryUp = false;
            links.forEach(Link::cut);
            Replica promoted = replicas.get(0);
            for (Replica replica : replicas) {
                if (replica.appliedLsn() > promoted.appliedLsn()) {
                    promoted = replica;
                }
            }
            List<LogEntry> lost = new ArrayList<>();
            for (LogEntry acknowledged : primary.logFrom(1)) {
                if (promoted.read(acknowledged.userId()).version() < acknowledged.lsn()) {
                    lost.add(acknowledged);
                }
            }
            return new Failover(promoted, primary.appliedLsn(), lost);
        }
        // end::failover[]

        @Override
        public void close() {
            primary.db.close();
            replicas.forEach(replica -> replica.db.close());
        }
        // tag::cluster[]
    }

    record Read(String node, Row row) {
    }
    // end::cluster[]

    record Failover(Replica promoted, long primaryLsn, List<LogEntry> lost) {
    }

    // tag::routers[]
    /** What a client carries between requests: who it is, and what it has written and seen. */
    static final class Session {
        final String userId;
        long lastWriteLsn;                     // 0: has not written
        long lastWriteAt;
        long seenLsn;                          // highest version this session has read
        int turn;                              // for round-robin
        Replica pinned;                        // for the sticky router

        Session(String userId) {
            this.userId = userId;
        }
    }

    /** Picks the node that serves a session's next read. */
    interface ReadRouter {
        Node route(Session session, Cluster cluster);
    }

    /** Baseline: the replicas in turn. Spreads load evenly; no guarantee for the session at all. */
    static final class AnyReplica implements ReadRouter {
        @Override
        public Node route(Session session, Cluster cluster) {
            return cluster.replicas.get(session.turn++ % cluster.replicas.size());
        }
    }

    /**
     * Read-your-writes by time: the primary serves a session's reads for windowMillis after its last
     * write, the replicas otherwise. Correct only while every replica's lag stays under the window, and
     * the primary carries those reads.
     */
    static final class PrimaryAfterWrite implements ReadRouter {
        private final long windowMillis;
        private final ReadRouter otherwise = new AnyReplica();

        PrimaryAfterWrite(long windowMillis) {
            this.windowMillis = windowMillis;
        }

        @Override
        public Node route(Session session, Cluster cluster) {
            boolean recentWrite = session.lastWriteLsn > 0
                    && cluster.clock.millis() - session.lastWriteAt < windowMillis;
            return recentWrite ? cluster.primary : otherwise.route(session, cluster);
        }
    }

    /**
     * Monotonic reads by affinity: each session always reads from the same replica, whose state only
     * moves forward. Gives no read-your-writes, and is lost when that replica goes away.
     */
    static final class StickyReplica implements ReadRouter {
        @Override
        public Node route(Session session, Cluster cluster) {
            if (session.pinned == null) {
                session.pinned = cluster.replicas.get(Math.floorMod(session.userId.hashCode(), cluster.replicas.size()));
            }
            return session.pinned;
        }
    }

    /**
     * Read-your-writes and monotonic reads by position: the session's token is the highest LSN it has
     * written or read; any replica that has applied at least that much may serve it, else the primary.
     * The client-side form of waiting for pg_last_wal_replay_lsn() or WAIT_FOR_EXECUTED_GTID_SET.
     */
    static final class AtLeastSessionLsn implements ReadRouter {
        @Override
        public Node route(Session session, Cluster cluster) {
            long token = Math.max(session.lastWriteLsn, session.seenLsn);
            List<Replica> caughtUp = cluster.replicas.stream().filter(r -> r.appliedLsn() >= token).toList();
            return caughtUp.isEmpty() ? cluster.primary : caughtUp.get(session.turn++ % caughtUp.size());
        }
    }
    // end::routers[]

    /* --------------- Harness: scenarios, checks and printing --------------- */

    static final long FAST_DELAY = 50;
    static final long SLOW_DELAY = 400;
    static final long[] WRITE_TIMES = {0, 100, 200, 300};
    static final String[] FIRST_USERS = {"alice", "bob", "carol", "dave"};
    static final long[] LAG_SAMPLE_TIMES = {0, 150, 320, 450, 650, 700};

    /** One sample of part 1: positions and lags at a time. */
    record LagSample(long millis, long primaryLsn, long fastLsn, long fastLag, long slowLsn, long slowLag) {
    }

    static Cluster fixedDelayCluster(Commit commit) {
        return new Cluster(commit, List.of(() -> FAST_DELAY, () -> SLOW_DELAY));
    }

    /** Part 1: four writes, positions sampled in between. Leaves the cluster at the last sample time. */
    static List<LagSample> lagTimeline(Cluster cluster) {
        List<LagSample> samples = new ArrayList<>();
        int nextWrite = 0;
        for (long t : LAG_SAMPLE_TIMES) {
            while (nextWrite < WRITE_TIMES.length && WRITE_TIMES[nextWrite] <= t) {
                cluster.advanceTo(WRITE_TIMES[nextWrite]);
                cluster.write(new Session(FIRST_USERS[nextWrite]), capitalised(FIRST_USERS[nextWrite]));
                nextWrite++;
            }
            cluster.advanceTo(t);
            Replica fast = cluster.replicas.get(0);
            Replica slow = cluster.replicas.get(1);
            samples.add(new LagSample(t, cluster.primary.appliedLsn(), fast.appliedLsn(), cluster.lagMillis(fast),
                    slow.appliedLsn(), cluster.lagMillis(slow)));
        }
        return samples;
    }

    static String joined(long[] values) {
        StringBuilder out = new StringBuilder();
        for (long v : values) {
            out.append(out.isEmpty() ? "" : ", ").append(v);
        }
        return out.toString();
    }

    static String capitalised(String user) {
        return Character.toUpperCase(user.charAt(0)) + user.substring(1);
    }

    /** Counts the two session anomalies, as Terry et al. define them, for single-row reads. */
    static final class Audit {
        private final TreeMap<String, TreeMap<String, Long>> seen = new TreeMap<>(); // session -> row -> version
        int reads;
        int ownWriteMissing;
        int wentBackInTime;
        int onPrimary;

        /** Checks one read: of the reader's own row, older than her last write; of any row, older than she saw before. */
        String check(Session session, Read read) {
            reads++;
            if (read.node().equals("primary")) {
                onPrimary++;
            }
            String problem = "";
            TreeMap<String, Long> versions = seen.computeIfAbsent(session.userId, s -> new TreeMap<>());
            long version = read.row().version();
            if (read.row().userId().equals(session.userId) && version < session.lastWriteLsn) {
                ownWriteMissing++;
                problem = "read-your-writes violated";
            } else if (version < versions.getOrDefault(read.row().userId(), 0L)) {
                wentBackInTime++;
                problem = "monotonic reads violated";
            }
            versions.merge(read.row().userId(), version, Math::max);
            return problem;
        }
    }

    /** One line of part 2. */
    record Step(long millis, String session, String router, Read read, String problem) {
    }

    static final long RENAME_AT = 1000;
    static final String NEW_NAME = "Alice Liddell";

    record Scenario(long renameLsn, List<Step> steps) {
    }

    /** Part 2: alice renames herself; readers with different routers look at her profile. */
    static Scenario sessionScenario(Cluster cluster) {
        List<Step> steps = new ArrayList<>();
        Audit audit = new Audit();
        Session alice = new Session("alice");
        Session carol = new Session("carol");
        Session bob = new Session("bob");
        ReadRouter any = new AnyReplica();
        ReadRouter primaryAfterWrite = new PrimaryAfterWrite(SLOW_DELAY);
        ReadRouter atLeastLsn = new AtLeastSessionLsn();
        ReadRouter sticky = new StickyReplica();

        cluster.advanceTo(RENAME_AT);
        long lsn = cluster.write(alice, NEW_NAME);
        cluster.advanceTo(RENAME_AT + 10);
        step(steps, audit, cluster, alice, "any replica", any);
        step(steps, audit, cluster, alice, "primary for " + SLOW_DELAY + " ms after a write", primaryAfterWrite);
        step(steps, audit, cluster, alice, "replica at session LSN", atLeastLsn);
        cluster.advanceTo(RENAME_AT + 60);
        step(steps, audit, cluster, alice, "replica at session LSN", atLeastLsn);
        step(steps, audit, cluster, carol, "any replica", any);
        step(steps, audit, cluster, bob, "sticky replica", sticky);
        cluster.advanceTo(RENAME_AT + 70);
        step(steps, audit, cluster, carol, "any replica", any);
        step(steps, audit, cluster, bob, "sticky replica", sticky);
        return new Scenario(lsn, steps);
    }

    private static void step(List<Step> steps, Audit audit, Cluster cluster, Session session, String router,
                             ReadRouter how) {
        Read read = cluster.read(session, "alice", how);
        steps.add(new Step(cluster.clock.millis(), session.userId, router, read, audit.check(session, read)));
    }

    static final long SEED = 42;
    static final int USERS = 5;
    static final int OPERATIONS = 2000;
    static final int MAX_GAP = 20;
    static final int WRITE_ONE_IN = 10;
    static final int FAST_MAX = 100;
    static final int SLOW_MAX = 400;

    /** The routers of part 3, by label. */
    static List<String> workloadRouterNames() {
        return List.of("any replica", "primary for " + FAST_MAX + " ms after a write",
                "primary for " + SLOW_MAX + " ms after a write", "sticky replica", "replica at session LSN");
    }

    static List<Supplier<ReadRouter>> workloadRouters() {
        return List.of(AnyReplica::new, () -> new PrimaryAfterWrite(FAST_MAX), () -> new PrimaryAfterWrite(SLOW_MAX),
                StickyReplica::new, AtLeastSessionLsn::new);
    }

    /**
     * Part 3: a seeded random workload on a fresh cluster whose replicas receive each entry after a
     * random delay, uniform in 0..fastMax and 0..slowMax ms. One operation in WRITE_ONE_IN writes
     * the user's own profile; the others read it or, as often, a random user's.
     */
    static Audit randomWorkload(ReadRouter router, long seed, int operations, int fastMax, int slowMax) {
        Random workload = new Random(seed);
        Random network = new Random(seed + 1);
        Audit audit = new Audit();
        try (Cluster cluster = new Cluster(Commit.ASYNC,
                List.of(() -> network.nextInt(fastMax + 1), () -> network.nextInt(slowMax + 1)))) {
            List<Session> sessions = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                sessions.add(new Session("user" + u));
            }
            long t = 0;
            for (int op = 0; op < operations; op++) {
                t += workload.nextInt(MAX_GAP + 1);
                cluster.advanceTo(t);
                Session session = sessions.get(workload.nextInt(USERS));
                if (workload.nextInt(WRITE_ONE_IN) == 0) {
                    cluster.write(session, session.userId + " #" + op);
                } else {
                    String whose = workload.nextBoolean() ? session.userId : "user" + workload.nextInt(USERS);
                    audit.check(session, cluster.read(session, whose, router));
                }
            }
            cluster.advanceTo(t + slowMax);                    // let everything arrive, then check convergence
            for (Replica replica : cluster.replicas) {
                if (!replica.db.all().equals(cluster.primary.db.all())) {
                    throw new IllegalStateException(replica.name() + " did not converge");
                }
            }
        }
        return audit;
    }

    static final int FAILOVER_WRITES = 5;
    static final long THINK_TIME = 20;

    /** Part 4's outcome for one commit mode. */
    record FailoverRun(Commit commit, double meanCommitWait, Failover failover) {
    }

    /** Part 4: five users each write once, 20 ms after the last acknowledgement; then the primary dies. */
    static FailoverRun failover(Commit commit) {
        try (Cluster cluster = fixedDelayCluster(commit)) {
            long waited = 0;
            for (int i = 0; i < FAILOVER_WRITES; i++) {
                cluster.advanceTo(cluster.clock.millis() + (i == 0 ? 0 : THINK_TIME));
                long start = cluster.clock.millis();
                String user = i < FIRST_USERS.length ? FIRST_USERS[i] : "erin";
                cluster.write(new Session(user), capitalised(user) + " (new)");
                waited += cluster.clock.millis() - start;
            }
            return new FailoverRun(commit, (double) waited / FAILOVER_WRITES, cluster.crashPrimaryAndPromote());
        }
    }

    public static void main(String[] args) {
        System.out.println("A primary and two asynchronous replicas, each an H2 in-memory database.");
        System.out.println(String.format(Locale.ROOT,
                "In parts 1, 2 and 4 a change reaches replica-a %d ms and replica-b %d ms after its commit.",
                FAST_DELAY, SLOW_DELAY));
        try (Cluster cluster = fixedDelayCluster(Commit.ASYNC)) {
            System.out.println();
            System.out.println("1. Replication lag: writes at t = " + joined(WRITE_TIMES)
                    + " ms; lag = age of the oldest missing change");
            System.out.println(String.format(Locale.ROOT, "  %5s  %11s  %-20s  %s", "t ms", "primary LSN",
                    "replica-a LSN (lag)", "replica-b LSN (lag)"));
            for (LagSample s : lagTimeline(cluster)) {
                System.out.println(String.format(Locale.ROOT, "  %5d  %11d  %-20s  %-20s", s.millis(), s.primaryLsn(),
                        s.fastLsn() + " (" + s.fastLag() + " ms)", s.slowLsn() + " (" + s.slowLag() + " ms)").stripTrailing());
            }
            for (Replica replica : cluster.replicas) {
                check(replica.db.all().equals(cluster.primary.db.all()), replica.name() + " converged");
            }

            Scenario scenario = sessionScenario(cluster);
            System.out.println();
            System.out.println(String.format(Locale.ROOT,
                    "2. alice renames herself to \"%s\" at t = %d ms (LSN %d); then her profile is read",
                    NEW_NAME, RENAME_AT, scenario.renameLsn()));
            System.out.println(String.format(Locale.ROOT, "  %5s  %-6s %-33s %-10s %-20s", "t ms", "reader",
                    "router", "served by", "saw @ version").stripTrailing());
            for (Step s : scenario.steps()) {
                System.out.println(String.format(Locale.ROOT, "  %5d  %-6s %-33s %-10s %-20s %s", s.millis(),
                        s.session(), s.router(), s.read().node(),
                        s.read().row().name() + " @" + s.read().row().version(), s.problem()).stripTrailing());
            }
        }

        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "3. Random workload, seed %d: %d operations by %d users, 1 in %d a write; delays 0-%d and 0-%d ms",
                SEED, OPERATIONS, USERS, WRITE_ONE_IN, FAST_MAX, SLOW_MAX));
        System.out.println(String.format(Locale.ROOT, "  %-33s %6s %19s %18s %11s", "router", "reads",
                "own write missing", "went back in time", "on primary"));
        List<String> names = workloadRouterNames();
        List<Supplier<ReadRouter>> routers = workloadRouters();
        for (int i = 0; i < routers.size(); i++) {
            Audit a = randomWorkload(routers.get(i).get(), SEED, OPERATIONS, FAST_MAX, SLOW_MAX);
            System.out.println(String.format(Locale.ROOT, "  %-33s %6d %19d %18d %10.1f%%", names.get(i), a.reads,
                    a.ownWriteMissing, a.wentBackInTime, 100.0 * a.onPrimary / a.reads));
        }

        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "4. Failover: %d writes, each %d ms after the previous was acknowledged; then the primary crashes",
                FAILOVER_WRITES, THINK_TIME));
        System.out.println(String.format(Locale.ROOT, "  %-6s %12s  %-10s %-20s %s", "commit", "mean wait",
                "promoted", "its LSN / primary's", "acknowledged writes lost"));
        for (Commit commit : Commit.values()) {
            FailoverRun run = failover(commit);
            Failover f = run.failover();
            List<String> lost = f.lost().stream().map(e -> Long.toString(e.lsn())).toList();
            System.out.println(String.format(Locale.ROOT, "  %-6s %9.1f ms  %-10s %-20s %s", commit.name().toLowerCase(Locale.ROOT),
                    run.meanCommitWait(), f.promoted().name(), f.promoted().appliedLsn() + " / " + f.primaryLsn(),
                    lost.isEmpty() ? "none" : "LSN " + String.join(", ", lost)));
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("invariant broken: " + what);
        }
    }
}
