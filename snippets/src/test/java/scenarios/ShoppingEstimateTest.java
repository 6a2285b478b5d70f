import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the shopping estimate's figures against a hand computation from the same assumptions, done
 * here with plain arithmetic rather than through {@code Capacity}.
 */
class ShoppingEstimateTest {

    private static final ShoppingEstimate.Assumptions A = ShoppingEstimate.Assumptions.typical();

    private static String value(Capacity.Sheet sheet, String quantity) {
        return sheet.lines().stream().filter(l -> l[0].equals(quantity)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + quantity))[1];
    }

    @Test
    void peakPageViewsAndCdnEgress() {
        double views = 20e6 * 15 / 86_400.0 * 3; // 10,416.7 per second
        assertEquals(String.format(Locale.ROOT, "%,d/s", (long) Math.ceil(views)), value(ShoppingEstimate.browse(A), "page views at peak"));
        assertEquals("10,417/s", value(ShoppingEstimate.browse(A), "page views at peak"));
        // 10,416.7 views/s x 300 kB x 8 bits = 25.0 Gbit/s
        assertEquals("25.0 Gbit/s", value(ShoppingEstimate.browse(A), "CDN egress at peak"));
        // 2 % of the views miss the CDN: 208.3, rounded up
        assertEquals("209/s", value(ShoppingEstimate.browse(A), "requests reaching the origin"));
        // 2 million products x 80 kB
        assertEquals("160.0 GB", value(ShoppingEstimate.browse(A), "rendered catalogue (HTML)"));
    }

    @Test
    void ordersAndTheirStorage() {
        assertEquals("600,000", value(ShoppingEstimate.checkout(A), "orders per day"));
        // 600,000 / 86,400 x 3 = 20.8, rounded up
        assertEquals("21/s", value(ShoppingEstimate.checkout(A), "orders at peak"));
        double bytes = 600_000 * 365.25 * 5 * 2_000 * 3; // 6.57e12
        assertEquals(String.format(Locale.ROOT, "%.1f TB", bytes / 1e12), value(ShoppingEstimate.checkout(A), "order storage"));
        assertEquals("500", value(ShoppingEstimate.checkout(A), "browse-to-buy ratio"));
    }

    @Test
    void aFlashSaleAsksOneRowForFarMoreThanItCanDo() {
        Capacity.Sheet flash = ShoppingEstimate.flashSale(A);
        assertEquals("16,667/s", value(flash, "buy attempts on the SKU")); // 1,000,000 / 60
        assertEquals("500/s", value(flash, "one row's ceiling"));          // 1 / 2 ms
        assertEquals("x 34", value(flash, "demand over ceiling"));          // 33.3, rounded up
    }

    @Test
    void theCheckoutChainIsLessAvailableThanItsWeakestLink() {
        double chain = 0.9999 * 0.9995 * 0.9995 * 0.999;
        Capacity.Sheet sheet = ShoppingEstimate.availability(A);
        assertEquals(String.format(Locale.ROOT, "%.4f %%", chain * 100), value(sheet, "gateway, orders, inventory, payment"));
        double hours = (1 - chain) * 365.25 * 24;
        assertEquals(String.format(Locale.ROOT, "%.1f h", hours), value(sheet, "downtime per year"));
        assertTrue(chain < 0.999, "below the weakest link, 99.9 %");
    }
}
