import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link AdImpressions} to what its page says, with sixteen real server threads and a real H2
 * served-token log: no brand is ever served more impressions than its tokens, counted from the log
 * and from the counters; when demand exceeds the budget every token is served exactly once, and when
 * it falls short every request is served; and a queue lost while a server holds one of its tokens is
 * rebuilt from the issued tokens minus the served log, after which the log holds every token once
 * and the brand's total equals its budget, with at most one rejected claim per server.
 */
class AdImpressionsTest {

    private static final int SERVERS = 16;

    /** Served count per brand, straight from the log. */
    private static Map<String, long[]> served(AdImpressions.Market market) throws SQLException {
        return market.billing();
    }

    private static long rows(AdImpressions.Market market, String sql) throws SQLException {
        try (Statement s = market.db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @RepeatedTest(3)
    void noBrandIsServedBeyondItsBudgetAndEveryTokenIsServedOnce() throws Exception {
        try (AdImpressions.Market market = new AdImpressions.Market(AdImpressions.BRANDS, 4)) {
            long[] perServer = AdImpressions.runUntilSoldOut(market, SERVERS, new AdImpressions.Hooks() { }, () -> true);

            Map<String, long[]> bill = served(market);
            long total = 0;
            for (AdImpressions.Brand brand : AdImpressions.BRANDS) {
                long fromLog = bill.get(brand.name())[0];
                assertEquals(brand.tokens(), fromLog, brand.name() + ": demand exceeded supply, so every token is served");
                assertEquals(brand.tokens(), market.counters.servedCount(brand.name()), brand.name() + " counter");
                assertTrue(bill.get(brand.name())[1] <= brand.budgetCents(), brand.name() + " billed within budget");
                total += fromLog;
            }
            assertFalse(market.counters.everAboveTokens(), "no counter increment ever passed the tokens");
            assertEquals(total, java.util.Arrays.stream(perServer).sum(), "every ad served is in the log");
            assertEquals(0, market.duplicateIds());
            assertEquals(0, rows(market, "SELECT COUNT(*) FROM served s WHERE NOT EXISTS"
                    + " (SELECT 1 FROM issued i WHERE i.token_id = s.token_id AND i.brand = s.brand)"),
                    "every served token was issued to the brand it was billed to");
            assertEquals(0, market.counters.rejectedClaims(), "without a lost queue no claim is ever refused");
        }
    }

    @Test
    void whenDemandFallsShortEveryRequestGetsAnAd() throws Exception {
        try (AdImpressions.Market market = new AdImpressions.Market(AdImpressions.BRANDS, 4)) {
            int requests = 50;                              // 16 x 50 = 800 < 1,928 tokens
            ExecutorService pool = Executors.newFixedThreadPool(SERVERS);
            CyclicBarrier go = new CyclicBarrier(SERVERS);
            List<Future<Long>> results = new ArrayList<>();
            for (int s = 0; s < SERVERS; s++) {
                AdImpressions.AdServer server = market.server(s, new AdImpressions.Hooks() { });
                long seed = s;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long got = 0;
                    go.await();
                    for (int i = 0; i < requests; i++) {
                        if (server.serve(random).isPresent()) {
                            got++;
                        }
                    }
                    return got;
                }));
            }
            for (Future<Long> f : results) {
                assertEquals(requests, f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals((long) SERVERS * requests, rows(market, "SELECT COUNT(*) FROM served"));
            for (AdImpressions.Brand brand : AdImpressions.BRANDS) {
                long[] row = served(market).get(brand.name());
                assertTrue(row == null || row[0] <= brand.tokens());
            }
        }
    }

    @RepeatedTest(3)
    void aQueueLostWhileAServerHoldsOneOfItsTokensIsRebuiltFromTheServedLog() throws Exception {
        try (AdImpressions.Market market = new AdImpressions.Market(AdImpressions.BRANDS, 2)) {
            String inFlight = "nike-0301";
            CountDownLatch popped = new CountDownLatch(1);
            CountDownLatch claimedElsewhere = new CountDownLatch(1);
            AtomicInteger holder = new AtomicInteger(-1);
            AdImpressions.TokenQueue lostQueue = market.queueOf(inFlight);
            AdImpressions.Hooks hooks = new AdImpressions.Hooks() {
                @Override
                public void popped(int server, String token) {
                    if (token.equals(inFlight) && holder.compareAndSet(-1, server)) {
                        popped.countDown();
                        AdImpressions.await(claimedElsewhere);
                    }
                }

                @Override
                public void claimed(int server, String token) {
                    if (token.equals(inFlight) && server != holder.get()) {
                        claimedElsewhere.countDown();
                    }
                }
            };
            ExecutorService operator = Executors.newSingleThreadExecutor();
            Future<long[]> rebuilt = operator.submit((Callable<long[]>) () -> {
                AdImpressions.await(popped);
                int size = AdImpressions.rebuild(market.db, lostQueue);
                long servedBefore = rows(market, "SELECT COUNT(*) FROM served s JOIN issued i ON i.token_id = s.token_id"
                        + " WHERE i.brand = 'nike' AND i.queue_no = " + lostQueue.number);
                return new long[] {size, servedBefore};
            });
            AdImpressions.runUntilSoldOut(market, SERVERS, hooks, rebuilt::isDone);
            long[] rebuild = rebuilt.get(60, TimeUnit.SECONDS);
            operator.shutdown();

            assertEquals(1, rows(market, "SELECT COUNT(*) FROM served WHERE token_id = '" + inFlight + "'"));
            assertTrue(holder.get() >= 0, "the forced interleaving happened");
            assertEquals(0, market.duplicateIds(), "no token id twice in the log");
            for (AdImpressions.Brand brand : AdImpressions.BRANDS) {
                assertEquals(brand.tokens(), served(market).get(brand.name())[0],
                        brand.name() + ": demand exceeded supply, so exactly the budget is served");
            }
            long issuedInQueue = (AdImpressions.BRANDS.get(1).tokens() + 1) / 2;
            assertTrue(rebuild[0] >= 1 && rebuild[0] < issuedInQueue,
                    () -> "the rebuilt queue leaves out what was served: " + rebuild[0] + " of " + issuedInQueue);
            // A claim is refused only for a token that was popped, unclaimed, when the log was read:
            // each server holds at most one such token, so at most one refusal per server.
            long refused = market.counters.rejectedClaims();
            assertTrue(refused >= 1 && refused <= SERVERS, () -> refused + " claims refused");
            assertFalse(market.counters.everAboveTokens());
        }
    }

    @Test
    void theExampleReportsItsInvariantsHeld() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AdImpressions.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("token ids in the served log more than once: 0"), out);
        assertTrue(out.contains("a served counter above its tokens at any increment: false"), out);
        assertTrue(out.contains("(one per server at most): true"), out);
        for (AdImpressions.Brand brand : AdImpressions.BRANDS) {
            String row = out.lines().filter(l -> l.startsWith(brand.name() + " ") && l.contains("$")).reduce((a, b) -> b).orElseThrow();
            String[] cells = row.trim().split("\\s+");
            assertEquals(cells[1], cells[2], "served from the log equals the tokens: " + row);
            assertEquals(cells[1], cells[3], "the counter equals the tokens: " + row);
        }
    }

    @Test
    void tokensRoundDownSoTheBudgetIsNeverExceeded() {
        AdImpressions.Brand puma = new AdImpressions.Brand("puma", 300_00, 70);
        assertEquals(428, puma.tokens());                 // 428 x $0.70 = $299.60; 429 would be $300.30
        assertTrue(puma.tokens() * puma.priceCents() <= puma.budgetCents());
        assertTrue((puma.tokens() + 1) * puma.priceCents() > puma.budgetCents());
    }
}
