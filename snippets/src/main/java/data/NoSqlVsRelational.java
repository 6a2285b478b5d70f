// requires: com.h2database:h2:2.4.240
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One small shop (customers, products, orders, order lines) stored twice: as normalised tables
 * with foreign keys in a real H2 database, and as documents in a key-value document store written
 * from scratch, keyed for one access pattern. {@link #main} runs the same operations on both,
 * prints the work each one costs, and shows what denormalisation breaks.
 *
 * <p>Relational model (Codd 1970). Each fact is stored once: a product's name is one row of
 * {@code product}; an order line refers to it by key. A query names what it wants and the
 * database finds it, joining tables at read time. The database checks every write against the
 * schema and the foreign keys (schema-on-write) and groups writes into transactions.
 *
 * <p>Document model, as in MongoDB or DynamoDB. Each customer is one document, the aggregate,
 * with its orders and their lines embedded, and each line carries a copy of the product's name
 * and price. The access pattern it is keyed for, "a customer's orders", is one read of one key,
 * with no join, and each document lives whole on one partition. Every other question pays: a
 * query by product scans every document, or needs a second, denormalised index that each write
 * must maintain; a rename rewrites every document holding a copy, one write at a time, so a crash
 * in the middle leaves stale copies. The store accepts any document (schema-on-read): the schema
 * lives in the code that reads.
 *
 * <p>Trade-off. Normalised tables answer questions nobody planned for and keep each fact in one
 * place, at the cost of joins at read time, which get expensive when the joined rows live on
 * different machines. Aggregates answer the planned question in one local read and spread across
 * machines by key, at the cost of duplicated data, work on every write to keep copies in step,
 * and atomicity only within one document unless the store offers multi-document transactions.
 *
 * <p>Sources. E. F. Codd, "A relational model of data for large shared data banks", CACM 13(6),
 * 1970. G. DeCandia et al., "Dynamo: Amazon's highly available key-value store", SOSP 2007
 * (primary-key access only, single-key updates). F. Chang et al., "Bigtable: a distributed storage
 * system for structured data", OSDI 2006 (atomic single-row operations). MongoDB manual, "Embedded
 * Data Versus References" and "Atomicity and Transactions". Amazon DynamoDB developer guide,
 * "First steps for modeling relational data in DynamoDB".
 */
public class NoSqlVsRelational {

    // tag::domain[]
    /** What a customer asks for: a product and a quantity. */
    record Item(String sku, int qty) {
    }

    /** An order line as both models return it: product name, and price when ordered. */
    record Line(String sku, String productName, int qty, long priceCents) {
    }

    record Order(String id, List<Line> lines) {
    }

    record CustomerOrders(String customerId, String customerName, List<Order> orders) {
    }

    /** The operations both models implement, so each can be asked the same. */
    interface OrderStore extends AutoCloseable {
        String name();

        void addCustomer(String id, String name);

        void addProduct(String sku, String name, long priceCents);

        void placeOrder(String orderId, String customerId, List<Item> items);

        CustomerOrders ordersOf(String customerId);

        List<String> customersWhoBought(String sku);

        void renameProduct(String sku, String newName);

        /** Work done so far; subtract two readings to cost one operation. */
        Work work();

        @Override
        void close();
    }

    /**
     * Requests sent (SQL statements, or gets, puts and scans), joins in those
     * statements, rows or documents read and written, bytes of documents written.
     */
    record Work(int requests, int joins, int read, int written, long bytesWritten) {
        Work minus(Work e) {
            return new Work(requests - e.requests, joins - e.joins, read - e.read,
                    written - e.written, bytesWritten - e.bytesWritten);
        }
    }
    // end::domain[]

    /* --------------- Relational model: H2 through JDBC --------------- */

    /**
     * Normalised tables on an in-memory H2 database: every fact once, foreign keys checked on every
     * write, joins at read time, a transaction around each order. Work counts statements, the joins
     * written in them, rows returned and rows changed.
     */
    static final class RelationalModel implements OrderStore {
        private static final AtomicInteger DATABASES = new AtomicInteger();
        private static final Pattern JOIN = Pattern.compile("\\bJOIN\\b");

        // tag::schema[]
        static final String SCHEMA = """
                CREATE TABLE customer (
                  id          VARCHAR(8) PRIMARY KEY,
                  name        VARCHAR(40) NOT NULL);
                CREATE TABLE product (
                  sku         VARCHAR(8) PRIMARY KEY,
                  name        VARCHAR(40) NOT NULL,
                  price_cents BIGINT NOT NULL);
                CREATE TABLE orders (
                  id          VARCHAR(8) PRIMARY KEY,
                  customer_id VARCHAR(8) NOT NULL REFERENCES customer (id));
                CREATE TABLE order_line (
                  order_id    VARCHAR(8) NOT NULL REFERENCES orders (id),
                  line_no     INT NOT NULL,
                  sku         VARCHAR(8) NOT NULL REFERENCES product (sku),
                  qty         INT NOT NULL CHECK (qty > 0),
                  price_cents BIGINT NOT NULL,
                  PRIMARY KEY (order_id, line_no));
                """;
        // end::schema[]

        private final Connection connection;
        private int statements;
        private int joins;
        private int rowsRead;
        private int rowsWritten;

        RelationalModel() {
            try {
                // No DB_CLOSE_DELAY: the in-memory database is dropped when this connection closes.
                connection = DriverManager.getConnection("jdbc:h2:mem:nosql_vs_relational_" + DATABASES.incrementAndGet());
                try (Statement ddl = connection.createStatement()) {
                    for (String table : SCHEMA.split(";")) {
                        if (!table.isBlank()) {
                            ddl.execute(table);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String name() {
            return "relational (H2)";
        }

        @Override
        public void addCustomer(String id, String name) {
            update("INSERT INTO customer (id, name) VALUES (?, ?)", id, name);
        }

        @Override
        public void addProduct(String sku, String name, long priceCents) {
            update("INSERT INTO product (sku, name, price_cents) VALUES (?, ?, ?)", sku, name, priceCents);
        }

        // tag::relational[]

        /** One transaction: the order and its lines, priced from the catalogue. */
        @Override
        public void placeOrder(String orderId, String customerId, List<Item> items) {
            try {
                connection.setAutoCommit(false);
                update("INSERT INTO orders (id, customer_id) VALUES (?, ?)",
                        orderId, customerId);
                int lineNo = 1;
                for (Item item : items) {
                    int inserted = update("""
                        INSERT INTO order_line (order_id, line_no, sku, qty, price_cents)
                        SELECT ?, ?, sku, ?, price_cents FROM product WHERE sku = ?""",
                        orderId, lineNo++, item.qty(), item.sku());
                    if (inserted != 1) {
                        throw new IllegalArgumentException("no product " + item.sku());
                    }
                }
                connection.commit();
            } catch (RuntimeException e) {
                rollback();
                throw e;
            } catch (SQLException e) {
                rollback();
                throw new IllegalStateException(e);
            } finally {
                autoCommit();
            }
        }

        /** The customer joined to orders, lines and products: four tables, one query. */
        @Override
        public CustomerOrders ordersOf(String customerId) {
            List<Object[]> rows = query("""
                    SELECT c.name, o.id, l.sku, p.name, l.qty, l.price_cents
                    FROM customer c
                    LEFT JOIN orders o     ON o.customer_id = c.id
                    LEFT JOIN order_line l ON l.order_id = o.id
                    LEFT JOIN product p    ON p.sku = l.sku
                    WHERE c.id = ?
                    ORDER BY o.id, l.line_no""", customerId);
            if (rows.isEmpty()) {
                return null;
            }
            Map<String, List<Line>> orders = new LinkedHashMap<>();
            for (Object[] r : rows) {
                if (r[1] != null) {
                    List<Line> lines =
                            orders.computeIfAbsent((String) r[1], id -> new ArrayList<>());
                    if (r[2] != null) {
                        lines.add(new Line((String) r[2], (String) r[3],
                                (Integer) r[4], (Long) r[5]));
                    }
                }
            }
            List<Order> list = new ArrayList<>();
            orders.forEach((id, lines) -> list.add(new Order(id, List.copyOf(lines))));
            String name = (String) rows.get(0)[0];
            return new CustomerOrders(customerId, name, List.copyOf(list));
        }

        /** A question the schema was not designed for is still one query. */
        @Override
        public List<String> customersWhoBought(String sku) {
            List<String> ids = new ArrayList<>();
            for (Object[] r : query("""
                    SELECT DISTINCT o.customer_id
                    FROM orders o JOIN order_line l ON l.order_id = o.id
                    WHERE l.sku = ?
                    ORDER BY o.customer_id""", sku)) {
                ids.add((String) r[0]);
            }
            return List.copyOf(ids);
        }

        /** The name is stored once: a rename changes one row, and every join sees it. */
        @Override
        public void renameProduct(String sku, String newName) {
            update("UPDATE product SET name = ? WHERE sku = ?", newName, sku);
        }
        // end::relational[]

        // tag::schema-on-write[]
        /** Runs one write: null if H2 accepted it, else the SQLState of the rejection. */
        String tryWrite(String sql) {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate(sql);
                return null;
            } catch (SQLException e) {
                return e.getSQLState();
            }
        }
        // end::schema-on-write[]

        /** Rows in all four tables, uncounted. */
        int totalRows() {
            int total = 0;
            for (String table : List.of("customer", "product", "orders", "order_line")) {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    total += rs.getInt(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return total;
        }

        @Override
        public Work work() {
            return new Work(statements, joins, rowsRead, rowsWritten, 0);
        }

        private List<Object[]> query(String sql, Object... params) {
            statements++;
            joins += count(JOIN.matcher(sql));
            try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    rows.add(row);
                }
                rowsRead += rows.size();
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private int update(String sql, Object... params) {
            statements++;
            joins += count(JOIN.matcher(sql));
            try (PreparedStatement ps = prepare(sql, params)) {
                int changed = ps.executeUpdate();
                rowsWritten += changed;
                return changed;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private PreparedStatement prepare(String sql, Object... params) throws SQLException {
            PreparedStatement ps = connection.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        }

        private static int count(Matcher m) {
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        private void rollback() {
            try {
                connection.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void autoCommit() {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /* --------------- Document model: a key-value store of JSON-like documents --------------- */

    // tag::store[]
    /**
     * A document store in miniature: sorted keys, each mapped to a JSON-like tree of
     * maps, lists, strings and numbers. Like DynamoDB or MongoDB, it reads and writes
     * whole documents by key, checks nothing about their shape, and makes one put
     * atomic, but not a sequence of puts. Documents are copied in and out, so a change
     * counts only when it is put back.
     */
    static final class DocumentStore {
        private final TreeMap<String, Map<String, Object>> documents = new TreeMap<>();
        private int requests;
        private int read;
        private int written;
        private long bytesWritten;
        private int putsBeforeCrash = -1;

        Map<String, Object> get(String key) {
            requests++;
            Map<String, Object> doc = documents.get(key);
            if (doc == null) {
                return null;
            }
            read++;
            return copy(doc);
        }

        void put(String key, Map<String, Object> doc) {
            if (putsBeforeCrash == 0) {
                throw new IllegalStateException("crash before writing " + key);
            }
            putsBeforeCrash--;
            requests++;
            written++;
            bytesWritten += json(doc).getBytes(StandardCharsets.UTF_8).length;
            documents.put(key, copy(doc));
        }

        /** One request that reads every document whose key starts with the prefix. */
        List<Map<String, Object>> scan(String keyPrefix) {
            requests++;
            List<Map<String, Object>> found = new ArrayList<>();
            String end = keyPrefix + Character.MAX_VALUE;
            for (Map<String, Object> doc : documents.subMap(keyPrefix, end).values()) {
                read++;
                found.add(copy(doc));
            }
            return found;
        }
        // end::store[]

        /** Fault injection: the next {@code puts} puts succeed, the one after throws. */
        void crashAfter(int puts) {
            putsBeforeCrash = puts;
        }

        void noCrash() {
            putsBeforeCrash = -1;
        }

        /** The documents under a key prefix, uncounted: what an operator would inspect. */
        Map<String, Map<String, Object>> peek(String keyPrefix) {
            Map<String, Map<String, Object>> view = new TreeMap<>();
            documents.subMap(keyPrefix, keyPrefix + Character.MAX_VALUE).forEach((k, v) -> view.put(k, copy(v)));
            return view;
        }

        Work work() {
            return new Work(requests, 0, read, written, bytesWritten);
        }
    // tag::store[]
    }
    // end::store[]

    /** A document: an ordered map of field names to values. */
    static Map<String, Object> doc(Object... fieldsAndValues) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            doc.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return doc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asDoc(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    /** A deep copy of a document tree; strings and numbers are immutable and shared. */
    static <T> T copy(T value) {
        Object copied;
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(k, copy(v)));
            copied = m;
        } else if (value instanceof List<?> list) {
            List<Object> l = new ArrayList<>();
            list.forEach(v -> l.add(copy(v)));
            copied = l;
        } else {
            copied = value;
        }
        @SuppressWarnings("unchecked")
        T result = (T) copied;
        return result;
    }

    /** The document as JSON text: what a document store would keep on disk and send over the wire. */
    static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            map.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(json(k)).append(':').append(json(v)));
            return sb.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            list.forEach(v -> sb.append(sb.length() > 1 ? "," : "").append(json(v)));
            return sb.append(']').toString();
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(value);
    }

    /**
     * Customers as aggregates: key {@code customer#C1} holds the customer with every order and line
     * embedded, each line with a copy of the product's name and price; {@code product#P1} is the
     * catalogue entry. With {@code productIndex}, the model also keeps {@code boughtby#P1}, the ids
     * of the customers who bought P1, and maintains it on every order: a second, denormalised view
     * for a second access pattern.
     */
    static final class DocumentModel implements OrderStore {
        final DocumentStore store = new DocumentStore();
        private final boolean productIndex;

        DocumentModel(boolean productIndex) {
            this.productIndex = productIndex;
        }

        @Override
        public String name() {
            return productIndex ? "documents + index" : "documents";
        }

        @Override
        public void addCustomer(String id, String name) {
            store.put("customer#" + id, doc("_id", id, "name", name, "orders", new ArrayList<>()));
        }

        @Override
        public void addProduct(String sku, String name, long priceCents) {
            store.put("product#" + sku, doc("_id", sku, "name", name, "price", priceCents));
        }

        // tag::documents[]
        /** Copies name and price into each line, then rewrites the customer's document. */
        @Override
        public void placeOrder(String orderId, String customerId, List<Item> items) {
            List<Object> lines = new ArrayList<>();
            for (Item item : items) {
                Map<String, Object> product = store.get("product#" + item.sku());
                if (product == null) {
                    throw new IllegalArgumentException("no product " + item.sku());
                }
                lines.add(doc("sku", item.sku(), "name", product.get("name"),
                        "qty", (long) item.qty(), "price", product.get("price")));
            }
            Map<String, Object> customer = store.get("customer#" + customerId);
            if (customer == null) {
                throw new IllegalArgumentException("no customer " + customerId);
            }
            asList(customer.get("orders")).add(doc("id", orderId, "lines", lines));
            store.put("customer#" + customerId, customer);
            if (productIndex) {
                // Separate puts, not one atomic write: a crash here leaves the index behind.
                for (String sku : new LinkedHashSet<>(items.stream().map(Item::sku).toList())) {
                    Map<String, Object> index = store.get("boughtby#" + sku);
                    if (index == null) {
                        index = doc("_id", sku, "customers", new ArrayList<>());
                    }
                    TreeSet<Object> customers = new TreeSet<>(asList(index.get("customers")));
                    if (customers.add(customerId)) {
                        index.put("customers", new ArrayList<>(customers));
                        store.put("boughtby#" + sku, index);
                    }
                }
            }
        }

        /** The access pattern the documents are keyed for: one get, no join. */
        @Override
        public CustomerOrders ordersOf(String customerId) {
            Map<String, Object> customer = store.get("customer#" + customerId);
            return customer == null ? null : read(customer);
        }

        /** Without the index, every customer document must be read and searched. */
        @Override
        public List<String> customersWhoBought(String sku) {
            if (productIndex) {
                Map<String, Object> index = store.get("boughtby#" + sku);
                return index == null ? List.of() : asList(index.get("customers")).stream()
                        .map(String.class::cast).toList();
            }
            TreeSet<String> ids = new TreeSet<>();
            for (Map<String, Object> customer : store.scan("customer#")) {
                if (linesOf(customer).stream().anyMatch(line -> sku.equals(line.get("sku")))) {
                    ids.add((String) customer.get("_id"));
                }
            }
            return List.copyOf(ids);
        }

        /**
         * The catalogue entry, then every embedded copy, one document at a time. Only
         * documents still holding another name are written, so running it again
         * finishes a rename that crashed half-way.
         */
        @Override
        public void renameProduct(String sku, String newName) {
            Map<String, Object> product = store.get("product#" + sku);
            if (!newName.equals(product.put("name", newName))) {
                store.put("product#" + sku, product);
            }
            List<Map<String, Object>> holders = new ArrayList<>();
            if (productIndex) {
                Map<String, Object> index = store.get("boughtby#" + sku);
                for (Object id : index == null ? List.of() : asList(index.get("customers"))) {
                    holders.add(store.get("customer#" + id));
                }
            } else {
                holders.addAll(store.scan("customer#"));
            }
            for (Map<String, Object> customer : holders) {
                boolean changed = false;
                for (Map<String, Object> line : linesOf(customer)) {
                    if (sku.equals(line.get("sku")) && !newName.equals(line.get("name"))) {
                        line.put("name", newName);
                        changed = true;
                    }
                }
                if (changed) {
                    store.put("customer#" + customer.get("_id"), customer);
                }
            }
        }
        // end::documents[]

        @Override
        public Work work() {
            return store.work();
        }

        /** Embedded lines whose name differs from the catalogue's, and the documents holding them. */
        Staleness staleCopies() {
            Map<String, Map<String, Object>> catalogue = store.peek("product#");
            int lines = 0;
            TreeSet<String> documents = new TreeSet<>();
            for (Map<String, Object> customer : store.peek("customer#").values()) {
                for (Map<String, Object> line : linesOf(customer)) {
                    Map<String, Object> product = catalogue.get("product#" + line.get("sku"));
                    if (product != null && !Objects.equals(product.get("name"), line.get("name"))) {
                        lines++;
                        documents.add((String) customer.get("_id"));
                    }
                }
            }
            return new Staleness(List.copyOf(documents), lines);
        }

        @Override
        public void close() {
        }
    }

    record Staleness(List<String> documents, int lines) {
    }

    static List<Map<String, Object>> linesOf(Map<String, Object> customer) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Object order : asList(customer.get("orders"))) {
            for (Object line : asList(asDoc(order).get("lines"))) {
                lines.add(asDoc(line));
            }
        }
        return lines;
    }

    // tag::schema-on-read[]

    /** Schema-on-read: the reader decides what a document means, or fails. */
    static CustomerOrders read(Map<String, Object> customer) {
        List<Order> orders = new ArrayList<>();
        for (Object o : asList(customer.get("orders"))) {
            List<Line> lines = new ArrayList<>();
            for (Object l : asList(asDoc(o).get("lines"))) {
                Map<String, Object> line = asDoc(l);
                lines.add(new Line((String) line.get("sku"), (String) line.get("name"),
                        Math.toIntExact((Long) line.get("qty")), (Long) line.get("price")));
            }
            orders.add(new Order((String) asDoc(o).get("id"), List.copyOf(lines)));
        }
        return new CustomerOrders((String) customer.get("_id"),
                (String) customer.get("name"), List.copyOf(orders));
    }

    /** What a careful reader checks before trusting a document the store did not check. */
    static List<String> problems(Map<String, Object> customer,
                                 Map<String, Map<String, Object>> catalogue) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> line : linesOf(customer)) {
            for (String field : List.of("sku", "name", "qty", "price")) {
                if (!line.containsKey(field)) {
                    problems.add("no " + field);
                }
            }
            for (String field : line.keySet()) {
                if (!List.of("sku", "name", "qty", "price").contains(field)) {
                    problems.add("unknown field " + field);
                }
            }
            if (!catalogue.containsKey("product#" + line.get("sku"))) {
                problems.add("no product " + line.get("sku"));
            }
        }
        return problems;
    }
    // end::schema-on-read[]

    /* --------------- The demo --------------- */

    record Customer(String id, String name) {
    }

    record Product(String sku, String name, long priceCents) {
    }

    record PlacedOrder(String id, String customerId, List<Item> items) {
    }

    static final List<Customer> CUSTOMERS = List.of(new Customer("C1", "Ada"), new Customer("C2", "Grace"),
            new Customer("C3", "Edsger"), new Customer("C4", "Barbara"), new Customer("C5", "Tony"));
    static final List<Product> PRODUCTS = List.of(new Product("P1", "Kettle", 3900), new Product("P2", "Teapot", 2400),
            new Product("P3", "Mug", 800), new Product("P4", "Green tea", 650));
    static final List<PlacedOrder> ORDERS = List.of(
            new PlacedOrder("O1", "C1", List.of(new Item("P1", 1), new Item("P3", 2))),
            new PlacedOrder("O2", "C1", List.of(new Item("P4", 3))),
            new PlacedOrder("O3", "C2", List.of(new Item("P2", 1), new Item("P3", 4))),
            new PlacedOrder("O4", "C3", List.of(new Item("P3", 1))),
            new PlacedOrder("O5", "C3", List.of(new Item("P1", 1), new Item("P4", 2))),
            new PlacedOrder("O6", "C4", List.of(new Item("P4", 2))),
            new PlacedOrder("O7", "C5", List.of(new Item("P2", 1), new Item("P4", 1))));

    static void load(OrderStore store) {
        CUSTOMERS.forEach(c -> store.addCustomer(c.id(), c.name()));
        PRODUCTS.forEach(p -> store.addProduct(p.sku(), p.name(), p.priceCents()));
        ORDERS.forEach(o -> store.placeOrder(o.id(), o.customerId(), o.items()));
    }

    /** The same operation on every model: each model's answer, and the work each did. */
    record Step(String operation, List<Object> answers, List<Work> work) {
        boolean agree() {
            return answers.stream().distinct().count() == 1;
        }
    }

    /** Runs a query on every model, counting its work; the answer is what it returns. */
    static Step query(String operation, List<OrderStore> models, Function<OrderStore, Object> query) {
        List<Object> answers = new ArrayList<>();
        List<Work> work = new ArrayList<>();
        for (OrderStore model : models) {
            Work before = model.work();
            answers.add(query.apply(model));
            work.add(model.work().minus(before));
        }
        return new Step(operation, answers, work);
    }

    /** Runs a write on every model, counting its work, then reads back (uncounted) what it changed. */
    static Step write(String operation, List<OrderStore> models, Consumer<OrderStore> write,
                      Function<OrderStore, Object> readBack) {
        List<Object> answers = new ArrayList<>();
        List<Work> work = new ArrayList<>();
        for (OrderStore model : models) {
            Work before = model.work();
            write.accept(model);
            work.add(model.work().minus(before));
            answers.add(readBack.apply(model));
        }
        return new Step(operation, answers, work);
    }

    /** Every customer's orders: enough to compare two models after any write. */
    static List<CustomerOrders> everything(OrderStore model) {
        return CUSTOMERS.stream().map(c -> model.ordersOf(c.id())).toList();
    }

    /** True if every model gives the same answer to both queries, for every customer and product. */
    static boolean allAgree(List<OrderStore> models) {
        for (Customer c : CUSTOMERS) {
            if (models.stream().map(m -> m.ordersOf(c.id())).distinct().count() != 1) {
                return false;
            }
        }
        for (Product p : PRODUCTS) {
            if (models.stream().map(m -> m.customersWhoBought(p.sku())).distinct().count() != 1) {
                return false;
            }
        }
        return true;
    }

    /** A rename on all models in which the document model crashes part-way, what readers see, and the repair. */
    record Crash(String sku, String oldName, String newName, int writesNeeded, int writesDone, Work relational,
                 Map<String, String> namesSeen, Staleness afterCrash, boolean agreeAfterCrash,
                 Work repair, Staleness afterRepair, boolean agreeAfterRepair) {
    }

    /** Malformed writes: the SQLState H2 rejected each with, and what the document reader found. */
    record Schema(List<String> rejectedWith, boolean documentAccepted, List<String> readerFound) {
    }

    record Report(int customers, int products, int orders, int lines, int relationalRows,
                  int customerDocuments, int productDocuments, int indexDocuments,
                  List<String> models, List<Step> steps, boolean allAgree, Crash crash, Schema schema) {
    }

    static final List<String> MALFORMED_SQL = List.of(
            "INSERT INTO order_line VALUES ('O1', 9, 'P9', 2, 100)",
            "INSERT INTO order_line (order_id, line_no, sku, price_cents) VALUES ('O1', 9, 'P1', 3900)",
            "INSERT INTO order_line (order_id, line_no, sku, quantity, price_cents) VALUES ('O1', 9, 'P1', 2, 3900)");

    static final List<String> MALFORMED_WHY = List.of("no product P9", "no qty", "unknown column quantity");

    static Report demo() {
        try (RelationalModel relational = new RelationalModel()) {
            DocumentModel documents = new DocumentModel(false);
            DocumentModel indexed = new DocumentModel(true);
            List<OrderStore> models = List.of(relational, documents, indexed);
            models.forEach(NoSqlVsRelational::load);
            int lines = ORDERS.stream().mapToInt(o -> o.items().size()).sum();
            int relationalRows = relational.totalRows();
            int customerDocuments = documents.store.peek("customer#").size();
            int productDocuments = documents.store.peek("product#").size();
            int indexDocuments = indexed.store.peek("boughtby#").size();

            List<Step> steps = List.of(
                    query("orders of C1", models, m -> m.ordersOf("C1")),
                    query("customers who bought P3", models, m -> m.customersWhoBought("P3")),
                    write("place order O8: C4 buys P1, P3", models,
                            m -> m.placeOrder("O8", "C4", List.of(new Item("P1", 1), new Item("P3", 1))),
                            NoSqlVsRelational::everything),
                    write("rename P2 to Glass teapot", models,
                            m -> m.renameProduct("P2", "Glass teapot"), NoSqlVsRelational::everything));
            boolean agree = allAgree(models);
            Crash crash = crashedRename(relational, documents, indexed, models);
            Schema schema = schemaCheck(relational, documents);
            return new Report(CUSTOMERS.size(), PRODUCTS.size(), ORDERS.size(), lines, relationalRows,
                    customerDocuments, productDocuments, indexDocuments,
                    models.stream().map(OrderStore::name).toList(), steps, agree, crash, schema);
        }
    }

    static Crash crashedRename(RelationalModel relational, DocumentModel documents, DocumentModel indexed,
                               List<OrderStore> models) {
        String sku = "P3";
        String newName = "Stoneware mug";
        String oldName = (String) documents.store.peek("product#" + sku).get("product#" + sku).get("name");
        List<String> holders = relational.customersWhoBought(sku);
        Work relationalBefore = relational.work();
        relational.renameProduct(sku, newName);
        Work relationalWork = relational.work().minus(relationalBefore);
        indexed.renameProduct(sku, newName);

        // tag::crash[]
        int writesNeeded = 1 + holders.size(); // catalogue entry, then each holder
        int writesDone = 2;
        documents.store.crashAfter(writesDone);
        try {
            documents.renameProduct(sku, newName);
            throw new AssertionError("the injected crash did not happen");
        } catch (IllegalStateException crashed) {
            documents.store.noCrash();
        }
        Map<String, String> namesSeen = new LinkedHashMap<>();
        for (String id : holders) {
            for (Order order : documents.ordersOf(id).orders()) {
                order.lines().stream().filter(l -> sku.equals(l.sku()))
                        .forEach(l -> namesSeen.put(id, l.productName()));
            }
        }
        Staleness afterCrash = documents.staleCopies();
        boolean agreeAfterCrash = allAgree(models);
        Work before = documents.work();
        documents.renameProduct(sku, newName); // the repair: the same rename, again
        Work repair = documents.work().minus(before);
        // end::crash[]
        return new Crash(sku, oldName, newName, writesNeeded, writesDone, relationalWork, namesSeen, afterCrash,
                agreeAfterCrash, repair, documents.staleCopies(), allAgree(models));
    }

    // tag::schema-demo[]

    static Schema schemaCheck(RelationalModel relational, DocumentModel documents) {
        List<String> rejectedWith = new ArrayList<>();
        for (String sql : MALFORMED_SQL) {
            rejectedWith.add(relational.tryWrite(sql));
        }
        // As an older client writes it: "quantity", no price, a product nobody sells.
        Map<String, Object> line = doc("sku", "P9", "name", "Teacup", "quantity", 2L);
        documents.store.put("customer#C6", doc("_id", "C6", "name", "Alan",
                "orders", List.of(doc("id", "O9", "lines", List.of(line)))));
        Map<String, Object> stored = documents.store.get("customer#C6");
        List<String> found = problems(stored, documents.store.peek("product#"));
        return new Schema(rejectedWith, stored != null, found);
    }
    // end::schema-demo[]

    static String describe(String model, Work w) {
        List<String> parts = new ArrayList<>();
        boolean sql = model.startsWith("relational");
        parts.add(count(w.requests(), sql ? "statement" : "request"));
        if (w.joins() > 0) {
            parts.add(count(w.joins(), "join"));
        }
        if (w.read() > 0) {
            parts.add(count(w.read(), sql ? "row" : "document") + (sql ? " returned" : " read"));
        }
        if (w.written() > 0) {
            parts.add(count(w.written(), sql ? "row" : "document") + " written"
                    + (sql ? "" : String.format(Locale.ROOT, " (%d bytes)", w.bytesWritten())));
        }
        return String.join(", ", parts);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public static void main(String[] args) {
        Report r = demo();
        System.out.printf(Locale.ROOT, "One shop, three models: %d customers, %d products, %d orders, %d order lines%n",
                r.customers(), r.products(), r.orders(), r.lines());
        System.out.printf(Locale.ROOT, "  %-18s %d rows in 4 tables, each fact stored once%n", r.models().get(0), r.relationalRows());
        System.out.printf(Locale.ROOT, "  %-18s %d customer documents with orders embedded, %d product documents%n",
                r.models().get(1), r.customerDocuments(), r.productDocuments());
        System.out.printf(Locale.ROOT, "  %-18s the same, plus %d index documents (product -> customers)%n",
                r.models().get(2), r.indexDocuments());
        for (Step s : r.steps()) {
            System.out.printf(Locale.ROOT, "%s (same answer from all three: %s)%n", s.operation(), s.agree() ? "yes" : "NO");
            for (int i = 0; i < r.models().size(); i++) {
                System.out.printf(Locale.ROOT, "  %-18s %s%n", r.models().get(i), describe(r.models().get(i), s.work().get(i)));
            }
        }
        System.out.printf(Locale.ROOT, "Every query on every customer and product agrees: %s%n", r.allAgree() ? "yes" : "NO");

        Crash c = r.crash();
        System.out.printf(Locale.ROOT, "%nRename %s '%s' -> '%s'; the documents crash after %d of %d writes:%n",
                c.sku(), c.oldName(), c.newName(), c.writesDone(), c.writesNeeded());
        System.out.printf(Locale.ROOT, "  %-18s %s%n", r.models().get(0), describe(r.models().get(0), c.relational()));
        Map<String, List<String>> byName = new LinkedHashMap<>();
        c.namesSeen().forEach((id, name) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(id));
        List<String> seen = new ArrayList<>();
        byName.forEach((name, ids) -> seen.add(String.join(", ", ids) + (ids.size() == 1 ? " sees '" : " see '") + name + "'"));
        System.out.printf(Locale.ROOT, "  %-18s %s%n", r.models().get(1), String.join("; ", seen));
        System.out.printf(Locale.ROOT, "  stale copies: %d lines in %d documents %s; all models agree: %s%n",
                c.afterCrash().lines(), c.afterCrash().documents().size(), c.afterCrash().documents(),
                c.agreeAfterCrash() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "  rerun the rename: %s%n", describe(r.models().get(1), c.repair()));
        System.out.printf(Locale.ROOT, "  stale copies left: %d; all models agree: %s%n",
                c.afterRepair().lines(), c.agreeAfterRepair() ? "yes" : "no");

        Schema s = r.schema();
        System.out.printf(Locale.ROOT, "%nSchema-on-write: H2 rejected %d of %d malformed order lines:%n",
                s.rejectedWith().stream().filter(Objects::nonNull).count(), s.rejectedWith().size());
        for (int i = 0; i < s.rejectedWith().size(); i++) {
            System.out.printf(Locale.ROOT, "  %-24s SQLState %s%n", MALFORMED_WHY.get(i), s.rejectedWith().get(i));
        }
        System.out.printf(Locale.ROOT, "Schema-on-read: the document store %s a line with the same mistakes;%n",
                s.documentAccepted() ? "accepted" : "rejected");
        System.out.printf(Locale.ROOT, "  its reader finds: %s%n", String.join(", ", s.readerFound()));
    }
}
