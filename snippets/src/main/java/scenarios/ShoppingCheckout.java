// requires: com.h2database:h2:2.4.240

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The checkout of a shopping application in one process: an order service that runs the checkout
 * saga, a payment service and an inventory service, each with its own embedded H2 database, so no
 * transaction spans two of them.
 *
 * <p>Algorithm. The buy call first records the order, its lines and the client's idempotency key in
 * one local transaction of the order database; the key's primary key lets exactly one request per key
 * create an order, and a retry gets the first request's order back. The orchestrator then moves the
 * order through PENDING, RESERVED, PAID and CONFIRMED, one participant call per step, and writes each
 * state to the order database, so a crashed orchestrator resumes where it stopped. Inventory reserves
 * with a conditional decrement ({@code UPDATE ... WHERE available >= ?}), which cannot oversell; a hold
 * expires after a fixed time if checkout is abandoned. Payment is idempotent per order id, so a charge
 * retried after a lost reply charges once. When payment fails, the compensations run: cancel the order,
 * release the hold. Final order states are published through an outbox table written in the same
 * transaction as the state change.
 *
 * <p>Trade-off. Local transactions and compensations instead of a distributed commit: every service
 * stays available on its own, but other readers can see intermediate states (stock held for an order
 * that will be cancelled), and every step and compensation must be idempotent and retryable.
 *
 * <p>Sources. H. Garcia-Molina, K. Salem, "Sagas", SIGMOD 1987 (sagas and compensating transactions).
 * P. Helland, "Life beyond Distributed Transactions", CIDR 2007 (entities, idempotent messages).
 * J. Jena, S. Dalal, "The Idempotency-Key HTTP Header Field", IETF draft-ietf-httpapi-idempotency-key-header
 * (409 for a request still in progress, 422 for a key reused with another payload). C. Richardson,
 * microservices.io patterns "Saga" and "Transactional outbox".
 */
public class ShoppingCheckout {

    /** Time in milliseconds, injected so that hold expiry is tested without waiting. */
    interface Clock {
        long millis();
    }

    /** A clock that moves only when told to. */
    static final class ManualClock implements Clock {
        private final AtomicLong now = new AtomicLong();

        public long millis() {
            return now.get();
        }

        void advanceMinutes(long minutes) {
            now.addAndGet(TimeUnit.MINUTES.toMillis(minutes));
        }
    }

    /** A piece of work run inside one local transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Thrown inside a transaction to roll it back because a line cannot be reserved. */
    static final class OutOfStock extends RuntimeException {
        OutOfStock(String sku) {
            super(sku, null, false, false);
        }
    }

    /**
     * One embedded in-memory H2 database, owned by one service. A keep-alive connection holds it open;
     * operations borrow a connection from a small pool, so concurrent requests use separate sessions,
     * as they would against a real database server.
     */
    static final class Db implements AutoCloseable {
        private static final AtomicInteger SEQUENCE = new AtomicInteger();
        private final String url;
        private final Connection keepAlive;
        private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

        Db(String name, String... schema) throws SQLException {
            url = "jdbc:h2:mem:shopping-" + name + "-" + SEQUENCE.incrementAndGet() + ";LOCK_TIMEOUT=60000";
            keepAlive = connect();
            try (Statement s = keepAlive.createStatement()) {
                for (String sql : schema) {
                    s.execute(sql);
                }
            }
        }

        /** A new session of its own, outside the pool. */
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, "sa", "");
        }

        /** Runs {@code work} in one transaction: commit if it returns, roll back if it throws. */
        <T> T tx(Work<T> work) throws SQLException {
            Connection c = idle.poll();
            if (c == null) {
                c = connect();
            }
            try {
                c.setAutoCommit(false);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                idle.add(c);
            }
        }

        long count(String sql, Object... args) throws SQLException {
            return tx(c -> rows(c, sql, r -> r.getLong(1), args).get(0));
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : idle) {
                c.close();
            }
            keepAlive.close(); // the last connection: H2 drops the in-memory database
        }
    }

    /** Reads one row of a result. */
    interface Row<T> {
        T map(ResultSet r) throws SQLException;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        }
    }

    static <T> List<T> rows(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<T> result = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    result.add(row.map(r));
                }
            }
            return result;
        }
    }

    /** One cart line: a product and how many of it. */
    record Line(String sku, int qty) {
    }

    /** The body of {@code POST /orders}: who buys what, paying with which payment method. */
    record BuyRequest(String customer, List<Line> lines, Card card) {
    }

    /** The answer to a buy call, as the API would return it. */
    record Receipt(long orderId, String status, String reason, boolean replayed) {
    }

    /**
     * The inventory service: stock per SKU and the holds placed on it. Its one rule, "never hand out a
     * unit that is not there", is enforced by the database row, not by the callers.
     */
    static final class Inventory implements AutoCloseable {
        // tag::inventory-schema[]
        static final String[] SCHEMA = {
            "CREATE TABLE stock (sku VARCHAR(20) PRIMARY KEY, available INT NOT NULL CHECK (available >= 0))",
            """
            CREATE TABLE reservation (
              order_id   BIGINT NOT NULL,
              sku        VARCHAR(20) NOT NULL REFERENCES stock,
              qty        INT NOT NULL CHECK (qty > 0),
              status     VARCHAR(10) NOT NULL,           -- HELD, SOLD or RELEASED
              expires_at BIGINT NOT NULL,                -- a HELD row past this time may be released
              PRIMARY KEY (order_id, sku))"""
        };
        // end::inventory-schema[]

        final Db db;
        private final Clock clock;
        private final long holdMillis;

        Inventory(Clock clock, long holdMillis) throws SQLException {
            this.db = new Db("inventory", SCHEMA);
            this.clock = clock;
            this.holdMillis = holdMillis;
        }

        void stock(String sku, int units) throws SQLException {
            db.tx(c -> update(c, "MERGE INTO stock KEY (sku) VALUES (?, ?)", sku, units));
        }

        // tag::reserve[]
        /** Holds every line of the order in one local transaction, or none of them. */
        boolean reserve(long orderId, List<Line> lines) throws SQLException {
            long expiresAt = clock.millis() + holdMillis;
            List<Line> inLockOrder = lines.stream().sorted(Comparator.comparing(Line::sku)).toList();
            try {
                return db.tx(c -> {
                    if (!rows(c, "SELECT 1 FROM reservation WHERE order_id = ?", r -> 1, orderId).isEmpty()) {
                        return true; // a retried step: this order's hold was placed before
                    }
                    for (Line line : inLockOrder) { // one lock order for every order: no deadlock
                        int taken = update(c, "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?",
                                line.qty(), line.sku(), line.qty());
                        if (taken == 0) {
                            throw new OutOfStock(line.sku()); // rolls back the lines already held
                        }
                        update(c, "INSERT INTO reservation VALUES (?, ?, ?, 'HELD', ?)",
                                orderId, line.sku(), line.qty(), expiresAt);
                    }
                    return true;
                });
            } catch (OutOfStock e) {
                return false;
            }
        }
        // end::reserve[]

        // tag::release[]
        /** Compensation: puts a HELD order's units back. Idempotent, and safe against a racing commit or sweep. */
        boolean release(long orderId) throws SQLException {
            return db.tx(c -> {
                boolean released = false;
                for (Line line : heldLines(c, orderId)) {
                    // Only the transaction that moves the row out of HELD may return its units.
                    if (update(c, "UPDATE reservation SET status = 'RELEASED' WHERE order_id = ? AND sku = ? AND status = 'HELD'",
                            orderId, line.sku()) == 1) {
                        update(c, "UPDATE stock SET available = available + ? WHERE sku = ?", line.qty(), line.sku());
                        released = true;
                    }
                }
                return released;
            });
        }

        /** The last step of a successful checkout: the held units become sold. False if the hold is gone. */
        boolean commit(long orderId) throws SQLException {
            return db.tx(c -> {
                update(c, "UPDATE reservation SET status = 'SOLD' WHERE order_id = ? AND status = 'HELD'", orderId);
                return !rows(c, "SELECT 1 FROM reservation WHERE order_id = ? AND status = 'SOLD'", r -> 1, orderId).isEmpty();
            });
        }

        /** The sweeper: releases every hold whose time is up and returns the orders it released. */
        List<Long> expire() throws SQLException {
            List<Long> released = new ArrayList<>();
            List<Long> due = db.tx(c -> rows(c,
                    "SELECT DISTINCT order_id FROM reservation WHERE status = 'HELD' AND expires_at <= ? ORDER BY 1",
                    r -> r.getLong(1), clock.millis()));
            for (long orderId : due) {
                if (release(orderId)) {
                    released.add(orderId);
                }
            }
            return released;
        }
        // end::release[]

        private static List<Line> heldLines(Connection c, long orderId) throws SQLException {
            return rows(c, "SELECT sku, qty FROM reservation WHERE order_id = ? AND status = 'HELD' ORDER BY sku",
                    r -> new Line(r.getString(1), r.getInt(2)), orderId);
        }

        long available(String sku) throws SQLException {
            return db.count("SELECT available FROM stock WHERE sku = ?", sku);
        }

        long units(String sku, String status) throws SQLException {
            return db.count("SELECT COALESCE(SUM(qty), 0) FROM reservation WHERE sku = ? AND status = ?", sku, status);
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    /**
     * Test payment methods, the way payment providers offer test card numbers: each one makes the
     * provider behave in one way.
     */
    enum Card {
        /** Charged. */
        OK,
        /** The issuer says no: a business failure, final. */
        DECLINED,
        /** The connection is refused: the request never reached the provider. */
        UNREACHABLE,
        /** Charged, but the reply is lost on its way back: the caller sees a timeout. */
        REPLY_LOST,
        /** The buyer must confirm with the bank (3-D Secure) before the charge completes. */
        NEEDS_ACTION
    }

    /** What a charge call can tell the orchestrator. UNKNOWN means every attempt failed in transit. */
    enum Charge { CHARGED, DECLINED, ACTION_REQUIRED, UNKNOWN }

    /** The provider did not answer. Whether the charge happened is unknown to the caller. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The payment service: one row per order, keyed by the order id, so the order id is the idempotency
     * key towards the payment provider and a retried charge finds the first one.
     */
    static final class Payments implements AutoCloseable {
        static final String[] SCHEMA = {
            """
            CREATE TABLE payment (
              order_id     BIGINT PRIMARY KEY,           -- the idempotency key of the charge
              amount_cents BIGINT NOT NULL,
              status       VARCHAR(10) NOT NULL)         -- CHARGED, DECLINED, PENDING or REFUNDED"""
        };

        final Db db;
        final AtomicInteger providerCalls = new AtomicInteger();
        private final Set<Long> repliesLost = ConcurrentHashMap.newKeySet();

        Payments() throws SQLException {
            this.db = new Db("payments", SCHEMA);
        }

        // tag::charge[]
        /** Charges the order once, however often it is called. */
        Charge charge(long orderId, long amountCents, Card card) throws Unavailable, SQLException {
            providerCalls.incrementAndGet();
            if (card == Card.UNREACHABLE) {
                throw new Unavailable("connection refused");
            }
            String status = db.tx(c -> {
                String existing = statusOf(c, orderId);
                if (existing != null) {
                    return existing; // a retry: answer what the first attempt did
                }
                String outcome = switch (card) {
                    case DECLINED -> "DECLINED";
                    case NEEDS_ACTION -> "PENDING";
                    default -> "CHARGED";
                };
                update(c, "INSERT INTO payment VALUES (?, ?, ?)", orderId, amountCents, outcome);
                return outcome;
            });
            if (card == Card.REPLY_LOST && repliesLost.add(orderId)) {
                throw new Unavailable("timed out"); // the money moved, but the caller cannot know
            }
            return switch (status) {
                case "CHARGED" -> Charge.CHARGED;
                case "PENDING" -> Charge.ACTION_REQUIRED;
                default -> Charge.DECLINED;
            };
        }
        // end::charge[]

        /** The buyer confirmed with the bank: a pending payment completes. */
        boolean complete(long orderId) throws SQLException {
            return db.tx(c -> update(c, "UPDATE payment SET status = 'CHARGED' WHERE order_id = ? AND status = 'PENDING'", orderId) == 1);
        }

        /** Compensation for a charge whose order cannot be fulfilled. Idempotent. */
        boolean refund(long orderId) throws SQLException {
            return db.tx(c -> update(c, "UPDATE payment SET status = 'REFUNDED' WHERE order_id = ? AND status = 'CHARGED'", orderId) == 1);
        }

        private static String statusOf(Connection c, long orderId) throws SQLException {
            List<String> status = rows(c, "SELECT status FROM payment WHERE order_id = ?", r -> r.getString(1), orderId);
            return status.isEmpty() ? null : status.get(0);
        }

        long count(String status) throws SQLException {
            return db.count("SELECT COUNT(*) FROM payment WHERE status = ?", status);
        }

        long forOrder(long orderId, String status) throws SQLException {
            return db.count("SELECT COUNT(*) FROM payment WHERE order_id = ? AND status = ?", orderId, status);
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    /** An order as the orchestrator reads it back: its saga state is its status. */
    record Order(long id, String status, long totalCents, Card card, List<Line> lines) {
    }

    /** The outcome of recording a buy request: a new order, or the order an earlier request with the key created. */
    record Placed(long orderId, boolean replayed, boolean samePayload) {
    }

    /**
     * The order service's database: prices, orders and their lines, the idempotency keys of the buy
     * API, and the outbox from which events are published.
     */
    static final class Orders implements AutoCloseable {
        // tag::orders-schema[]
        static final String[] SCHEMA = {
            "CREATE TABLE price (sku VARCHAR(20) PRIMARY KEY, cents BIGINT NOT NULL)",
            """
            CREATE TABLE orders (
              id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              customer    VARCHAR(40) NOT NULL,
              card        VARCHAR(20) NOT NULL,
              total_cents BIGINT NOT NULL,
              status      VARCHAR(20) NOT NULL,        -- the saga's state
              reason      VARCHAR(60))""",
            """
            CREATE TABLE order_line (
              order_id   BIGINT NOT NULL REFERENCES orders,
              sku        VARCHAR(20) NOT NULL,
              qty        INT NOT NULL CHECK (qty > 0),
              unit_cents BIGINT NOT NULL,               -- the price charged, not today's price
              PRIMARY KEY (order_id, sku))""",
            """
            CREATE TABLE idempotency_key (
              idem_key    VARCHAR(64) PRIMARY KEY,      -- one order per key, decided by this constraint
              fingerprint VARCHAR(64) NOT NULL,         -- hash of the request body
              order_id    BIGINT NOT NULL REFERENCES orders)""",
            """
            CREATE TABLE outbox (
              id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              order_id  BIGINT NOT NULL,
              event     VARCHAR(20) NOT NULL,
              published BOOLEAN DEFAULT FALSE NOT NULL)"""
        };
        // end::orders-schema[]

        static final Set<String> FINAL = Set.of("CONFIRMED", "CANCELLED");

        final Db db;

        Orders() throws SQLException {
            this.db = new Db("orders", SCHEMA);
        }

        void price(String sku, long cents) throws SQLException {
            db.tx(c -> update(c, "MERGE INTO price KEY (sku) VALUES (?, ?)", sku, cents));
        }

        // tag::place[]
        /**
         * Records a buy request: order, lines and idempotency key in one local transaction, or finds the
         * order an earlier request with the same key created. The key's primary key decides a race.
         */
        Placed place(String idempotencyKey, BuyRequest request) throws SQLException {
            String fingerprint = fingerprint(request);
            while (true) {
                List<Placed> earlier = db.tx(c -> rows(c, "SELECT order_id, fingerprint FROM idempotency_key WHERE idem_key = ?",
                        r -> new Placed(r.getLong(1), true, r.getString(2).equals(fingerprint)), idempotencyKey));
                if (!earlier.isEmpty()) {
                    return earlier.get(0);
                }
                try {
                    return db.tx(c -> {
                        long id = insertOrder(c, request);
                        update(c, "INSERT INTO idempotency_key VALUES (?, ?, ?)", idempotencyKey, fingerprint, id);
                        return new Placed(id, false, true);
                    });
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState())) { // unique violation: a concurrent request won; look again
                        throw e;
                    }
                }
            }
        }
        // end::place[]

        private static long insertOrder(Connection c, BuyRequest request) throws SQLException {
            long total = 0;
            Map<String, Long> unit = new TreeMap<>();
            for (Line line : request.lines()) {
                try (PreparedStatement p = c.prepareStatement("SELECT cents FROM price WHERE sku = ?")) {
                    p.setString(1, line.sku());
                    try (ResultSet r = p.executeQuery()) {
                        if (!r.next()) {
                            throw new SQLException("no such product: " + line.sku(), "22000");
                        }
                        unit.put(line.sku(), r.getLong(1));
                        total += r.getLong(1) * line.qty();
                    }
                }
            }
            long id;
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO orders (customer, card, total_cents, status) VALUES (?, ?, ?, 'PENDING')",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, request.customer());
                p.setString(2, request.card().name());
                p.setLong(3, total);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            for (Line line : request.lines()) {
                update(c, "INSERT INTO order_line VALUES (?, ?, ?, ?)", id, line.sku(), line.qty(), unit.get(line.sku()));
            }
            return id;
        }

        static String fingerprint(BuyRequest request) {
            StringBuilder canonical = new StringBuilder(request.customer()).append('|').append(request.card());
            request.lines().stream().sorted(Comparator.comparing(Line::sku))
                    .forEach(l -> canonical.append('|').append(l.sku()).append('x').append(l.qty()));
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        // tag::move[]
        /**
         * Moves the saga one step: changes the status only if it is still {@code from}, so two
         * orchestrators (a retry and a recovery) cannot both take the same step. A final status writes
         * its event to the outbox in the same transaction.
         */
        boolean move(long id, String from, String to, String reason) throws SQLException {
            return db.tx(c -> {
                if (update(c, "UPDATE orders SET status = ?, reason = ? WHERE id = ? AND status = ?", to, reason, id, from) == 0) {
                    return false;
                }
                if (FINAL.contains(to)) {
                    update(c, "INSERT INTO outbox (order_id, event) VALUES (?, ?)",
                            id, to.equals("CONFIRMED") ? "OrderConfirmed" : "OrderCancelled");
                }
                return true;
            });
        }
        // end::move[]

        Order load(long id) throws SQLException {
            return db.tx(c -> {
                List<Line> lines = rows(c, "SELECT sku, qty FROM order_line WHERE order_id = ? ORDER BY sku",
                        r -> new Line(r.getString(1), r.getInt(2)), id);
                return rows(c, "SELECT status, total_cents, card FROM orders WHERE id = ?",
                        r -> new Order(id, r.getString(1), r.getLong(2), Card.valueOf(r.getString(3)), lines), id).get(0);
            });
        }

        Receipt receipt(long id, boolean replayed) throws SQLException {
            return db.tx(c -> rows(c, "SELECT status, reason FROM orders WHERE id = ?",
                    r -> new Receipt(id, r.getString(1), r.getString(2), replayed), id).get(0));
        }

        /** Orders whose saga has not finished and is not waiting for the buyer. */
        List<Long> unfinished() throws SQLException {
            return db.tx(c -> rows(c, "SELECT id FROM orders WHERE status IN ('PENDING', 'RESERVED', 'PAID') ORDER BY id",
                    r -> r.getLong(1)));
        }

        // tag::relay[]
        /**
         * The outbox relay: publishes unpublished events in commit order, then marks them. A crash between
         * the two publishes an event again on the next run, so delivery is at least once and consumers
         * deduplicate by event id.
         */
        int relay(Consumer<String> broker) throws SQLException {
            return db.tx(c -> {
                record Event(long id, long orderId, String type) {
                }
                List<Event> pending = rows(c, "SELECT id, order_id, event FROM outbox WHERE NOT published ORDER BY id",
                        r -> new Event(r.getLong(1), r.getLong(2), r.getString(3)));
                for (Event e : pending) {
                    broker.accept(e.type() + ":" + e.orderId());
                    update(c, "UPDATE outbox SET published = TRUE WHERE id = ?", e.id());
                }
                return pending.size(); // the marks commit here; a crash before this publishes them again
            });
        }
        // end::relay[]

        long count(String status) throws SQLException {
            return db.count("SELECT COUNT(*) FROM orders WHERE status = ?", status);
        }

        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    /** Where a test tells the orchestrator to die, to check that recovery finishes the saga. */
    enum CrashPoint { NONE, AFTER_RESERVE, AFTER_CHARGE }

    /** The orchestrator died at a {@link CrashPoint}; everything it committed stays committed. */
    static final class Crash extends RuntimeException {
        Crash(CrashPoint where) {
            super(where.name(), null, false, false);
        }
    }

    /**
     * The order service's API and the saga orchestrator. It calls the participants directly, as it
     * would over RPC, and keeps the saga's state in the order table, never in memory.
     */
    static final class Shop implements AutoCloseable {
        static final int CHARGE_ATTEMPTS = 3;
        static final long HOLD_MINUTES = 15;

        final ManualClock clock = new ManualClock();
        final Orders orders;
        final Payments payments;
        final Inventory inventory;
        volatile CrashPoint crashPoint = CrashPoint.NONE;

        Shop() throws SQLException {
            orders = new Orders();
            payments = new Payments();
            inventory = new Inventory(clock, TimeUnit.MINUTES.toMillis(HOLD_MINUTES));
        }

        void product(String sku, long cents, int units) throws SQLException {
            orders.price(sku, cents);
            inventory.stock(sku, units);
        }

        // tag::buy[]
        /** {@code POST /orders} with an {@code Idempotency-Key} header. */
        Receipt buy(String idempotencyKey, BuyRequest request) throws SQLException {
            Placed placed = orders.place(idempotencyKey, request);
            if (placed.replayed()) {
                if (!placed.samePayload()) {
                    return new Receipt(placed.orderId(), "REJECTED", "key reused with another request (422)", true);
                }
                Receipt first = orders.receipt(placed.orderId(), true);
                return first.status().matches("PENDING|RESERVED|PAID")
                        ? new Receipt(first.orderId(), "IN_PROGRESS", "retry later (409)", true)
                        : first; // the first request's answer, and no new side effects
            }
            return runSaga(placed.orderId());
        }
        // end::buy[]

        // tag::saga[]
        /** Runs the saga from the order's stored state until it is final or waiting for the buyer. */
        Receipt runSaga(long id) throws SQLException {
            while (true) {
                Order o = orders.load(id);
                switch (o.status()) {
                    case "PENDING" -> {
                        if (inventory.reserve(id, o.lines())) {
                            orders.move(id, "PENDING", "RESERVED", null);
                            crashIf(CrashPoint.AFTER_RESERVE);
                        } else {
                            orders.move(id, "PENDING", "CANCELLED", "out of stock"); // nothing to compensate
                        }
                    }
                    case "RESERVED" -> {
                        switch (chargeWithRetries(o)) {
                            case CHARGED -> {
                                if (!orders.move(id, "RESERVED", "PAID", null) && isCancelled(id)) {
                                    payments.refund(id); // the hold expired and the order was cancelled meanwhile
                                }
                                crashIf(CrashPoint.AFTER_CHARGE);
                            }
                            case ACTION_REQUIRED -> orders.move(id, "RESERVED", "AWAITING_PAYMENT", null);
                            case DECLINED -> compensate(id, "RESERVED", "payment declined");
                            case UNKNOWN -> compensate(id, "RESERVED", "payment service down");
                        }
                    }
                    case "PAID" -> {
                        if (inventory.commit(id)) {
                            orders.move(id, "PAID", "CONFIRMED", null);
                        } else { // the hold expired while the buyer paid: give the money back
                            payments.refund(id);
                            orders.move(id, "PAID", "CANCELLED", "hold expired, refunded");
                        }
                    }
                    default -> {
                        return orders.receipt(id, false); // CONFIRMED, CANCELLED or AWAITING_PAYMENT
                    }
                }
            }
        }

        private boolean isCancelled(long id) throws SQLException {
            return orders.load(id).status().equals("CANCELLED");
        }

        /** Cancel first, then release: if the release is lost, the hold's expiry returns the stock. */
        private void compensate(long id, String from, String reason) throws SQLException {
            if (orders.move(id, from, "CANCELLED", reason)) {
                inventory.release(id);
            }
        }

        /** The same order id on every attempt: a retry after a lost reply cannot charge twice. */
        private Charge chargeWithRetries(Order o) throws SQLException {
            for (int attempt = 1; attempt <= CHARGE_ATTEMPTS; attempt++) {
                try {
                    return payments.charge(o.id(), o.totalCents(), o.card());
                } catch (Unavailable e) {
                    // retry; a real client would back off with jitter between attempts
                }
            }
            return Charge.UNKNOWN;
        }
        // end::saga[]

        private void crashIf(CrashPoint point) {
            if (crashPoint == point) {
                throw new Crash(point);
            }
        }

        // tag::expiry[]
        /** The buyer confirmed with the bank (the provider's webhook). */
        Receipt paymentCompleted(long id) throws SQLException {
            payments.complete(id);
            if (orders.move(id, "AWAITING_PAYMENT", "PAID", null)) {
                return runSaga(id);
            }
            payments.refund(id); // too late: the order was cancelled when its hold expired
            return orders.receipt(id, false);
        }

        /** Run periodically: expired holds go back on sale and their orders are cancelled. */
        List<Long> expireHolds() throws SQLException {
            List<Long> released = inventory.expire();
            for (long id : released) {
                if (!orders.move(id, "AWAITING_PAYMENT", "CANCELLED", "hold expired")) {
                    orders.move(id, "RESERVED", "CANCELLED", "hold expired");
                }
            }
            return released;
        }
        // end::expiry[]

        /** After an orchestrator crash: every order not yet final is driven on from its stored state. */
        void recover() throws SQLException {
            for (long id : orders.unfinished()) {
                runSaga(id);
            }
        }

        @Override
        public void close() throws SQLException {
            orders.close();
            payments.close();
            inventory.close();
        }
    }

    /** What a flash sale on one SKU ended with. */
    record SaleResult(long sold, long left, long confirmed, long cancelled, long charged) {
    }

    // tag::flash-sale[]
    /** {@code buyers} checkouts of one unit each, from {@code threads} threads released together. */
    static SaleResult flashSale(int threads, int buyers, int units) throws Exception {
        try (Shop shop = new Shop()) {
            shop.product("FLASH", 999, units);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Receipt>> receipts = new ArrayList<>();
            for (int i = 0; i < buyers; i++) {
                BuyRequest request = new BuyRequest("buyer-" + i, List.of(new Line("FLASH", 1)), Card.OK);
                String key = "flash-" + i;
                receipts.add(pool.submit(() -> {
                    start.await();
                    return shop.buy(key, request);
                }));
            }
            start.countDown();
            for (Future<Receipt> r : receipts) {
                r.get(60, TimeUnit.SECONDS); // rethrows any failure; the limit only guards against a hang
            }
            pool.shutdown();
            return new SaleResult(shop.inventory.units("FLASH", "SOLD"), shop.inventory.available("FLASH"),
                    shop.orders.count("CONFIRMED"), shop.orders.count("CANCELLED"), shop.payments.count("CHARGED"));
        }
    }
    // end::flash-sale[]

    /** Units sold and units left when two buyers race for the last unit, the steps forced in one order. */
    record Race(int sold, long left) {
    }

    // tag::race[]
    /**
     * Two buyers, A and B, want the last unit; two connections are driven step by step from one
     * thread, so the interleaving is the same in every run.
     */
    static Race lastUnit(boolean conditionalUpdate) throws SQLException {
        try (Inventory inventory = new Inventory(new ManualClock(), 0);
             Connection a = inventory.db.connect(); Connection b = inventory.db.connect()) {
            inventory.stock("LAST", 1);
            int sold = 0;
            if (conditionalUpdate) {
                String take = "UPDATE stock SET available = available - 1 WHERE sku = 'LAST' AND available >= 1";
                sold += update(a, take);
                sold += update(b, take); // finds available = 0: no row matches
            } else {
                long seenByA = readAvailable(a); // both read 1 ...
                long seenByB = readAvailable(b);
                if (seenByA >= 1) {
                    sold += update(a, "UPDATE stock SET available = ? WHERE sku = 'LAST'", seenByA - 1);
                }
                if (seenByB >= 1) { // ... and both write 0: one unit, two buyers
                    sold += update(b, "UPDATE stock SET available = ? WHERE sku = 'LAST'", seenByB - 1);
                }
            }
            return new Race(sold, inventory.available("LAST"));
        }
    }
    // end::race[]

    private static long readAvailable(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT available FROM stock WHERE sku = 'LAST'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String cart(List<Line> lines) {
        return String.join(" + ", lines.stream().map(l -> l.qty() + " " + l.sku()).toList());
    }

    private static String result(Receipt r) {
        String order = r.status().equals("REJECTED") ? "" : "order " + r.orderId() + " ";
        return order + r.status() + (r.reason() == null ? "" : ": " + r.reason()) + (r.replayed() && !order.isEmpty() ? " (the first answer, replayed)" : "");
    }

    private static String stock(Shop shop, String... skus) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (String sku : skus) {
            parts.add(String.format(Locale.ROOT, "%s available=%d held=%d sold=%d", sku, shop.inventory.available(sku),
                    shop.inventory.units(sku, "HELD"), shop.inventory.units(sku, "SOLD")));
        }
        return String.join("; ", parts);
    }

    public static void main(String[] args) throws Exception {
        try (Shop shop = new Shop()) {
            shop.product("LAMP", 4_999, 5);
            shop.product("MUG", 1_250, 3);
            System.out.println("Stock at start: " + stock(shop, "LAMP", "MUG"));
            System.out.println(String.format(Locale.ROOT, "  %-8s %-6s %-14s %-12s %5s  %s",
                    "key", "buyer", "cart", "test card", "calls", "result"));
            BuyRequest alice = new BuyRequest("alice", List.of(new Line("MUG", 2), new Line("LAMP", 1)), Card.OK);
            Object[][] checkouts = {
                {"k-alice", alice},
                {"k-bob", new BuyRequest("bob", List.of(new Line("LAMP", 2)), Card.DECLINED)},
                {"k-carol", new BuyRequest("carol", List.of(new Line("LAMP", 1)), Card.UNREACHABLE)},
                {"k-dave", new BuyRequest("dave", List.of(new Line("MUG", 1)), Card.REPLY_LOST)},
                {"k-alice", alice},
                {"k-alice", new BuyRequest("alice", List.of(new Line("LAMP", 4)), Card.OK)},
                {"k-erin", new BuyRequest("erin", List.of(new Line("LAMP", 2), new Line("MUG", 1)), Card.OK)},
                {"k-frank", new BuyRequest("frank", List.of(new Line("LAMP", 3)), Card.NEEDS_ACTION)},
            };
            for (Object[] checkout : checkouts) {
                String key = (String) checkout[0];
                BuyRequest request = (BuyRequest) checkout[1];
                int callsBefore = shop.payments.providerCalls.get();
                Receipt r = shop.buy(key, request);
                System.out.println(String.format(Locale.ROOT, "  %-8s %-6s %-14s %-12s %5d  %s", key, request.customer(),
                        cart(request.lines()), request.card(), shop.payments.providerCalls.get() - callsBefore, result(r)));
            }
            System.out.println("Stock now: " + stock(shop, "LAMP", "MUG"));
            shop.clock.advanceMinutes(Shop.HOLD_MINUTES + 1);
            List<Long> expired = shop.expireHolds();
            System.out.println("After " + (Shop.HOLD_MINUTES + 1) + " min the sweeper releases the holds of orders " + expired
                    + "; order " + expired.get(0) + " is " + shop.orders.receipt(expired.get(0), false).status());
            System.out.println("Stock at end: " + stock(shop, "LAMP", "MUG"));
            System.out.println(String.format(Locale.ROOT, "Payments charged: %d, orders confirmed: %d, orders cancelled: %d",
                    shop.payments.count("CHARGED"), shop.orders.count("CONFIRMED"), shop.orders.count("CANCELLED")));
            List<String> broker = new ArrayList<>();
            int published = shop.orders.relay(broker::add);
            System.out.println("Outbox relay published " + published + " events: " + String.join(" ", broker));
            System.out.println("Relay run again publishes " + shop.orders.relay(broker::add) + " more");
        }

        SaleResult sale = flashSale(8, 100, 10);
        System.out.println(String.format(Locale.ROOT,
                "Flash sale, 100 buyers on 8 threads for 10 units: sold %d, left %d, confirmed %d, cancelled %d, charged %d",
                sale.sold(), sale.left(), sale.confirmed(), sale.cancelled(), sale.charged()));

        Race naive = lastUnit(false);
        Race atomic = lastUnit(true);
        System.out.println(String.format(Locale.ROOT, "Last unit, read then write:     %d sold, %d left", naive.sold(), naive.left()));
        System.out.println(String.format(Locale.ROOT, "Last unit, conditional UPDATE:  %d sold, %d left", atomic.sold(), atomic.left()));
    }
}
