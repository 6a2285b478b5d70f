import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link NoSqlVsRelational} to what its page says: the relational model on H2 and both
 * document models give the same answers, checked against answers worked out from the seed data
 * alone; each operation costs exactly the work the page describes, derived here from the data
 * rather than read off a run; a rename that crashes part-way leaves exactly the unwritten copies
 * stale, and rerunning it repairs them and nothing else; H2 rejects malformed writes that the
 * document store accepts.
 */
class NoSqlVsRelationalTest {

    private NoSqlVsRelational.RelationalModel relational;
    private NoSqlVsRelational.DocumentModel documents;
    private NoSqlVsRelational.DocumentModel indexed;
    private List<NoSqlVsRelational.OrderStore> models;

    @BeforeEach
    void load() {
        relational = new NoSqlVsRelational.RelationalModel();
        documents = new NoSqlVsRelational.DocumentModel(false);
        indexed = new NoSqlVsRelational.DocumentModel(true);
        models = List.of(relational, documents, indexed);
        models.forEach(NoSqlVsRelational::load);
    }

    @AfterEach
    void close() {
        models.forEach(NoSqlVsRelational.OrderStore::close);
    }

    /* --------------- Oracle: answers from the seed data alone --------------- */

    private static final Map<String, String> NAMES = new TreeMap<>();
    private static final Map<String, Long> PRICES = new TreeMap<>();

    static {
        NoSqlVsRelational.PRODUCTS.forEach(p -> {
            NAMES.put(p.sku(), p.name());
            PRICES.put(p.sku(), p.priceCents());
        });
    }

    private static NoSqlVsRelational.CustomerOrders expectedOrdersOf(String customerId, Map<String, String> names) {
        String customerName = NoSqlVsRelational.CUSTOMERS.stream()
                .filter(c -> c.id().equals(customerId)).findFirst().orElseThrow().name();
        List<NoSqlVsRelational.Order> orders = new ArrayList<>();
        for (NoSqlVsRelational.PlacedOrder o : NoSqlVsRelational.ORDERS) {
            if (o.customerId().equals(customerId)) {
                orders.add(new NoSqlVsRelational.Order(o.id(), o.items().stream()
                        .map(i -> new NoSqlVsRelational.Line(i.sku(), names.get(i.sku()), i.qty(), PRICES.get(i.sku())))
                        .toList()));
            }
        }
        return new NoSqlVsRelational.CustomerOrders(customerId, customerName, orders);
    }

    private static List<String> expectedBuyers(String sku) {
        TreeSet<String> ids = new TreeSet<>();
        NoSqlVsRelational.ORDERS.stream()
                .filter(o -> o.items().stream().anyMatch(i -> i.sku().equals(sku)))
                .forEach(o -> ids.add(o.customerId()));
        return List.copyOf(ids);
    }

    private static int linesOf(String customerId) {
        return NoSqlVsRelational.ORDERS.stream().filter(o -> o.customerId().equals(customerId))
                .mapToInt(o -> o.items().size()).sum();
    }

    /* --------------- Same answers --------------- */

    @Test
    void everyModelAnswersBothQueriesAsTheSeedDataSays() {
        for (NoSqlVsRelational.OrderStore model : models) {
            for (NoSqlVsRelational.Customer c : NoSqlVsRelational.CUSTOMERS) {
                assertEquals(expectedOrdersOf(c.id(), NAMES), model.ordersOf(c.id()), model.name() + " " + c.id());
            }
            for (NoSqlVsRelational.Product p : NoSqlVsRelational.PRODUCTS) {
                assertEquals(expectedBuyers(p.sku()), model.customersWhoBought(p.sku()), model.name() + " " + p.sku());
            }
            assertNull(model.ordersOf("C9"), model.name());
            assertEquals(List.of(), model.customersWhoBought("P9"), model.name());
        }
        assertTrue(NoSqlVsRelational.allAgree(models));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void modelsStillAgreeAfterARandomMixOfOrdersAndRenames(long seed) {
        Random random = new Random(seed);
        List<NoSqlVsRelational.Customer> customers = NoSqlVsRelational.CUSTOMERS;
        List<NoSqlVsRelational.Product> products = NoSqlVsRelational.PRODUCTS;
        for (int step = 0; step < 20; step++) {
            if (random.nextInt(3) == 0) {
                String sku = products.get(random.nextInt(products.size())).sku();
                String name = "Name " + random.nextInt(4); // sometimes the name it already has
                models.forEach(m -> m.renameProduct(sku, name));
            } else {
                String customer = customers.get(random.nextInt(customers.size())).id();
                List<NoSqlVsRelational.Item> items = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    items.add(new NoSqlVsRelational.Item(products.get(random.nextInt(products.size())).sku(), 1 + random.nextInt(5)));
                }
                String orderId = String.format("R%02d", step); // ids sort as placed, as ORDER BY o.id needs
                models.forEach(m -> m.placeOrder(orderId, customer, items));
            }
            assertTrue(NoSqlVsRelational.allAgree(models), "seed " + seed + ", step " + step);
        }
        assertEquals(new NoSqlVsRelational.Staleness(List.of(), 0), documents.staleCopies());
        assertEquals(new NoSqlVsRelational.Staleness(List.of(), 0), indexed.staleCopies());
    }

    /* --------------- Counted work --------------- */

    private NoSqlVsRelational.Work cost(NoSqlVsRelational.OrderStore model, Runnable operation) {
        NoSqlVsRelational.Work before = model.work();
        operation.run();
        return model.work().minus(before);
    }

    private static NoSqlVsRelational.Work work(int requests, int joins, int read, int written, long bytes) {
        return new NoSqlVsRelational.Work(requests, joins, read, written, bytes);
    }

    @Test
    void aCustomersOrdersAreOneJoinQueryOrOneDocumentRead() {
        for (NoSqlVsRelational.Customer c : NoSqlVsRelational.CUSTOMERS) {
            // customer LEFT JOIN orders LEFT JOIN order_line LEFT JOIN product: one row per line.
            assertEquals(work(1, 3, linesOf(c.id()), 0, 0), cost(relational, () -> relational.ordersOf(c.id())));
            assertEquals(work(1, 0, 1, 0, 0), cost(documents, () -> documents.ordersOf(c.id())));
            assertEquals(work(1, 0, 1, 0, 0), cost(indexed, () -> indexed.ordersOf(c.id())));
        }
    }

    @Test
    void buyersOfAProductAreOneQueryAFullScanOrOneIndexRead() {
        int customers = NoSqlVsRelational.CUSTOMERS.size();
        for (NoSqlVsRelational.Product p : NoSqlVsRelational.PRODUCTS) {
            int buyers = expectedBuyers(p.sku()).size();
            assertEquals(work(1, 1, buyers, 0, 0), cost(relational, () -> relational.customersWhoBought(p.sku())));
            assertEquals(work(1, 0, customers, 0, 0), cost(documents, () -> documents.customersWhoBought(p.sku())));
            assertEquals(work(1, 0, 1, 0, 0), cost(indexed, () -> indexed.customersWhoBought(p.sku())));
        }
    }

    @Test
    void placingAnOrderWritesRowsOrOneDocumentPlusTheIndexEntriesThatChange() {
        List<NoSqlVsRelational.Item> items = List.of(new NoSqlVsRelational.Item("P1", 1), new NoSqlVsRelational.Item("P3", 1));
        // One INSERT for the order, one per line.
        assertEquals(work(3, 0, 0, 3, 0), cost(relational, () -> relational.placeOrder("O8", "C4", items)));
        // Two catalogue gets, the customer's get and put.
        NoSqlVsRelational.Work doc = cost(documents, () -> documents.placeOrder("O8", "C4", items));
        assertEquals(work(4, 0, 3, 1, bytes(documents, "customer#C4")), doc);
        // C4 had bought neither product: both index documents are read and rewritten.
        NoSqlVsRelational.Work idx = cost(indexed, () -> indexed.placeOrder("O8", "C4", items));
        assertEquals(work(8, 0, 5, 3, bytes(indexed, "customer#C4") + bytes(indexed, "boughtby#P1")
                + bytes(indexed, "boughtby#P3")), idx);
        // C1 has bought P1 already: its index entry is read but not written again.
        List<NoSqlVsRelational.Item> again = List.of(new NoSqlVsRelational.Item("P1", 2));
        NoSqlVsRelational.Work repeat = cost(indexed, () -> indexed.placeOrder("O9", "C1", again));
        assertEquals(work(4, 0, 3, 1, bytes(indexed, "customer#C1")), repeat);
    }

    @Test
    void aRenameIsOneRowOrEveryDocumentWithACopy() {
        String sku = "P4";
        List<String> holders = expectedBuyers(sku);
        int k = holders.size();
        int n = NoSqlVsRelational.CUSTOMERS.size();
        assertEquals(work(1, 0, 0, 1, 0), cost(relational, () -> relational.renameProduct(sku, "Sencha")));
        // get + put of the catalogue entry, one scan of all n customers, a put per holder.
        NoSqlVsRelational.Work doc = cost(documents, () -> documents.renameProduct(sku, "Sencha"));
        assertEquals(work(3 + k, 0, 1 + n, 1 + k, bytesOf(documents, sku, holders)), doc);
        // get + put of the catalogue entry, the index get, then a get and a put per holder.
        NoSqlVsRelational.Work idx = cost(indexed, () -> indexed.renameProduct(sku, "Sencha"));
        assertEquals(work(3 + 2 * k, 0, 2 + k, 1 + k, bytesOf(indexed, sku, holders)), idx);
        assertTrue(NoSqlVsRelational.allAgree(models));
    }

    @Test
    void renamingToTheSameNameWritesNoDocument() {
        for (NoSqlVsRelational.DocumentModel model : List.of(documents, indexed)) {
            assertEquals(0, cost(model, () -> model.renameProduct("P1", "Kettle")).written(), model.name());
        }
    }

    private static long bytes(NoSqlVsRelational.DocumentModel model, String key) {
        Map<String, Object> doc = model.store.peek(key).get(key);
        return NoSqlVsRelational.json(doc).getBytes(StandardCharsets.UTF_8).length;
    }

    private static long bytesOf(NoSqlVsRelational.DocumentModel model, String sku, List<String> holders) {
        long total = bytes(model, "product#" + sku);
        for (String id : holders) {
            total += bytes(model, "customer#" + id);
        }
        return total;
    }

    /* --------------- The rename anomaly --------------- */

    @Test
    void aRenameThatCrashesLeavesExactlyTheUnwrittenCopiesStaleAndARerunRepairsThem() {
        String sku = "P3";
        List<String> holders = expectedBuyers(sku); // scan order: by key
        int writesNeeded = 1 + holders.size();
        for (int done = 1; done < writesNeeded; done++) {
            NoSqlVsRelational.DocumentModel model = new NoSqlVsRelational.DocumentModel(false);
            NoSqlVsRelational.load(model);
            model.store.crashAfter(done);
            assertThrows(IllegalStateException.class, () -> model.renameProduct(sku, "Stoneware mug"));
            model.store.noCrash();

            List<String> stale = holders.subList(done - 1, holders.size());
            NoSqlVsRelational.Staleness staleness = model.staleCopies();
            assertEquals(stale, staleness.documents(), "crash after " + done + " writes");
            assertEquals(stale.size(), staleness.lines(), "one P3 line in each holder's orders");
            for (String id : holders) {
                String seen = model.ordersOf(id).orders().stream().flatMap(o -> o.lines().stream())
                        .filter(l -> l.sku().equals(sku)).findFirst().orElseThrow().productName();
                assertEquals(stale.contains(id) ? "Mug" : "Stoneware mug", seen, id);
            }

            NoSqlVsRelational.Work repair = cost(model, () -> model.renameProduct(sku, "Stoneware mug"));
            assertEquals(stale.size(), repair.written(), "the rerun writes only the stale documents");
            assertEquals(new NoSqlVsRelational.Staleness(List.of(), 0), model.staleCopies());
            assertEquals(0, cost(model, () -> model.renameProduct(sku, "Stoneware mug")).written(), "idempotent");
            Map<String, String> renamed = new TreeMap<>(NAMES);
            renamed.put(sku, "Stoneware mug");
            for (NoSqlVsRelational.Customer c : NoSqlVsRelational.CUSTOMERS) {
                assertEquals(expectedOrdersOf(c.id(), renamed), model.ordersOf(c.id()));
            }
        }
    }

    @Test
    void theReportShowsTheCrashTheStaleCopiesAndTheRepair() {
        NoSqlVsRelational.Report r = NoSqlVsRelational.demo();
        NoSqlVsRelational.Crash c = r.crash();
        List<String> holders = new ArrayList<>(expectedBuyers("P3"));
        holders.add("C4"); // O8 in the demo: C4 buys P1 and P3
        holders.sort(null);
        assertEquals(1 + holders.size(), c.writesNeeded());
        assertTrue(c.writesDone() < c.writesNeeded());
        List<String> stale = holders.subList(c.writesDone() - 1, holders.size());
        assertEquals(stale, c.afterCrash().documents());
        assertEquals(stale.size(), c.afterCrash().lines());
        assertFalse(c.agreeAfterCrash());
        for (String id : holders) {
            assertEquals(stale.contains(id) ? c.oldName() : c.newName(), c.namesSeen().get(id), id);
        }
        assertEquals(stale.size(), c.repair().written());
        assertEquals(1 + r.customers(), c.repair().read(), "the repair reads the catalogue entry and scans all customers");
        assertEquals(0, c.afterRepair().lines());
        assertTrue(c.agreeAfterRepair());
        assertEquals(work(1, 0, 0, 1, 0), c.relational());
    }

    @Test
    void theReportsStepsAllAgreeAndCountWhatThePageSays() {
        NoSqlVsRelational.Report r = NoSqlVsRelational.demo();
        assertEquals(List.of("relational (H2)", "documents", "documents + index"), r.models());
        assertTrue(r.allAgree());
        r.steps().forEach(s -> assertTrue(s.agree(), s.operation()));
        int lines = NoSqlVsRelational.ORDERS.stream().mapToInt(o -> o.items().size()).sum();
        assertEquals(lines, r.lines());
        assertEquals(r.customers() + r.products() + r.orders() + lines, r.relationalRows());
        assertEquals(r.customers(), r.customerDocuments());
        assertEquals(r.products(), r.productDocuments());
        assertEquals(r.products(), r.indexDocuments(), "every product has been bought");
        // Orders of C1: a four-table join against one get.
        assertEquals(List.of(work(1, 3, 3, 0, 0), work(1, 0, 1, 0, 0), work(1, 0, 1, 0, 0)), r.steps().get(0).work());
        // Buyers of P3: one query, a scan of every customer, one index read.
        assertEquals(List.of(work(1, 1, 3, 0, 0), work(1, 0, r.customers(), 0, 0), work(1, 0, 1, 0, 0)),
                r.steps().get(1).work());
        // The index model does more work on each write than the plain documents.
        for (int i = 2; i < 4; i++) {
            List<NoSqlVsRelational.Work> w = r.steps().get(i).work();
            assertTrue(w.get(2).requests() > w.get(1).requests(), r.steps().get(i).operation());
        }
        // The rename writes one row, or the catalogue entry and each of P2's buyers' documents.
        assertEquals(1, r.steps().get(3).work().get(0).written());
        assertEquals(1 + expectedBuyers("P2").size(), r.steps().get(3).work().get(1).written());
    }

    /* --------------- Schema-on-write against schema-on-read --------------- */

    @Test
    void h2RejectsMalformedLinesThatTheDocumentStoreAccepts() {
        int rows = relational.totalRows();
        NoSqlVsRelational.Schema s = NoSqlVsRelational.schemaCheck(relational, documents);
        // Foreign key violated, NOT NULL violated, column not found.
        assertEquals(List.of("23506", "23502", "42S22"), s.rejectedWith());
        assertEquals(rows, relational.totalRows(), "nothing was written");
        assertTrue(s.documentAccepted());
        assertNotNull(documents.store.peek("customer#C6").get("customer#C6"));
        assertEquals(List.of("no qty", "no price", "unknown field quantity", "no product P9"), s.readerFound());
        assertThrows(RuntimeException.class, () -> documents.ordersOf("C6"), "the strict reader cannot read it");
    }

    @Test
    void aFailedOrderLeavesNothingBehindInEitherModel() {
        List<NoSqlVsRelational.Item> items = List.of(new NoSqlVsRelational.Item("P2", 1), new NoSqlVsRelational.Item("P9", 1));
        int rows = relational.totalRows();
        NoSqlVsRelational.CustomerOrders before = relational.ordersOf("C5");
        assertThrows(IllegalArgumentException.class, () -> relational.placeOrder("O9", "C5", items));
        assertEquals(rows, relational.totalRows(), "the transaction rolled back the order row and its first line");
        assertEquals(before, relational.ordersOf("C5"));
        for (NoSqlVsRelational.DocumentModel model : List.of(documents, indexed)) {
            int written = model.work().written();
            assertThrows(IllegalArgumentException.class, () -> model.placeOrder("O9", "C5", items));
            assertEquals(written, model.work().written(), "the catalogue is read before anything is written");
        }
        assertTrue(NoSqlVsRelational.allAgree(models));
        assertThrows(IllegalStateException.class, () -> relational.placeOrder("O9", "C9", items.subList(0, 1)),
                "no customer C9: foreign key");
        assertEquals(rows, relational.totalRows());
    }

    /* --------------- The document store itself --------------- */

    @Test
    void documentsAreCopiedInAndOutAndSerialisedAsJson() {
        NoSqlVsRelational.DocumentStore store = new NoSqlVsRelational.DocumentStore();
        Map<String, Object> doc = NoSqlVsRelational.doc("_id", "C1", "name", "A \"quoted\" name",
                "orders", new ArrayList<>(List.of(NoSqlVsRelational.doc("id", "O1", "qty", 2L))));
        store.put("customer#C1", doc);
        assertEquals("{\"_id\":\"C1\",\"name\":\"A \\\"quoted\\\" name\",\"orders\":[{\"id\":\"O1\",\"qty\":2}]}",
                NoSqlVsRelational.json(doc));
        assertEquals(NoSqlVsRelational.json(doc).getBytes(StandardCharsets.UTF_8).length, store.work().bytesWritten());
        NoSqlVsRelational.asList(doc.get("orders")).clear();
        Map<String, Object> got = store.get("customer#C1");
        assertEquals(1, NoSqlVsRelational.asList(got.get("orders")).size(), "the caller's later change is not stored");
        got.put("name", "changed");
        assertEquals("A \"quoted\" name", store.get("customer#C1").get("name"), "a change counts only when put back");
        assertNull(store.get("customer#C2"));
        assertEquals(work(4, 0, 2, 1, store.work().bytesWritten()), store.work(), "a miss is a request but reads nothing");
    }
}
