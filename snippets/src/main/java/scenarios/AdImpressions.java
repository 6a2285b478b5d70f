// requires: com.h2database:h2:2.4.240
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Advertisement impressions within a budget, in miniature: budgets turned into impression tokens
 * ahead of time, per-brand token queues that ad servers pop from, and a served-token log in a real
 * H2 database that is the record for billing and for rebuilding a lost queue.
 *
 * <p>Algorithm. A token seeder divides each brand's budget by its price per impression, rounding
 * down, records that many tokens (each with a unique id) as issued, and deals them round-robin into
 * the brand's queues. To serve an ad, a server pops a token from a queue (a brand whose queues are
 * all empty is no longer eligible), then claims it by inserting its id into the served log, whose
 * primary key refuses a second claim of the same id, and only then serves the ad. A brand can never
 * be served more impressions than it has tokens, and no counter is read or written on the request
 * path. A lost queue is first fenced (no server can pop from it), then rebuilt from the issued
 * tokens of that queue minus the served log. A token that a server had popped but not yet claimed
 * when the queue was lost is put back too; if both copies are popped, the log's key rejects the
 * second claim, so at most one such duplicate claim per server can happen and none is served.
 *
 * <p>Trade-off. No shared counter sits on the hot path, and spending is bounded by construction.
 * The costs: tokens must be issued and stored ahead of time (memory grows with the budget unless
 * tokens stand for blocks of impressions); a token popped by a server that then dies is unspent
 * until the next rebuild, so the design errs towards under-delivery; and pacing across the day is
 * a separate job of releasing tokens gradually.
 *
 * <p>Sources. P. E. O'Neil, "The Escrow Transactional Method", ACM TODS 11(4), 1986, and
 * D. Barbará, H. Garcia-Molina, "The Demarcation Protocol", EDBT 1992 (splitting a limit into
 * local allowances). D. Agarwal et al., "Budget pacing for targeted online advertisements at
 * LinkedIn", KDD 2014. H2 documentation: SQL grammar (PRIMARY KEY, MERGE), error code 23505.
 */
public class AdImpressions {

    // tag::seed[]
    /** A brand's budget and its price per impression, in cents: money is never a double. */
    record Brand(String name, long budgetCents, long priceCents) {
        long tokens() {
            return budgetCents / priceCents;           // rounded down: never over budget
        }
    }

    /**
     * One queue of a brand's tokens. {@code null} means lost: nobody can pop from it until it is
     * rebuilt, which is the fence a rebuild needs.
     */
    static final class TokenQueue {
        final String brand;
        final int number;
        private volatile ConcurrentLinkedQueue<String> tokens;

        TokenQueue(String brand, int number, List<String> tokens) {
            this.brand = brand;
            this.number = number;
            this.tokens = new ConcurrentLinkedQueue<>(tokens);
        }

        /** One token, or null when the queue is empty or lost: an atomic take, never check-then-act. */
        String pop() {
            ConcurrentLinkedQueue<String> q = tokens;
            return q == null ? null : q.poll();
        }

        boolean lost() {
            return tokens == null;
        }

        boolean soldOut() {
            ConcurrentLinkedQueue<String> q = tokens;
            return q != null && q.isEmpty();
        }

        void lose() {
            tokens = null;
        }

        void restore(List<String> rebuilt) {
            tokens = new ConcurrentLinkedQueue<>(rebuilt);
        }

        @Override
        public String toString() {
            return brand + "#" + number;
        }
    }

    /** Issues every brand's tokens, records them, and deals them into its queues. */
    static List<TokenQueue> seed(Connection db, List<Brand> brands, int queuesPerBrand) throws SQLException {
        List<TokenQueue> queues = new ArrayList<>();
        try (PreparedStatement issue = db.prepareStatement(
                "INSERT INTO issued(token_id, brand, queue_no, price_cents) VALUES (?, ?, ?, ?)")) {
            for (Brand brand : brands) {
                List<List<String>> dealt = new ArrayList<>();
                for (int q = 0; q < queuesPerBrand; q++) {
                    dealt.add(new ArrayList<>());
                }
                for (long n = 1; n <= brand.tokens(); n++) {
                    String id = tokenId(brand.name(), n);
                    int q = (int) ((n - 1) % queuesPerBrand);
                    issue.setString(1, id);
                    issue.setString(2, brand.name());
                    issue.setInt(3, q);
                    issue.setLong(4, brand.priceCents());
                    issue.addBatch();
                    dealt.get(q).add(id);
                }
                issue.executeBatch();
                for (int q = 0; q < queuesPerBrand; q++) {
                    queues.add(new TokenQueue(brand.name(), q, dealt.get(q)));
                }
            }
        }
        return queues;
    }

    static String tokenId(String brand, long n) {
        return String.format(Locale.ROOT, "%s-%04d", brand, n);
    }
    // end::seed[]

    /** Test and demo hooks at the two points where interleavings matter. */
    interface Hooks {
        default void popped(int server, String token) {
        }

        default void claimed(int server, String token) {
        }
    }

    // tag::serve[]
    /** An ad server: one thread, one database connection. */
    static final class AdServer {
        private final int id;
        private final List<TokenQueue> queues;
        private final Connection db;
        private final Counters counters;
        private final Hooks hooks;

        AdServer(int id, List<TokenQueue> queues, Connection db, Counters counters, Hooks hooks) {
            this.id = id;
            this.queues = queues;
            this.db = db;
            this.counters = counters;
            this.hooks = hooks;
        }

        /** Serves one ad from a random eligible queue, or none when every queue is empty or lost. */
        Optional<String> serve(Random random) throws SQLException {
            int start = random.nextInt(queues.size());
            for (int i = 0; i < queues.size(); i++) {
                TokenQueue queue = queues.get((start + i) % queues.size());
                for (String token = queue.pop(); token != null; token = queue.pop()) {
                    hooks.popped(id, token);
                    if (claim(token, queue.brand)) {
                        counters.served(queue.brand);
                        hooks.claimed(id, token);
                        return Optional.of(token);       // now, and only now, the ad is served
                    }
                    counters.rejectedClaim();            // already in the log: drop it, pop again
                }
            }
            return Optional.empty();
        }

        /** Appends the token to the served log; false if the log already holds it. */
        private boolean claim(String token, String brand) throws SQLException {
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO served(token_id, brand, server) VALUES (?, ?, ?)")) {
                insert.setString(1, token);
                insert.setString(2, brand);
                insert.setInt(3, id);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {   // unique key violated: claimed before
                    return false;
                }
                throw e;
            }
        }
    }
    // end::serve[]

    // tag::rebuild[]
    /**
     * Rebuilds a lost queue: fence it first, so nothing more is popped from the old copy, then read
     * the issued tokens of this queue that the served log does not hold.
     */
    static int rebuild(Connection db, TokenQueue queue) throws SQLException {
        queue.lose();
        List<String> unserved = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("""
                SELECT i.token_id FROM issued i
                WHERE i.brand = ? AND i.queue_no = ?
                  AND NOT EXISTS (SELECT 1 FROM served s WHERE s.token_id = i.token_id)
                ORDER BY i.token_id""")) {
            query.setString(1, queue.brand);
            query.setInt(2, queue.number);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    unserved.add(rows.getString(1));
                }
            }
        }
        queue.restore(unserved);
        return unserved.size();
    }
    // end::rebuild[]

    /** Monitoring counters: not on the decision path, only checked against the tokens. */
    static final class Counters {
        private final Map<String, AtomicLong> served = new LinkedHashMap<>();
        private final Map<String, Long> tokens = new LinkedHashMap<>();
        private final AtomicBoolean everAbove = new AtomicBoolean();
        private final AtomicLong rejectedClaims = new AtomicLong();

        Counters(List<Brand> brands) {
            for (Brand b : brands) {
                served.put(b.name(), new AtomicLong());
                tokens.put(b.name(), b.tokens());
            }
        }

        void served(String brand) {
            if (served.get(brand).incrementAndGet() > tokens.get(brand)) {
                everAbove.set(true);                      // every increment is checked: none is missed
            }
        }

        void rejectedClaim() {
            rejectedClaims.incrementAndGet();
        }

        long servedCount(String brand) {
            return served.get(brand).get();
        }

        boolean everAboveTokens() {
            return everAbove.get();
        }

        long rejectedClaims() {
            return rejectedClaims.get();
        }
    }

    /** The whole system in one object: database, queues, counters. */
    static final class Market implements AutoCloseable {
        private static final AtomicInteger DATABASES = new AtomicInteger();
        final String url = "jdbc:h2:mem:ad-impressions-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        final Connection db;
        final List<Brand> brands;
        final List<TokenQueue> queues;
        final Counters counters;

        Market(List<Brand> brands, int queuesPerBrand) throws SQLException {
            this.brands = brands;
            db = DriverManager.getConnection(url, "sa", "");
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE issued(token_id VARCHAR(32) PRIMARY KEY, brand VARCHAR(16) NOT NULL,"
                        + " queue_no INT NOT NULL, price_cents BIGINT NOT NULL)");
                s.execute("CREATE TABLE served(token_id VARCHAR(32) PRIMARY KEY REFERENCES issued(token_id),"
                        + " brand VARCHAR(16) NOT NULL, server INT NOT NULL)");
            }
            queues = seed(db, brands, queuesPerBrand);
            counters = new Counters(brands);
        }

        AdServer server(int id, Hooks hooks) throws SQLException {
            return new AdServer(id, queues, DriverManager.getConnection(url, "sa", ""), counters, hooks);
        }

        boolean soldOut() {
            return queues.stream().allMatch(TokenQueue::soldOut);
        }

        TokenQueue queueOf(String token) throws SQLException {
            try (PreparedStatement q = db.prepareStatement("SELECT brand, queue_no FROM issued WHERE token_id = ?")) {
                q.setString(1, token);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    String brand = r.getString(1);
                    int number = r.getInt(2);
                    return queues.stream().filter(t -> t.brand.equals(brand) && t.number == number).findFirst().orElseThrow();
                }
            }
        }

        /** Served impressions and billed cents per brand, from the log: the billing query. */
        Map<String, long[]> billing() throws SQLException {
            Map<String, long[]> bill = new LinkedHashMap<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("""
                    SELECT i.brand, COUNT(*), SUM(i.price_cents) FROM served s
                    JOIN issued i ON i.token_id = s.token_id GROUP BY i.brand ORDER BY i.brand""")) {
                while (r.next()) {
                    bill.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
                }
            }
            return bill;
        }

        /** Token ids that occur more than once in the served log (the key makes this zero). */
        long duplicateIds() throws SQLException {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT COUNT(*) FROM (SELECT token_id FROM served GROUP BY token_id HAVING COUNT(*) > 1)")) {
                r.next();
                return r.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            try (Statement s = db.createStatement()) {
                s.execute("SHUTDOWN");
            }
            db.close();
        }
    }

    /**
     * Runs servers on their own threads, each with its own seed, until every queue is empty and
     * {@code settled} says no queue is still to be rebuilt. Returns the number of ads each served.
     */
    static long[] runUntilSoldOut(Market market, int servers, Hooks hooks, BooleanSupplier settled) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        CyclicBarrier start = new CyclicBarrier(servers);
        List<Future<Long>> results = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            AdServer server = market.server(s, hooks);
            long seed = 7 + s;
            results.add(pool.submit(() -> {
                Random random = new Random(seed);
                long served = 0;
                start.await();
                while (true) {
                    if (server.serve(random).isPresent()) {
                        served++;
                    } else if (market.soldOut() && settled.getAsBoolean()) {
                        break;                             // not just a lost queue: really sold out
                    } else {
                        Thread.yield();                    // a queue is lost: wait for its rebuild
                    }
                }
                server.db.close();
                return served;
            }));
        }
        long[] served = new long[servers];
        for (int s = 0; s < servers; s++) {
            served[s] = results.get(s).get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return served;
    }

    static String dollars(long cents) {
        return String.format(Locale.ROOT, "$%,d.%02d", cents / 100, cents % 100);
    }

    static final List<Brand> BRANDS = List.of(
            new Brand("adidas", 500_00, 1_00),
            new Brand("nike", 1_000_00, 1_00),
            new Brand("puma", 300_00, 70));
    static final String IN_FLIGHT = "nike-0301";
    static final int SERVERS = 8;

    public static void main(String[] args) throws Exception {
        try (Market market = new Market(BRANDS, 2)) {
            System.out.println("Token seeder: tokens = budget / price per impression, rounded down; 2 queues per brand");
            System.out.printf(Locale.ROOT, "%-7s %10s %6s %7s %8s%n", "brand", "budget", "price", "tokens", "unspent");
            for (Brand b : BRANDS) {
                System.out.printf(Locale.ROOT, "%-7s %10s %6s %,7d %8s%n", b.name(), dollars(b.budgetCents()),
                        dollars(b.priceCents()), b.tokens(), dollars(b.budgetCents() - b.tokens() * b.priceCents()));
            }

            // Force the interesting interleaving: the server that pops IN_FLIGHT stops before claiming
            // it; its queue is lost and rebuilt; it resumes only after another server claimed the copy.
            CountDownLatch popped = new CountDownLatch(1);
            CountDownLatch claimedElsewhere = new CountDownLatch(1);
            AtomicInteger holder = new AtomicInteger(-1);
            Hooks hooks = new Hooks() {
                @Override
                public void popped(int server, String token) {
                    if (token.equals(IN_FLIGHT) && holder.compareAndSet(-1, server)) {
                        popped.countDown();
                        await(claimedElsewhere);
                    }
                }

                @Override
                public void claimed(int server, String token) {
                    if (token.equals(IN_FLIGHT) && server != holder.get()) {
                        claimedElsewhere.countDown();
                    }
                }
            };
            ExecutorService operator = Executors.newSingleThreadExecutor();
            Future<Integer> rebuilt = operator.submit(() -> {
                await(popped);
                return rebuild(market.db, market.queueOf(IN_FLIGHT));
            });
            long[] perServer = runUntilSoldOut(market, SERVERS, hooks, rebuilt::isDone);
            rebuilt.get(60, TimeUnit.SECONDS);
            operator.shutdown();

            System.out.printf(Locale.ROOT, "%n%d ad servers request ads until every queue is empty%n", SERVERS);
            System.out.printf(Locale.ROOT, "queue %s lost while %s was popped but not yet logged;"
                    + " rebuilt as issued minus served%n", market.queueOf(IN_FLIGHT), IN_FLIGHT);
            System.out.printf(Locale.ROOT, "%s was served by another server from the rebuilt queue;"
                    + " the late claim was rejected by the log's key%n", IN_FLIGHT);
            System.out.printf(Locale.ROOT, "%-7s %7s %12s %16s %10s%n", "brand", "tokens", "served (log)", "served (counter)", "billed");
            Map<String, long[]> bill = market.billing();
            long total = 0;
            for (Brand b : BRANDS) {
                long[] row = bill.get(b.name());
                total += row[0];
                System.out.printf(Locale.ROOT, "%-7s %,7d %,12d %,16d %10s%n", b.name(), b.tokens(), row[0],
                        market.counters.servedCount(b.name()), dollars(row[1]));
            }
            System.out.printf(Locale.ROOT, "ads served by the servers: %,d = rows in the served log: %,d%n",
                    java.util.Arrays.stream(perServer).sum(), total);
            System.out.println("token ids in the served log more than once: " + market.duplicateIds());
            System.out.println("a served counter above its tokens at any increment: " + market.counters.everAboveTokens());
            System.out.printf(Locale.ROOT, "claims rejected: between 1 and %d (one per server at most): %b%n", SERVERS,
                    market.counters.rejectedClaims() >= 1 && market.counters.rejectedClaims() <= SERVERS);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the forced interleaving");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
