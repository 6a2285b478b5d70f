// requires: com.h2database:h2:2.4.240

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A URL shortener in miniature, on a real embedded H2 database: short keys generated ahead of time
 * in ranges, several key queues that never share a range, an LRU cache on the read path, 301 and
 * 302 redirects with click counting, custom aliases, expiry, and a reconciliation job that recovers
 * the keys a dead queue held in memory.
 *
 * <p>Keys. A key is the image of a counter value (its <em>index</em>) under a secret permutation of
 * [0, 62^7), written as seven base-62 digits. Distinct indices give distinct keys because a
 * permutation is a bijection, so uniqueness needs no lookup and no retry; the permutation makes
 * consecutive indices give unrelated keys, so nobody can guess the next key from the last one. The
 * permutation is a four-round Feistel network over 42 bits with HMAC-SHA256 as its round function,
 * brought into the smaller domain by cycle walking (Black and Rogaway, "Ciphers with arbitrary
 * finite domains", CT-RSA 2002; Luby and Rackoff, SIAM J. Computing 17(2), 1988). A production system
 * would use a vetted format-preserving cipher such as FF1 (NIST SP 800-38G).
 *
 * <p>Ranges. Indices are handed out in ranges of {@code rangeSize}; a range is claimed by one key
 * queue at a time, recorded in the {@code key_range} table, and new ranges come from a database
 * sequence, so the only shared counter is touched once per range, not once per key.
 *
 * <p>Trade-off. A queue that dies loses the keys it held in memory; the reconciliation job finds
 * them by comparing its ranges with the {@code url} table and returns only the unused ones to the
 * pool. The primary key on {@code url} stays the last line of defence against a reissued key.
 */
public class UrlShortener {

    /** Time is injected, so leases, creation times and expiry are the same on every run. */
    interface Clock {
        Instant now();
    }

    /** A clock that moves only when told to. */
    static final class ManualClock implements Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        @Override
        public Instant now() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    // tag::codec[]
    /**
     * Index to key: a keyed Feistel permutation of [0, 62^length) followed by base-62 encoding.
     * Not thread-safe (a {@link Mac} is not): each key queue owns one.
     */
    static final class KeyCodec {
        static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        private static final int ROUNDS = 4;

        final int length;
        final long space; // 62^length keys
        private final int halfBits;
        private final long halfMask;
        private final Mac mac;

        KeyCodec(byte[] secret, int length) {
            this.length = length;
            long s = 1;
            for (int i = 0; i < length; i++) {
                s = Math.multiplyExact(s, 62);
            }
            this.space = s;
            int bits = 64 - Long.numberOfLeadingZeros(space - 1); // 2^bits >= space
            this.halfBits = (bits + 1) / 2;
            this.halfMask = (1L << halfBits) - 1;
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The key for one index: distinct indices always give distinct keys. */
        String key(long index) {
            return encode(permute(index));
        }

        /** A bijection on [0, space): encrypt in the 2^(2*halfBits) domain until the result fits. */
        long permute(long index) {
            if (index < 0 || index >= space) {
                throw new IllegalArgumentException("index outside the key space: " + index);
            }
            long x = index;
            do {
                x = feistel(x); // cycle walking: stays on the cycle that contains index
            } while (x >= space);
            return x;
        }

        private long feistel(long x) {
            long left = x >>> halfBits;
            long right = x & halfMask;
            for (int round = 0; round < ROUNDS; round++) {
                long next = left ^ roundFunction(round, right);
                left = right;
                right = next;
            }
            return (left << halfBits) | right;
        }

        private long roundFunction(int round, long half) {
            mac.update((byte) round);
            for (int shift = 24; shift >= 0; shift -= 8) {
                mac.update((byte) (half >>> shift));
            }
            byte[] h = mac.doFinal();
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v & halfMask;
        }

        private String encode(long value) {
            char[] digits = new char[length];
            for (int i = length - 1; i >= 0; i--) {
                digits[i] = ALPHABET.charAt((int) (value % 62));
                value /= 62;
            }
            return new String(digits);
        }
    }
    // end::codec[]

    /** A stored link as the read path needs it. */
    record Link(String longUrl, Instant expiresAt, int redirect) {
        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** What the HTTP layer would send: a status and, for a redirect, the Location header. */
    record Response(int status, String location) {
    }

    /** Thrown when a custom alias is malformed (400) or taken (409). */
    static final class AliasException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        AliasException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The database: schema, range claims, inserts, lookups and the reconciliation queries. */
    static final class Store implements AutoCloseable {
        // tag::schema[]
        static final String[] SCHEMA = {
            """
            CREATE TABLE url (
              short_key  VARCHAR(30)   PRIMARY KEY,
              long_url   VARCHAR(2048) NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE NOT NULL,
              expires_at TIMESTAMP WITH TIME ZONE,
              redirect   SMALLINT NOT NULL CHECK (redirect IN (301, 302)),
              is_alias   BOOLEAN  NOT NULL)""",
            "CREATE SEQUENCE range_seq START WITH 0 MINVALUE 0",
            """
            CREATE TABLE key_range (
              range_id    BIGINT PRIMARY KEY,
              first_index BIGINT,            -- NULL: a list of recovered keys in free_key
              last_index  BIGINT,
              state       VARCHAR(10) NOT NULL
                          CHECK (state IN ('FREE', 'ACTIVE', 'DONE', 'RECONCILED')),
              queue_id    VARCHAR(20),
              lease_until TIMESTAMP WITH TIME ZONE)""",
            """
            CREATE TABLE free_key (
              short_key VARCHAR(7) PRIMARY KEY,
              range_id  BIGINT NOT NULL REFERENCES key_range)"""
        };
        // end::schema[]

        final String url;
        final int rangeSize;
        final Clock clock;
        final Duration lease;
        private final Connection keepAlive; // an in-memory database lives while one connection is open
        final AtomicLong urlQueries = new AtomicLong();
        final AtomicLong rangeClaims = new AtomicLong();
        final AtomicLong lostClaimRaces = new AtomicLong();

        Store(String name, int rangeSize, Clock clock, Duration lease) throws SQLException {
            this.url = "jdbc:h2:mem:urlshortener-" + name + ";DB_CLOSE_DELAY=-1";
            this.rangeSize = rangeSize;
            this.clock = clock;
            this.lease = lease;
            this.keepAlive = DriverManager.getConnection(url, "sa", "");
            try (Statement s = keepAlive.createStatement()) {
                s.execute("DROP ALL OBJECTS");
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, "sa", "");
        }

        static OffsetDateTime ts(Instant i) {
            return i == null ? null : i.atOffset(ZoneOffset.UTC);
        }

        /** A claimed range: either an index interval or an explicit list of recovered keys. */
        record Claim(long rangeId, long firstIndex, long lastIndex, List<String> keys) {
        }

        // tag::claim[]
        /**
         * Claims a range for {@code queueId}: a FREE list of recovered keys if there is one, else a
         * fresh index interval numbered by the sequence. Either way one statement decides the owner.
         */
        Claim claimRange(Connection c, String queueId) throws SQLException {
            rangeClaims.incrementAndGet();
            Instant leaseUntil = clock.now().plus(lease);
            while (true) {
                Long free = null;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery(
                         "SELECT MIN(range_id) FROM key_range WHERE state = 'FREE'")) {
                    rs.next();
                    long id = rs.getLong(1);
                    free = rs.wasNull() ? null : id;
                }
                if (free == null) {
                    break;
                }
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE key_range SET state = 'ACTIVE', queue_id = ?, lease_until = ?
                        WHERE range_id = ? AND state = 'FREE'""")) {
                    p.setString(1, queueId);
                    p.setObject(2, ts(leaseUntil));
                    p.setLong(3, free);
                    if (p.executeUpdate() == 1) { // compare-and-set on the state column
                        return new Claim(free, -1, -1, freeKeys(c, free));
                    }
                }
                lostClaimRaces.incrementAndGet(); // another queue took it first: look again
            }
            long id;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("VALUES NEXT VALUE FOR range_seq")) {
                rs.next();
                id = rs.getLong(1); // atomic, and not rolled back: no two callers get the same id
            }
            long first = id * rangeSize;
            long last = first + rangeSize - 1;
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO key_range VALUES (?, ?, ?, 'ACTIVE', ?, ?)")) {
                p.setLong(1, id);
                p.setLong(2, first);
                p.setLong(3, last);
                p.setString(4, queueId);
                p.setObject(5, ts(leaseUntil));
                p.executeUpdate();
            }
            return new Claim(id, first, last, List.of());
        }
        // end::claim[]

        private static List<String> freeKeys(Connection c, long rangeId) throws SQLException {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT short_key FROM free_key WHERE range_id = ? ORDER BY short_key")) {
                p.setLong(1, rangeId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        }

        void finishRange(Connection c, long rangeId) throws SQLException {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE key_range SET state = 'DONE' WHERE range_id = ? AND state = 'ACTIVE'")) {
                p.setLong(1, rangeId);
                p.executeUpdate();
            }
        }

        void renewLease(Connection c, long rangeId, String queueId) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE key_range SET lease_until = ?
                    WHERE range_id = ? AND queue_id = ? AND state = 'ACTIVE'""")) {
                p.setObject(1, ts(clock.now().plus(lease)));
                p.setLong(2, rangeId);
                p.setString(3, queueId);
                p.executeUpdate();
            }
        }

        /** Inserts one link; a duplicate key surfaces as {@link SQLIntegrityConstraintViolationException}. */
        void insert(Connection c, String key, String longUrl, Instant expiresAt, int redirect, boolean alias)
                throws SQLException {
            try (PreparedStatement p = prepareInsert(c)) {
                insert(p, key, longUrl, expiresAt, redirect, alias);
            }
        }

        static PreparedStatement prepareInsert(Connection c) throws SQLException {
            return c.prepareStatement("INSERT INTO url VALUES (?, ?, ?, ?, ?, ?)");
        }

        void insert(PreparedStatement p, String key, String longUrl, Instant expiresAt, int redirect, boolean alias)
                throws SQLException {
            p.setString(1, key);
            p.setString(2, longUrl);
            p.setObject(3, ts(clock.now()));
            p.setObject(4, ts(expiresAt));
            p.setInt(5, redirect);
            p.setBoolean(6, alias);
            p.executeUpdate();
        }

        Link find(String key) throws SQLException {
            urlQueries.incrementAndGet();
            try (Connection c = connect();
                 PreparedStatement p = c.prepareStatement(
                     "SELECT long_url, expires_at, redirect FROM url WHERE short_key = ?")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    OffsetDateTime expires = rs.getObject(2, OffsetDateTime.class);
                    return new Link(rs.getString(1), expires == null ? null : expires.toInstant(), rs.getInt(3));
                }
            }
        }

        long count(String sql) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        Set<String> allKeys() throws SQLException {
            Set<String> keys = new TreeSet<>();
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT short_key FROM url")) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }

        @Override
        public void close() throws SQLException {
            try (Statement s = keepAlive.createStatement()) {
                s.execute("SHUTDOWN");
            }
            keepAlive.close();
        }
    }

    // tag::queue[]
    /**
     * Keys ready to hand out, held in memory by one writer. Deliberately unsynchronised: the design
     * gives every writer its own queue, so there is nothing to contend on between refills.
     */
    static final class KeyQueue {
        final String id;
        private final Store store;
        private final Connection c;
        private final KeyCodec codec;
        private final ArrayDeque<String> keys = new ArrayDeque<>();
        private long rangeId = -1;
        private boolean dead;

        KeyQueue(String id, Store store, Connection c, KeyCodec codec) {
            this.id = id;
            this.store = store;
            this.c = c;
            this.codec = codec;
        }

        String take() throws SQLException {
            if (dead) {
                throw new IllegalStateException("queue " + id + " is dead");
            }
            if (keys.isEmpty()) {
                refill();
            }
            return keys.poll();
        }

        private void refill() throws SQLException {
            if (rangeId >= 0) {
                store.finishRange(c, rangeId); // every key of it was handed out
            }
            Store.Claim claim = store.claimRange(c, id);
            rangeId = claim.rangeId();
            if (claim.firstIndex() < 0) {
                keys.addAll(claim.keys()); // recovered keys
            } else {
                for (long i = claim.firstIndex(); i <= claim.lastIndex(); i++) {
                    keys.add(codec.key(i)); // generated ahead of use, in this queue only
                }
            }
        }

        void heartbeat() throws SQLException {
            if (!dead && rangeId >= 0) {
                store.renewLease(c, rangeId, id);
            }
        }

        void close() throws SQLException {
            c.close();
        }

        /** The process dies: whatever it held in memory is gone. Returns what was lost. */
        List<String> kill() {
            dead = true;
            List<String> lost = List.copyOf(keys);
            keys.clear();
            return lost;
        }
    }
    // end::queue[]

    // tag::cache[]
    /**
     * An LRU cache written out: a hash map from key to node plus a doubly linked list in order of
     * last use, under one lock, because every hit relinks the list and is therefore a write.
     * (A LinkedHashMap with accessOrder=true and removeEldestEntry is the same structure.)
     */
    static final class LruCache<K, V> {
        private static final class Node<K, V> {
            final K key;
            V value;
            Node<K, V> prev;
            Node<K, V> next;

            Node(K key, V value) {
                this.key = key;
                this.value = value;
            }
        }

        private final int capacity;
        private final Map<K, Node<K, V>> index = new HashMap<>();
        private final Node<K, V> head = new Node<>(null, null); // head.next: most recently used
        private final Node<K, V> tail = new Node<>(null, null); // tail.prev: least recently used
        private long hits;
        private long misses;
        private long evictions;

        LruCache(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive: " + capacity);
            }
            this.capacity = capacity;
            head.next = tail;
            tail.prev = head;
        }

        synchronized V get(K key) {
            Node<K, V> n = index.get(key);
            if (n == null) {
                misses++;
                return null;
            }
            hits++;
            unlink(n);
            pushFront(n);
            return n.value;
        }

        synchronized void put(K key, V value) {
            Node<K, V> n = index.get(key);
            if (n != null) {
                n.value = value;
                unlink(n);
                pushFront(n);
                return;
            }
            if (index.size() == capacity) {
                Node<K, V> victim = tail.prev;
                unlink(victim);
                index.remove(victim.key);
                evictions++;
            }
            n = new Node<>(key, value);
            index.put(key, n);
            pushFront(n);
        }

        synchronized void remove(K key) {
            Node<K, V> n = index.remove(key);
            if (n != null) {
                unlink(n);
            }
        }

        private void unlink(Node<K, V> n) {
            n.prev.next = n.next;
            n.next.prev = n.prev;
        }

        private void pushFront(Node<K, V> n) {
            n.next = head.next;
            n.prev = head;
            head.next.prev = n;
            head.next = n;
        }
        // end::cache[]

        /** Keys from most to least recently used. */
        synchronized List<K> keysByRecency() {
            List<K> keys = new ArrayList<>();
            for (Node<K, V> n = head.next; n != tail; n = n.next) {
                keys.add(n.key);
            }
            return keys;
        }

        synchronized int size() {
            return index.size();
        }

        synchronized long hits() {
            return hits;
        }

        synchronized long misses() {
            return misses;
        }

        synchronized long evictions() {
            return evictions;
        }
        // tag::cache[]
    }
    // end::cache[]

    /** The service: one read path shared by all, and a write path per writer. */
    static final class Service {
        final Store store;
        final LruCache<String, Link> cache;
        final Clock clock;
        final Map<String, LongAdder> clicks = new ConcurrentHashMap<>();
        final AtomicLong keyConflicts = new AtomicLong();
        private final byte[] secret;

        Service(Store store, int cacheCapacity, byte[] secret) {
            this.store = store;
            this.cache = new LruCache<>(cacheCapacity);
            this.clock = store.clock;
            this.secret = secret.clone();
        }

        /** A writer: one application server's write path, with its own connection and key queue. */
        Writer writer(String id) throws SQLException {
            KeyQueue queue = new KeyQueue(id, store, store.connect(), new KeyCodec(secret, 7));
            return new Writer(this, store.connect(), queue);
        }

        // tag::resolve[]
        /** GET /{key}: cache first, database on a miss; counts a click for every request served. */
        Response resolve(String key) throws SQLException {
            Link link = cache.get(key);
            if (link == null) {
                link = store.find(key);
                if (link == null) {
                    return new Response(404, null);
                }
                cache.put(key, link);
            }
            if (link.expired(clock.now())) {
                cache.remove(key);
                return new Response(410, null); // Gone: the key existed and is never reissued
            }
            clicks.computeIfAbsent(key, k -> new LongAdder()).increment();
            return new Response(link.redirect(), link.longUrl());
        }
        // end::resolve[]

        long clicks(String key) {
            LongAdder a = clicks.get(key);
            return a == null ? 0 : a.sum();
        }
    }

    /** The write path of one application server. */
    static final class Writer implements AutoCloseable {
        final Service service;
        final Connection c;
        final KeyQueue queue;
        private final PreparedStatement insert;

        Writer(Service service, Connection c, KeyQueue queue) throws SQLException {
            this.service = service;
            this.c = c;
            this.queue = queue;
            this.insert = Store.prepareInsert(c);
        }

        // tag::create[]
        /** POST /links: take the next key from this writer's own queue and insert the row. */
        String shorten(String longUrl, Duration ttl, int redirect) throws SQLException {
            return shortenAll(List.of(longUrl), ttl, redirect).get(0);
        }

        /** A bulk import: the same, with one commit for the whole list. */
        List<String> shortenAll(List<String> longUrls, Duration ttl, int redirect) throws SQLException {
            Instant expires = ttl == null ? null : service.clock.now().plus(ttl);
            List<String> keys = new ArrayList<>(longUrls.size());
            c.setAutoCommit(false);
            try {
                for (String longUrl : longUrls) {
                    while (true) {
                        String key = queue.take();
                        try {
                            service.store.insert(insert, key, longUrl, expires, redirect, false);
                            keys.add(key);
                            break;
                        } catch (SQLIntegrityConstraintViolationException e) {
                            service.keyConflicts.incrementAndGet(); // a reissued key: the primary key caught it
                        }
                    }
                }
                c.commit();
                return keys;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        /** POST /links with a custom alias: the primary key decides who gets it. */
        String alias(String alias, String longUrl, int redirect) throws SQLException {
            if (!alias.matches("[A-Za-z0-9_-]{4,30}") || alias.matches("[A-Za-z0-9]{7}")) {
                throw new AliasException(400, "malformed, or shaped like a generated key: " + alias);
            }
            try {
                service.store.insert(insert, alias, longUrl, null, redirect, true);
                return alias;
            } catch (SQLIntegrityConstraintViolationException e) {
                throw new AliasException(409, "alias taken: " + alias);
            }
        }
        // end::create[]

        @Override
        public void close() throws SQLException {
            insert.close();
            c.close();
            queue.close();
        }
    }

    // tag::reconcile[]
    /**
     * The reconciliation job: for every range whose lease ran out, compare the keys it covers with
     * the url table and put the unused ones back in the pool as a new FREE range. A conditional
     * update marks the old range RECONCILED first, so two runs never recover the same range twice.
     */
    static final class Reconciler {
        private final Store store;
        private final KeyCodec codec;

        Reconciler(Store store, byte[] secret) {
            this.store = store;
            this.codec = new KeyCodec(secret, 7);
        }

        record Result(int rangesChecked, int keysChecked, Set<String> recovered) {
        }

        Result run() throws SQLException {
            int ranges = 0;
            int checked = 0;
            Set<String> recovered = new TreeSet<>();
            try (Connection c = store.connect()) {
                c.setAutoCommit(false);
                for (long[] r : expiredRanges(c)) {
                    List<String> keys = keysOf(c, r);
                    try (PreparedStatement p = c.prepareStatement("""
                            UPDATE key_range SET state = 'RECONCILED'
                            WHERE range_id = ? AND state IN ('ACTIVE', 'DONE') AND lease_until < ?""")) {
                        p.setLong(1, r[0]);
                        p.setObject(2, Store.ts(store.clock.now()));
                        if (p.executeUpdate() == 0) {
                            c.rollback(); // renewed or reconciled meanwhile: not ours
                            continue;
                        }
                    }
                    Set<String> unused = new TreeSet<>(keys);
                    unused.removeAll(used(c, keys));
                    if (!unused.isEmpty()) {
                        returnToPool(c, unused);
                    }
                    c.commit();
                    ranges++;
                    checked += keys.size();
                    recovered.addAll(unused);
                }
            }
            return new Result(ranges, checked, recovered);
        }

        private List<String> keysOf(Connection c, long[] r) throws SQLException {
            if (r[1] < 0) {
                return Store.freeKeys(c, r[0]);
            }
            List<String> keys = new ArrayList<>();
            for (long i = r[1]; i <= r[2]; i++) {
                keys.add(codec.key(i));
            }
            return keys;
        }

        private static Set<String> used(Connection c, List<String> keys) throws SQLException {
            Set<String> used = new TreeSet<>();
            try (PreparedStatement p = c.prepareStatement("SELECT short_key FROM url WHERE short_key = ANY(?)")) {
                Array array = c.createArrayOf("VARCHAR", keys.toArray());
                p.setArray(1, array);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        used.add(rs.getString(1));
                    }
                }
            }
            return used;
        }
        // end::reconcile[]

        private List<long[]> expiredRanges(Connection c) throws SQLException {
            List<long[]> ranges = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT range_id, COALESCE(first_index, -1), COALESCE(last_index, -1) FROM key_range
                    WHERE state IN ('ACTIVE', 'DONE') AND lease_until < ? ORDER BY range_id""")) {
                p.setObject(1, Store.ts(store.clock.now()));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ranges.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            c.commit();
            return ranges;
        }

        private void returnToPool(Connection c, Collection<String> unused) throws SQLException {
            long id;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES NEXT VALUE FOR range_seq")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO key_range VALUES (?, NULL, NULL, 'FREE', NULL, NULL)")) {
                p.setLong(1, id);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO free_key VALUES (?, ?)")) {
                for (String key : unused) {
                    p.setString(1, key);
                    p.setLong(2, id);
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
        // tag::reconcile[]
    }
    // end::reconcile[]

    /** A browser that keeps permanent (301) redirects, as RFC 9110 allows; 302s it asks again. */
    static final class Browser {
        private final Service service;
        private final Map<String, String> remembered = new HashMap<>();

        Browser(Service service) {
            this.service = service;
        }

        String click(String key) throws SQLException {
            String cached = remembered.get(key);
            if (cached != null) {
                return cached; // the request never reaches the service
            }
            Response r = service.resolve(key);
            if (r.status() == 301) {
                remembered.put(key, r.location());
            }
            return r.location();
        }
    }

    static final byte[] DEMO_SECRET = "demo secret: load a real one from a vault".getBytes(StandardCharsets.UTF_8);
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Runs {@code writers} writers on their own threads, started together by a latch; each creates
     * {@code perWriter} links; the writer named in {@code dies} has its queue killed after
     * {@code diesAfter} links. Returns the keys each writer created and the keys lost in memory.
     */
    record Run(Map<String, List<String>> created, List<String> lost) {
    }

    static Run createConcurrently(Service service, int writers, int perWriter, String dies, int diesAfter,
            List<Writer> keepOpen) throws Exception {
        List<Writer> ws = new ArrayList<>();
        for (int w = 1; w <= writers; w++) {
            ws.add(service.writer("q" + w));
        }
        keepOpen.addAll(ws);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (int k = 0; k < ws.size(); k++) {
                Writer w = ws.get(k);
                String name = "q" + (k + 1);
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> keys = new ArrayList<>();
                    int n = name.equals(dies) ? diesAfter : perWriter;
                    List<String> batch = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        batch.add("https://example.com/" + name + "/" + i);
                        if (batch.size() == 500 || i == n - 1) {
                            keys.addAll(w.shortenAll(batch, null, 302));
                            batch.clear();
                        }
                    }
                    if (name.equals(dies)) {
                        synchronized (lost) {
                            lost.addAll(w.queue.kill());
                        }
                    }
                    return keys;
                }));
            }
            start.countDown();
            Map<String, List<String>> created = new TreeMap<>();
            for (int i = 0; i < ws.size(); i++) {
                created.put("q" + (i + 1), futures.get(i).get(120, TimeUnit.SECONDS));
            }
            return new Run(created, lost);
        } finally {
            pool.shutdown();
        }
    }

    public static void main(String[] args) throws Exception {
        KeyCodec codec = new KeyCodec(DEMO_SECRET, 7);
        System.out.println("Keys for consecutive indices (secret permutation, base 62):");
        for (long i = 0; i < 4; i++) {
            System.out.printf(Locale.ROOT, "  index %d -> %s%n", i, codec.key(i));
        }

        ManualClock clock = new ManualClock(START);
        List<Writer> writers = new ArrayList<>();
        try (Store store = new Store("demo", 100, clock, Duration.ofMinutes(5))) {
            Service service = new Service(store, 3, DEMO_SECRET);
            Run run = createConcurrently(service, 4, 250, "q4", 130, writers);
            long created = run.created().values().stream().mapToLong(List::size).sum();
            System.out.printf(Locale.ROOT, "%nCreate: 4 writers on 4 threads, one key queue each, ranges of %d keys%n",
                    store.rangeSize);
            System.out.printf(Locale.ROOT, "  links created %d, rows in url %d, distinct keys %d%n", created,
                    store.count("SELECT COUNT(*) FROM url"), store.allKeys().size());
            System.out.printf(Locale.ROOT, "  ranges claimed %d, key conflicts %d%n", store.rangeClaims.get(),
                    service.keyConflicts.get());
            System.out.printf(Locale.ROOT, "  queue q4 died after %d links holding %d unused keys%n",
                    run.created().get("q4").size(), run.lost().size());

            clock.advance(Duration.ofMinutes(10));
            for (Writer w : writers) {
                w.queue.heartbeat(); // live queues renew; the dead one cannot
            }
            Reconciler.Result r = new Reconciler(store, DEMO_SECRET).run();
            Set<String> used = store.allKeys();
            System.out.println();
            System.out.println("Reconciliation after the leases ran out:");
            System.out.printf(Locale.ROOT, "  ranges checked %d, keys checked %d, recovered %d%n",
                    r.rangesChecked(), r.keysChecked(), r.recovered().size());
            System.out.printf(Locale.ROOT, "  recovered = keys lost by q4: %s; recovered and already used: %d%n",
                    r.recovered().equals(new TreeSet<>(run.lost())),
                    r.recovered().stream().filter(used::contains).count());
            Writer fresh = service.writer("q5");
            writers.add(fresh);
            int reused = 0;
            for (int i = 0; i < r.recovered().size(); i++) {
                if (r.recovered().contains(fresh.shorten("https://example.com/q5/" + i, null, 302))) {
                    reused++;
                }
            }
            System.out.printf(Locale.ROOT, "  q5 reissued %d recovered keys, key conflicts %d, second run recovers %d%n",
                    reused, service.keyConflicts.get(), new Reconciler(store, DEMO_SECRET).run().recovered().size());

            System.out.println();
            System.out.println("Read path, LRU cache of 3 links:");
            Writer w1 = writers.get(0);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                keys.add(w1.shorten("https://example.com/read/" + i, null, 302));
            }
            String[] names = {"A", "B", "C", "D"};
            int[] trace = {0, 0, 1, 2, 0, 3, 1, 0};
            StringBuilder line = new StringBuilder();
            for (int t : trace) {
                long hitsBefore = service.cache.hits();
                service.resolve(keys.get(t));
                line.append(names[t]).append(service.cache.hits() > hitsBefore ? ":hit " : ":miss ");
            }
            System.out.println("  " + line.toString().strip());
            System.out.printf(Locale.ROOT, "  hits %d, misses %d, url queries %d, evictions %d%n",
                    service.cache.hits(), service.cache.misses(), store.urlQueries.get(), service.cache.evictions());

            System.out.println();
            System.out.println("Redirects, one browser clicking each link 3 times:");
            Browser browser = new Browser(service);
            String permanent = w1.shorten("https://example.com/permanent", null, 301);
            String temporary = w1.shorten("https://example.com/temporary", null, 302);
            for (int i = 0; i < 3; i++) {
                browser.click(permanent);
                browser.click(temporary);
            }
            System.out.printf(Locale.ROOT, "  301 link: clicks counted %d; 302 link: clicks counted %d%n",
                    service.clicks(permanent), service.clicks(temporary));

            System.out.println();
            System.out.println("Aliases and expiry:");
            System.out.printf(Locale.ROOT, "  alias spring-sale -> %s%n", w1.alias("spring-sale", "https://example.com/sale", 302));
            for (String alias : new String[] {"spring-sale", "Spring1"}) {
                try {
                    writers.get(1).alias(alias, "https://example.com/other", 302);
                } catch (AliasException e) {
                    System.out.printf(Locale.ROOT, "  alias %s -> %d%n", alias, e.status);
                }
            }
            String shortLived = w1.shorten("https://example.com/offer", Duration.ofDays(1), 302);
            int before = service.resolve(shortLived).status();
            clock.advance(Duration.ofDays(1));
            System.out.printf(Locale.ROOT, "  link with a 1-day expiry: %d before, %d after%n",
                    before, service.resolve(shortLived).status());
        } finally {
            for (Writer w : writers) {
                w.close();
            }
        }
    }
}
