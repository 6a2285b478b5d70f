import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link ShoppingCheckout} to what the shopping page claims: compensations put reserved stock
 * back and leave no charge; concurrent buyers never oversell one SKU and every confirmed order is paid
 * exactly once; a retried buy with the same idempotency key charges once; an abandoned hold expires;
 * a crashed orchestrator is finished by recovery; every final order publishes one event.
 */
class ShoppingCheckoutTest {

    private static ShoppingCheckout.BuyRequest request(String buyer, ShoppingCheckout.Card card, Object... skuQty) {
        List<ShoppingCheckout.Line> lines = new ArrayList<>();
        for (int i = 0; i < skuQty.length; i += 2) {
            lines.add(new ShoppingCheckout.Line((String) skuQty[i], (Integer) skuQty[i + 1]));
        }
        return new ShoppingCheckout.BuyRequest(buyer, lines, card);
    }

    /** Units are conserved: what is on the shelf, held and sold always adds up to what was stocked. */
    private static void assertConserved(ShoppingCheckout.Shop shop, String sku, long stocked) throws Exception {
        long available = shop.inventory.available(sku);
        long held = shop.inventory.units(sku, "HELD");
        long sold = shop.inventory.units(sku, "SOLD");
        assertTrue(available >= 0, "stock went negative: " + available);
        assertEquals(stocked, available + held + sold, "available + held + sold for " + sku);
    }

    @Nested
    @DisplayName("(a) a failed payment is compensated")
    class Compensation {

        @Test
        void aDeclinedPaymentReleasesTheHeldStockCancelsTheOrderAndChargesNothing() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("bob", ShoppingCheckout.Card.DECLINED, "LAMP", 2));
                assertEquals("CANCELLED", r.status());
                assertEquals("payment declined", r.reason());
                assertEquals(5, shop.inventory.available("LAMP"), "stock back to its original level");
                // The units really were held before the payment failed, and released afterwards.
                assertEquals(2, shop.inventory.units("LAMP", "RELEASED"));
                assertEquals(0, shop.inventory.units("LAMP", "HELD"));
                assertEquals(0, shop.payments.count("CHARGED"));
                assertEquals(1, shop.payments.forOrder(r.orderId(), "DECLINED"));
                assertConserved(shop, "LAMP", 5);
            }
        }

        @Test
        void anUnreachablePaymentServiceIsRetriedThenCompensated() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("carol", ShoppingCheckout.Card.UNREACHABLE, "LAMP", 1));
                assertEquals("CANCELLED", r.status());
                assertEquals("payment service down", r.reason());
                assertEquals(ShoppingCheckout.Shop.CHARGE_ATTEMPTS, shop.payments.providerCalls.get());
                assertEquals(5, shop.inventory.available("LAMP"));
                assertEquals(1, shop.inventory.units("LAMP", "RELEASED"));
                assertEquals(0, shop.payments.count("CHARGED"));
            }
        }

        @Test
        void aCartThatCannotBeFullyReservedHoldsNothing() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.product("MUG", 1_250, 0);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("erin", ShoppingCheckout.Card.OK, "LAMP", 2, "MUG", 1));
                assertEquals("CANCELLED", r.status());
                assertEquals("out of stock", r.reason());
                assertEquals(5, shop.inventory.available("LAMP"), "the LAMP line was rolled back with the MUG line");
                assertEquals(0, shop.inventory.units("LAMP", "RELEASED"), "nothing was held, so nothing to compensate");
                assertEquals(0, shop.payments.providerCalls.get(), "no payment attempted without stock");
            }
        }

        @Test
        void aSuccessfulCheckoutSellsTheUnitsAndChargesTheCurrentPrice() throws Exception {
            // Guards the failing cases: a shop that never reserved anything would also "restore" stock.
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.product("MUG", 1_250, 3);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "MUG", 2, "LAMP", 1));
                assertEquals("CONFIRMED", r.status());
                assertNull(r.reason());
                assertEquals(4, shop.inventory.available("LAMP"));
                assertEquals(1, shop.inventory.available("MUG"));
                assertEquals(2, shop.inventory.units("MUG", "SOLD"));
                assertEquals(2 * 1_250 + 4_999, shop.payments.db.count("SELECT amount_cents FROM payment WHERE order_id = ?", r.orderId()));
            }
        }
    }

    @Nested
    @DisplayName("(b) concurrent buyers of one SKU")
    class Contention {

        @Test
        void sixteenThreadsAThousandBuyersAHundredUnitsSellExactlyAHundred() throws Exception {
            int stock = 100;
            int buyers = 1_000;
            ShoppingCheckout.SaleResult sale = ShoppingCheckout.flashSale(16, buyers, stock);
            assertEquals(Math.min(stock, buyers), sale.sold(), "units sold");
            assertEquals(0, sale.left(), "units left");
            assertEquals(sale.sold(), sale.confirmed(), "one confirmed order per unit");
            assertEquals(sale.confirmed(), sale.charged(), "payments == confirmed orders");
            assertEquals(buyers - sale.confirmed(), sale.cancelled(), "everyone else was told no");
        }

        @Test
        void withMoreUnitsThanBuyersEveryBuyerGetsOne() throws Exception {
            ShoppingCheckout.SaleResult sale = ShoppingCheckout.flashSale(8, 200, 300);
            assertEquals(200, sale.sold());
            assertEquals(100, sale.left());
            assertEquals(200, sale.charged());
            assertEquals(0, sale.cancelled());
        }

        @Test
        void twoSkuCartsListedInEitherOrderSellBothSkusWithoutLoss() throws Exception {
            // Half the carts list A then B, half B then A; each reservation takes both or neither. (The
            // miniature also locks rows in SKU order so no two reservations can wait for each other in
            // a cycle; this run is not a reliable detector of that, as a deadlock needs a narrow race.)
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("A", 100, 50);
                shop.product("B", 100, 50);
                ExecutorService pool = Executors.newFixedThreadPool(16);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ShoppingCheckout.Receipt>> futures = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    ShoppingCheckout.BuyRequest req = i % 2 == 0
                            ? request("b" + i, ShoppingCheckout.Card.OK, "A", 1, "B", 1)
                            : request("b" + i, ShoppingCheckout.Card.OK, "B", 1, "A", 1);
                    String key = "k" + i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        return shop.buy(key, req);
                    }));
                }
                start.countDown();
                for (Future<ShoppingCheckout.Receipt> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
                assertEquals(50, shop.orders.count("CONFIRMED"));
                assertEquals(50, shop.inventory.units("A", "SOLD"));
                assertEquals(50, shop.inventory.units("B", "SOLD"));
                assertConserved(shop, "A", 50);
                assertConserved(shop, "B", 50);
            }
        }

        @Test
        void readThenWriteOversellsTheLastUnitAndTheConditionalUpdateDoesNot() throws Exception {
            ShoppingCheckout.Race naive = ShoppingCheckout.lastUnit(false);
            assertEquals(2, naive.sold(), "both buyers read 1 and both wrote 0");
            assertEquals(0, naive.left());
            ShoppingCheckout.Race atomic = ShoppingCheckout.lastUnit(true);
            assertEquals(1, atomic.sold());
            assertEquals(0, atomic.left());
        }
    }

    @Nested
    @DisplayName("(c) idempotency keys")
    class Idempotency {

        @Test
        void aRetriedBuyWithTheSameKeyReturnsTheFirstAnswerAndChargesOnce() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.BuyRequest req = request("alice", ShoppingCheckout.Card.OK, "LAMP", 1);
                ShoppingCheckout.Receipt first = shop.buy("k1", req);
                ShoppingCheckout.Receipt retry = shop.buy("k1", req);
                assertFalse(first.replayed());
                assertTrue(retry.replayed());
                assertEquals(first.orderId(), retry.orderId());
                assertEquals("CONFIRMED", retry.status());
                assertEquals(1, shop.payments.count("CHARGED"));
                assertEquals(1, shop.payments.providerCalls.get(), "the retry did not reach the payment provider");
                assertEquals(4, shop.inventory.available("LAMP"));
                assertEquals(1, shop.orders.db.count("SELECT COUNT(*) FROM orders"));
            }
        }

        @Test
        void concurrentRetriesWithTheSameKeyCreateOneOrderAndOneCharge() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.BuyRequest req = request("alice", ShoppingCheckout.Card.OK, "LAMP", 1);
                ExecutorService pool = Executors.newFixedThreadPool(8);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ShoppingCheckout.Receipt>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return shop.buy("same-key", req);
                    }));
                }
                start.countDown();
                Set<Long> orderIds = new HashSet<>();
                int fresh = 0;
                for (Future<ShoppingCheckout.Receipt> f : futures) {
                    ShoppingCheckout.Receipt r = f.get(60, TimeUnit.SECONDS);
                    orderIds.add(r.orderId());
                    if (!r.replayed()) {
                        fresh++;
                        assertEquals("CONFIRMED", r.status());
                    } else {
                        // Either the final answer or "still in progress" (409): never a second order.
                        assertTrue(r.status().equals("CONFIRMED") || r.status().equals("IN_PROGRESS"), r.toString());
                    }
                }
                pool.shutdown();
                assertEquals(1, fresh, "exactly one request created the order");
                assertEquals(1, orderIds.size());
                assertEquals(1, shop.orders.db.count("SELECT COUNT(*) FROM orders"));
                assertEquals(1, shop.payments.count("CHARGED"));
                assertEquals(4, shop.inventory.available("LAMP"));
            }
        }

        @Test
        void aKeyReusedWithAnotherRequestIsRejected() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 1));
                ShoppingCheckout.Receipt r = shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 4));
                assertEquals("REJECTED", r.status());
                assertEquals(4, shop.inventory.available("LAMP"), "the second request changed nothing");
                assertEquals(1, shop.payments.count("CHARGED"));
            }
        }

        @Test
        void aChargeWhoseReplyWasLostIsRetriedWithTheSameKeyAndChargedOnce() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("MUG", 1_250, 3);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("dave", ShoppingCheckout.Card.REPLY_LOST, "MUG", 1));
                assertEquals("CONFIRMED", r.status());
                assertEquals(2, shop.payments.providerCalls.get(), "the first reply was lost, so the orchestrator retried");
                assertEquals(1, shop.payments.count("CHARGED"));
                assertEquals(1, shop.payments.db.count("SELECT COUNT(*) FROM payment"));
            }
        }
    }

    @Nested
    @DisplayName("reservations expire")
    class Expiry {

        @Test
        void anAbandonedHoldIsReleasedOnlyAfterItsTime() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("frank", ShoppingCheckout.Card.NEEDS_ACTION, "LAMP", 3));
                assertEquals("AWAITING_PAYMENT", r.status());
                assertEquals(2, shop.inventory.available("LAMP"));
                shop.clock.advanceMinutes(ShoppingCheckout.Shop.HOLD_MINUTES - 1);
                assertEquals(List.of(), shop.expireHolds(), "not yet due");
                assertEquals(3, shop.inventory.units("LAMP", "HELD"));
                shop.clock.advanceMinutes(1);
                assertEquals(List.of(r.orderId()), shop.expireHolds());
                assertEquals(5, shop.inventory.available("LAMP"));
                assertEquals("CANCELLED", shop.orders.receipt(r.orderId(), false).status());
                assertEquals(List.of(), shop.expireHolds(), "releasing twice is a no-op");
                assertEquals(5, shop.inventory.available("LAMP"));
                assertConserved(shop, "LAMP", 5);
            }
        }

        @Test
        void aPaymentCompletedInTimeConfirmsTheOrder() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("frank", ShoppingCheckout.Card.NEEDS_ACTION, "LAMP", 3));
                shop.clock.advanceMinutes(5);
                assertEquals("CONFIRMED", shop.paymentCompleted(r.orderId()).status());
                assertEquals(3, shop.inventory.units("LAMP", "SOLD"));
                assertEquals(1, shop.payments.count("CHARGED"));
            }
        }

        @Test
        void aPaymentCompletedAfterTheHoldExpiredIsRefunded() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                ShoppingCheckout.Receipt r = shop.buy("k1", request("frank", ShoppingCheckout.Card.NEEDS_ACTION, "LAMP", 3));
                shop.clock.advanceMinutes(ShoppingCheckout.Shop.HOLD_MINUTES + 1);
                shop.expireHolds();
                assertEquals("CANCELLED", shop.paymentCompleted(r.orderId()).status());
                assertEquals(0, shop.payments.count("CHARGED"));
                assertEquals(1, shop.payments.count("REFUNDED"));
                assertEquals(5, shop.inventory.available("LAMP"));
            }
        }
    }

    @Nested
    @DisplayName("a crashed orchestrator is finished by recovery")
    class Recovery {

        @Test
        void aCrashAfterTheChargeIsConfirmedWithoutASecondCharge() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.crashPoint = ShoppingCheckout.CrashPoint.AFTER_CHARGE;
                assertThrows(ShoppingCheckout.Crash.class, () -> shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 1)));
                assertEquals(1, shop.orders.count("PAID"));
                assertEquals("IN_PROGRESS", shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 1)).status(),
                        "a client retry during the outage is told to come back (409)");
                shop.crashPoint = ShoppingCheckout.CrashPoint.NONE;
                shop.recover();
                assertEquals(1, shop.orders.count("CONFIRMED"));
                assertEquals(1, shop.payments.count("CHARGED"));
                assertEquals(1, shop.inventory.units("LAMP", "SOLD"));
                assertEquals("CONFIRMED", shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 1)).status());
            }
        }

        @Test
        void aCrashAfterTheReservationIsChargedOnceOnRecovery() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.crashPoint = ShoppingCheckout.CrashPoint.AFTER_RESERVE;
                assertThrows(ShoppingCheckout.Crash.class, () -> shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 1)));
                assertEquals(0, shop.payments.providerCalls.get());
                shop.crashPoint = ShoppingCheckout.CrashPoint.NONE;
                shop.recover();
                shop.recover(); // running recovery twice changes nothing
                assertEquals(1, shop.orders.count("CONFIRMED"));
                assertEquals(1, shop.payments.count("CHARGED"));
                assertEquals(4, shop.inventory.available("LAMP"));
            }
        }

        @Test
        void aReservationLeftByACrashIsReleasedByItsExpiryIfNobodyRecovers() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.crashPoint = ShoppingCheckout.CrashPoint.AFTER_RESERVE;
                assertThrows(ShoppingCheckout.Crash.class, () -> shop.buy("k1", request("alice", ShoppingCheckout.Card.OK, "LAMP", 2)));
                shop.clock.advanceMinutes(ShoppingCheckout.Shop.HOLD_MINUTES);
                shop.expireHolds();
                assertEquals(5, shop.inventory.available("LAMP"));
                assertEquals(1, shop.orders.count("CANCELLED"));
                shop.recover(); // nothing left to do: the order is final
                assertEquals(0, shop.payments.providerCalls.get());
            }
        }
    }

    @Nested
    @DisplayName("the outbox")
    class Outbox {

        @Test
        void everyFinalOrderPublishesOneEventInCommitOrderAndOnlyOnce() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                long ok = shop.buy("k1", request("a", ShoppingCheckout.Card.OK, "LAMP", 1)).orderId();
                long declined = shop.buy("k2", request("b", ShoppingCheckout.Card.DECLINED, "LAMP", 1)).orderId();
                long waiting = shop.buy("k3", request("c", ShoppingCheckout.Card.NEEDS_ACTION, "LAMP", 1)).orderId();
                List<String> broker = new ArrayList<>();
                assertEquals(2, shop.orders.relay(broker::add));
                assertEquals(List.of("OrderConfirmed:" + ok, "OrderCancelled:" + declined), broker);
                assertEquals(0, shop.orders.relay(broker::add), "published events are not sent again");
                shop.paymentCompleted(waiting);
                assertEquals(1, shop.orders.relay(broker::add));
                assertEquals("OrderConfirmed:" + waiting, broker.get(2));
            }
        }

        @Test
        void aRelayThatCrashesBeforeItsCommitPublishesAgain() throws Exception {
            try (ShoppingCheckout.Shop shop = new ShoppingCheckout.Shop()) {
                shop.product("LAMP", 4_999, 5);
                shop.buy("k1", request("a", ShoppingCheckout.Card.OK, "LAMP", 1));
                List<String> broker = new ArrayList<>();
                assertThrows(IllegalStateException.class, () -> shop.orders.relay(event -> {
                    broker.add(event);
                    throw new IllegalStateException("relay died after sending");
                }));
                assertEquals(1, shop.orders.relay(broker::add));
                assertEquals(2, broker.size(), "at least once: the consumer sees the event twice");
                assertEquals(broker.get(0), broker.get(1), "with the same identity, so it can deduplicate");
            }
        }
    }
}
