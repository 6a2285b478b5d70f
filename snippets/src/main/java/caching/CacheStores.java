import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Four places a cache can keep its entries, behind one small interface: Java objects on the heap,
 * bytes in a direct buffer outside the heap, bytes in a memory-mapped file, and a remote server
 * reached through a serializing protocol. {@link #main} stores the same entries in each and prints
 * what each one costs the Java heap, the JVM's direct and mapped buffer pools, and a read.
 *
 * <p>The trade-off: the heap store reads cheapest (a get returns the stored object) but every entry
 * is several objects the garbage collector must trace, plus per-object headers. The other three keep
 * the entries out of the heap, but must serialize on every put and copy and decode on every get; the
 * mapped file also survives a restart of the process, and the remote store adds a network round trip
 * per operation while letting many processes share one cache.
 *
 * <p>Java 21 is the target and {@code java.lang.foreign} is still a preview API there (JEP 442; final
 * in Java 22, JEP 454), so the off-heap stores use {@link ByteBuffer#allocateDirect} and
 * {@link FileChannel#map}. No server is available to an example, so the remote store talks to a server
 * object in the same JVM; only byte arrays in the Redis protocol (RESP) pass between the two, and the
 * client counts them.
 *
 * <p>Sources: Java SE 21 API documentation of {@code ByteBuffer}, {@code FileChannel.map},
 * {@code MappedByteBuffer} and {@code BufferPoolMXBean}; Ehcache 3 documentation, "Storage Tiers" and
 * "Tiering Options"; the Redis serialization protocol specification.
 */
public class CacheStores {

    // tag::store[]
    /** Where a cache keeps its entries. Not a whole cache: no eviction or expiry, only storage. */
    interface CacheStore extends AutoCloseable {
        /** Stores value under key, replacing any earlier value. */
        void put(String key, String value);

        /** The value stored under key, or null if there is none. */
        String get(String key);

        int size();

        /** What the entries stored so far, and the reads made so far, have cost. */
        Costs costs();

        @Override
        void close();
    }

    /**
     * @param heapBytes        bytes of Java heap held for the entries (grows with their number)
     * @param heapObjects      Java objects held for the entries, which the garbage collector traces
     * @param bytesCopiedIn    value bytes copied into the heap and decoded by reads
     * @param networkBytes     bytes sent and received over the (simulated) network
     * @param roundTrips       requests that waited for a reply from another process
     */
    record Costs(long heapBytes, long heapObjects, long bytesCopiedIn, long networkBytes, long roundTrips) {
    }
    // end::store[]

    /* --------------- On-heap: a HashMap of Java objects --------------- */

    // tag::heap[]
    /**
     * Entries as Java objects in a {@link HashMap}. A get returns the stored object itself: no copy, no
     * decoding. Each entry costs five objects (a map node, two Strings and their two byte arrays), each
     * with a header and padding, and all of them live in the heap the garbage collector manages.
     */
    static final class HeapStore implements CacheStore {
        private final Map<String, String> map = new HashMap<>();

        @Override
        public synchronized void put(String key, String value) {
            map.put(key, value);
        }

        @Override
        public synchronized String get(String key) {
            return map.get(key);                       // the stored object: nothing copied
        }

        @Override
        public synchronized int size() {
            return map.size();
        }

        @Override
        public synchronized Costs costs() {
            long bytes = Layout.hashMapTable(map.size());
            for (Map.Entry<String, String> e : map.entrySet()) {
                bytes += Layout.HASH_MAP_NODE + Layout.string(e.getKey()) + Layout.string(e.getValue());
            }
            long objects = map.isEmpty() ? 0 : 5L * map.size() + 1;   // + the table array
            return new Costs(bytes, objects, 0, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    /**
     * Object sizes on a 64-bit HotSpot JVM with compressed class pointers and compressed references
     * (the default below 32 GB of heap): 12-byte object headers, 16-byte array headers, 4-byte
     * references, every object padded to a multiple of 8 bytes. A model, not a measurement; the tests
     * compare it with the heap the JVM reports.
     */
    static final class Layout {
        static final int HEADER = 12, ARRAY_HEADER = 16, REF = 4, ALIGN = 8;
        /** HashMap.Node: int hash and three references (key, value, next). */
        static final long HASH_MAP_NODE = align(HEADER + 4 + 3 * REF);
        /** String: a reference to its byte[], int hash, byte coder, boolean hashIsZero. */
        static final long STRING = align(HEADER + REF + 4 + 1 + 1);

        static long align(long bytes) {
            return (bytes + ALIGN - 1) / ALIGN * ALIGN;
        }

        /** A String and its byte array: one byte a character if all are Latin-1, else two. */
        static long string(String s) {
            boolean latin1 = s.chars().allMatch(c -> c <= 0xFF);
            return STRING + align(ARRAY_HEADER + (latin1 ? 1L : 2L) * s.length());
        }

        /** A HashMap grown by puts doubles its table (from 16 slots) whenever it is more than 3/4 full. */
        static long hashMapTable(int entries) {
            if (entries == 0) {
                return 0;
            }
            long slots = 16;
            while (slots * 3 / 4 < entries) {
                slots *= 2;
            }
            return align(ARRAY_HEADER + REF * slots);
        }
    }
    // end::heap[]

    /* --------------- Off-heap: a hash table laid out in bytes --------------- */

    // tag::buffer[]
    /**
     * A hash table written into a {@link ByteBuffer}, so that it works the same in a direct buffer
     * (off-heap) and in a mapped file. Layout, all ints: magic, slot count, entry count, next free
     * offset; then the slots, each the offset of a record or 0 for empty; then the records, each key
     * length, value length, key bytes, value bytes (UTF-8), appended in the order they were written.
     *
     * <p>Open addressing with linear probing, at most 3/4 of the slots used. A put of an existing key
     * appends a new record and repoints the slot; the old record becomes dead space (no compaction).
     * The key bytes and value bytes never exist as heap objects while stored: a put encodes them into
     * the buffer, and a get copies the value's bytes out and decodes a new String.
     */
    static final class BufferStore implements CacheStore {
        private static final int MAGIC = 0x43534231;                   // "CSB1"
        private static final int SLOTS_AT = 4, COUNT_AT = 8, FREE_AT = 12, HEADER = 16;
        private static final int RECORD_HEADER = 8;

        private final ByteBuffer bytes;
        private final int slots;
        private long bytesCopiedIn;

        private BufferStore(ByteBuffer bytes) {
            this.bytes = bytes;
            this.slots = bytes.getInt(SLOTS_AT);
        }

        /** A store in a new direct buffer: memory outside the Java heap. */
        static BufferStore offHeap(int capacity, int slots) {
            return format(ByteBuffer.allocateDirect(capacity), slots);
        }

        /** Writes an empty table into bytes. */
        static BufferStore format(ByteBuffer bytes, int slots) {
            if (HEADER + 4L * slots >= bytes.capacity() || slots < 1) {
                throw new IllegalArgumentException(slots + " slots do not fit in " + bytes.capacity() + " bytes");
            }
            bytes.putInt(SLOTS_AT, slots).putInt(COUNT_AT, 0).putInt(FREE_AT, HEADER + 4 * slots);
            for (int slot = 0; slot < slots; slot++) {
                bytes.putInt(HEADER + 4 * slot, 0);
            }
            bytes.putInt(0, MAGIC);                                      // written last: the table is ready
            return new BufferStore(bytes);
        }

        /** Reads the table an earlier {@link #format} left in bytes, for example in a mapped file. */
        static BufferStore open(ByteBuffer bytes) {
            if (bytes.getInt(0) != MAGIC) {
                throw new IllegalArgumentException("no cache table in these bytes");
            }
            return new BufferStore(bytes);
        }

        @Override
        public synchronized void put(String key, String value) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);              // serialize
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            int slot = find(k);
            boolean added = bytes.getInt(HEADER + 4 * slot) == 0;
            if (added && 4L * (size() + 1) > 3L * slots) {
                throw new IllegalStateException("all " + slots * 3 / 4 + " usable slots are taken");
            }
            int record = bytes.getInt(FREE_AT);
            long end = (long) record + RECORD_HEADER + k.length + v.length;
            if (end > bytes.capacity()) {
                throw new IllegalStateException("out of space: " + bytes.capacity() + " bytes");
            }
            bytes.putInt(record, k.length).putInt(record + 4, v.length)
                    .put(record + RECORD_HEADER, k).put(record + RECORD_HEADER + k.length, v);
            bytes.putInt(FREE_AT, (int) end);
            bytes.putInt(HEADER + 4 * slot, record);                      // publish the record
            if (added) {
                bytes.putInt(COUNT_AT, size() + 1);
            }
        }

        @Override
        public synchronized String get(String key) {
            int record = bytes.getInt(HEADER + 4 * find(key.getBytes(StandardCharsets.UTF_8)));
            if (record == 0) {
                return null;
            }
            int keyLength = bytes.getInt(record);
            byte[] v = new byte[bytes.getInt(record + 4)];
            bytes.get(record + RECORD_HEADER + keyLength, v);             // copy into the heap
            bytesCopiedIn += v.length;
            return new String(v, StandardCharsets.UTF_8);                 // and decode
        }

        /** The slot holding key, or the empty slot where it belongs: linear probing from its hash. */
        private int find(byte[] k) {
            int hash = Arrays.hashCode(k);                                // specified, so stable across runs
            int slot = Math.floorMod(hash ^ (hash >>> 16), slots);
            while (true) {
                int record = bytes.getInt(HEADER + 4 * slot);
                if (record == 0 || sameKey(record, k)) {
                    return slot;
                }
                slot = (slot + 1) % slots;
            }
        }

        private boolean sameKey(int record, byte[] k) {
            return bytes.getInt(record) == k.length
                    && bytes.slice(record + RECORD_HEADER, k.length).equals(ByteBuffer.wrap(k));
        }
        // end::buffer[]

        @Override
        public synchronized int size() {
            return bytes.getInt(COUNT_AT);
        }

        /** Bytes of the buffer in use: header, slots and every record written, dead ones included. */
        synchronized int usedBytes() {
            return bytes.getInt(FREE_AT);
        }

        int capacity() {
            return bytes.capacity();
        }

        @Override
        public synchronized Costs costs() {
            return new Costs(0, 0, bytesCopiedIn, 0, 0);     // this object and its buffer's, whatever the size
        }

        @Override
        public void close() {
        }
    // tag::buffer[]
    }
    // end::buffer[]

    /* --------------- Memory-mapped file --------------- */

    // tag::mapped[]
    /**
     * The same byte layout in a file mapped into memory. Reads and writes are plain memory accesses to
     * the operating system's page cache; the kernel writes dirty pages back to the file, and
     * {@link MappedByteBuffer#force()} makes it do so now. Reopening the file finds the table as it was
     * left, so the cache survives a restart of the process.
     */
    static final class MappedFileStore implements CacheStore {
        private final FileChannel channel;
        private final MappedByteBuffer mapped;
        private final BufferStore table;

        private MappedFileStore(FileChannel channel, MappedByteBuffer mapped, BufferStore table) {
            this.channel = channel;
            this.mapped = mapped;
            this.table = table;
        }

        /** Maps the first size bytes of file: a new table if the file is empty, else the one it holds. */
        static MappedFileStore open(Path file, int size, int slots) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                boolean empty = channel.size() == 0;
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                BufferStore table = empty ? BufferStore.format(mapped, slots) : BufferStore.open(mapped);
                return new MappedFileStore(channel, mapped, table);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void put(String key, String value) {
            table.put(key, value);
        }

        @Override
        public String get(String key) {
            return table.get(key);
        }

        /** Writes dirty pages to the file and closes the channel. The mapping stays until garbage collection. */
        @Override
        public void close() {
            mapped.force();
            try {
                channel.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // end::mapped[]

        @Override
        public int size() {
            return table.size();
        }

        int usedBytes() {
            return table.usedBytes();
        }

        @Override
        public Costs costs() {
            return table.costs();
        }
    // tag::mapped[]
    }
    // end::mapped[]

    /* --------------- Remote: another process, reached over a protocol --------------- */

    // tag::remote[]
    /**
     * A client for a cache server in another process, speaking a subset of RESP, the protocol of
     * Redis: a command is an array of bulk strings ({@code *2\r\n$3\r\nGET\r\n$8\r\nkey:0001\r\n}) and
     * the reply is a simple string, an integer or a bulk string. Every call serializes a request,
     * waits one round trip and decodes the reply. The entries live in the server's memory, not here.
     */
    static final class RemoteStore implements CacheStore {
        private final RespServer server;
        private long sent, received, roundTrips, bytesCopiedIn;

        RemoteStore(RespServer server) {
            this.server = server;
        }

        @Override
        public synchronized void put(String key, String value) {
            String reply = new String(call("SET", key, value), StandardCharsets.UTF_8);
            if (!reply.equals("+OK\r\n")) {
                throw new IllegalStateException("SET failed: " + reply.strip());
            }
        }

        @Override
        public synchronized String get(String key) {
            byte[] reply = call("GET", key);                             // "$<length>\r\n<bytes>\r\n" or "$-1\r\n"
            int lineEnd = indexOfCrLf(reply, 0);
            int length = Integer.parseInt(new String(reply, 1, lineEnd - 1, StandardCharsets.US_ASCII));
            if (length < 0) {
                return null;
            }
            bytesCopiedIn += length;
            return new String(reply, lineEnd + 2, length, StandardCharsets.UTF_8);
        }

        @Override
        public synchronized int size() {
            String reply = new String(call("DBSIZE"), StandardCharsets.US_ASCII);   // ":<n>\r\n"
            return Integer.parseInt(reply.substring(1).strip());
        }

        /** One round trip: only bytes cross between client and server, and both directions are counted. */
        private byte[] call(String... command) {
            byte[] request = Resp.encode(command);
            sent += request.length;
            roundTrips++;
            byte[] reply = server.handle(request);
            received += reply.length;
            return reply;
        }
        // end::remote[]

        @Override
        public synchronized Costs costs() {
            return new Costs(0, 0, bytesCopiedIn, sent + received, roundTrips);
        }

        @Override
        public void close() {
        }
    // tag::remote[]
    }

    /** RESP encoding: an array header, then each argument as a length-prefixed bulk string. */
    static final class Resp {
        static byte[] encode(String... args) {
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                out.writeBytes(bulk(arg.getBytes(StandardCharsets.UTF_8)));
            }
            return out.toByteArray();
        }

        static byte[] bulk(byte[] data) {
            byte[] prefix = ("$" + data.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] bulk = Arrays.copyOf(prefix, prefix.length + data.length + 2);
            System.arraycopy(data, 0, bulk, prefix.length, data.length);
            bulk[bulk.length - 2] = '\r';
            bulk[bulk.length - 1] = '\n';
            return bulk;
        }
    }
    // end::remote[]

    static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF after offset " + from);
    }

    /**
     * The server side of {@link RemoteStore}: parses a RESP array of bulk strings and answers SET, GET
     * and DBSIZE. It runs in the example's JVM only because an example cannot start a server; it shares
     * no objects with the client, only the bytes of each request and reply.
     */
    static final class RespServer {
        private final Map<String, byte[]> data = new HashMap<>();

        synchronized byte[] handle(byte[] request) {
            List<byte[]> args = parse(request);
            String command = new String(args.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            String reply;
            switch (command) {
                case "SET" -> {
                    data.put(new String(args.get(1), StandardCharsets.UTF_8), args.get(2));
                    reply = "+OK\r\n";
                }
                case "GET" -> {
                    byte[] value = data.get(new String(args.get(1), StandardCharsets.UTF_8));
                    return value == null ? "$-1\r\n".getBytes(StandardCharsets.US_ASCII) : Resp.bulk(value);
                }
                case "DBSIZE" -> reply = ":" + data.size() + "\r\n";
                default -> reply = "-ERR unknown command '" + command + "'\r\n";
            }
            return reply.getBytes(StandardCharsets.US_ASCII);
        }

        /** Bytes of keys and values the server holds: what the client no longer keeps itself. */
        synchronized long storedBytes() {
            return data.entrySet().stream()
                    .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length)
                    .sum();
        }

        private static List<byte[]> parse(byte[] request) {
            if (request.length == 0 || request[0] != '*') {
                throw new IllegalArgumentException("not a RESP array");
            }
            int at = indexOfCrLf(request, 0);
            int count = Integer.parseInt(new String(request, 1, at - 1, StandardCharsets.US_ASCII));
            List<byte[]> args = new ArrayList<>(count);
            at += 2;
            for (int i = 0; i < count; i++) {
                if (request[at] != '$') {
                    throw new IllegalArgumentException("expected a bulk string at offset " + at);
                }
                int lineEnd = indexOfCrLf(request, at);
                int length = Integer.parseInt(new String(request, at + 1, lineEnd - at - 1, StandardCharsets.US_ASCII));
                args.add(Arrays.copyOfRange(request, lineEnd + 2, lineEnd + 2 + length));
                at = lineEnd + 2 + length + 2;
            }
            return args;
        }
    }

    /* --------------- Measuring: the JVM's buffer pools --------------- */

    // tag::pools[]
    /** Total capacity of the JVM's "direct" or "mapped" buffer pool: memory outside the Java heap. */
    static long poolCapacity(String pool) {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals(pool))
                .mapToLong(BufferPoolMXBean::getTotalCapacity)
                .sum();
    }
    // end::pools[]

    /** Opens a store; the mapped file store throws IOException. */
    interface StoreFactory {
        CacheStore open() throws IOException;
    }

    /** What storing every entry, then reading every entry once, cost one store. */
    record Measurement(String name, CacheStore store, long directGrowth, long mappedGrowth, Costs stored,
                       Costs perGet, int exact) {
    }

    /**
     * Opens a store, puts every entry and reads every entry back. The pool capacities are read before
     * the store is opened and after the puts, with nothing in between that allocates a buffer.
     */
    static Measurement measure(String name, StoreFactory factory, List<String> keys, List<String> values)
            throws IOException {
        long direct = poolCapacity("direct");
        long mapped = poolCapacity("mapped");
        CacheStore store = factory.open();
        for (int i = 0; i < keys.size(); i++) {
            store.put(keys.get(i), values.get(i));
        }
        long directGrowth = poolCapacity("direct") - direct;
        long mappedGrowth = poolCapacity("mapped") - mapped;
        Costs stored = store.costs();
        int exact = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(i).equals(store.get(keys.get(i)))) {
                exact++;
            }
        }
        Costs read = store.costs();
        int n = keys.size();
        Costs perGet = new Costs(0, 0, (read.bytesCopiedIn() - stored.bytesCopiedIn()) / n,
                (read.networkBytes() - stored.networkBytes()) / n, (read.roundTrips() - stored.roundTrips()) / n);
        return new Measurement(name, store, directGrowth, mappedGrowth, stored, perGet, exact);
    }

    static final int ENTRIES = 1_000;
    static final int VALUE_LENGTH = 100;
    static final int BUFFER_BYTES = 128 * 1024;
    static final int SLOTS = 2_048;

    static String key(int i) {
        return String.format(Locale.ROOT, "key:%04d", i);
    }

    /** Deterministic values of VALUE_LENGTH ASCII characters: a label, then letters from a seeded generator. */
    static List<String> values(int n, long seed) {
        Random random = new Random(seed);
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder value = new StringBuilder(String.format(Locale.ROOT, "value-%04d-", i));
            while (value.length() < VALUE_LENGTH) {
                value.append((char) ('a' + random.nextInt(26)));
            }
            values.add(value.toString());
        }
        return values;
    }

    private static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile("cache-stores-", ".bin");
        try {
            demo(file);
        } finally {
            deleteIfPossible(file);
        }
    }

    private static void demo(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            keys.add(key(i));
        }
        List<String> values = values(ENTRIES, 12);
        long dataBytes = 0;
        for (int i = 0; i < ENTRIES; i++) {
            dataBytes += keys.get(i).length() + values.get(i).length();
        }
        RespServer server = new RespServer();

        // Measure all four before printing anything, and keep every store open until the end, so that
        // no buffer is allocated or freed between the pool readings.
        List<Measurement> results = List.of(
                measure("on-heap", HeapStore::new, keys, values),
                measure("off-heap", () -> BufferStore.offHeap(BUFFER_BYTES, SLOTS), keys, values),
                measure("mapped", () -> MappedFileStore.open(file, BUFFER_BYTES, SLOTS), keys, values),
                measure("remote", () -> new RemoteStore(server), keys, values));

        System.out.printf(Locale.ROOT, "%s entries: %d-byte keys, %d-byte values, %s bytes of data%n",
                n(ENTRIES), keys.get(0).length(), VALUE_LENGTH, n(dataBytes));
        System.out.println();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-26s", ""));
        results.forEach(r -> header.append(String.format(Locale.ROOT, "%11s", r.name())));
        System.out.println(header);
        row("heap bytes for entries", results, r -> r.stored().heapBytes());
        row("heap objects for entries", results, r -> r.stored().heapObjects());
        row("direct pool grew by", results, Measurement::directGrowth);
        row("mapped pool grew by", results, Measurement::mappedGrowth);
        row("bytes decoded per get", results, r -> r.perGet().bytesCopiedIn());
        row("network bytes per get", results, r -> r.perGet().networkBytes());
        row("round trips per get", results, r -> r.perGet().roundTrips());
        System.out.println();

        for (Measurement r : results) {
            if (r.exact() != ENTRIES || r.store().size() != ENTRIES) {
                throw new IllegalStateException(r.name() + " returned " + r.exact() + " of " + ENTRIES + " values");
            }
        }
        System.out.printf(Locale.ROOT, "every store returned all %s values exactly%n", n(ENTRIES));
        MappedFileStore mapped = (MappedFileStore) results.get(2).store();
        System.out.printf(Locale.ROOT, "off-heap and mapped tables use %s of %s bytes (header, %s slots, records)%n",
                n(mapped.usedBytes()), n(BUFFER_BYTES), n(SLOTS));
        System.out.printf(Locale.ROOT, "remote (server simulated in this JVM) holds %s bytes of keys and values%n",
                n(server.storedBytes()));

        results.forEach(r -> r.store().close());
        int readBack = 0;
        try (MappedFileStore reopened = MappedFileStore.open(file, BUFFER_BYTES, SLOTS)) {
            for (int i = 0; i < ENTRIES; i++) {
                if (values.get(i).equals(reopened.get(keys.get(i)))) {
                    readBack++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "mapped file closed and reopened: %s of %s entries read back%n",
                n(readBack), n(ENTRIES));
    }

    private static void row(String label, List<Measurement> results,
                            java.util.function.ToLongFunction<Measurement> value) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s", label));
        results.forEach(r -> line.append(String.format(Locale.ROOT, "%11s", n(value.applyAsLong(r)))));
        System.out.println(line);
    }

    /** Linux and macOS delete a mapped file at once; Windows refuses until the mapping is garbage-collected. */
    static void deleteIfPossible(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
