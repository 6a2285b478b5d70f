import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Holds {@link CacheStores} to what its page claims: every store returns exactly what was put; the
 * off-heap and mapped stores keep entry bytes out of the Java heap and in the direct and mapped buffer
 * pools; the mapped file outlives the process that wrote it; the remote store sends exactly the RESP
 * bytes it should; and the heap store's size model matches the heap the JVM reports.
 */
class CacheStoresTest {

    /**
     * Stores whose buffers must not be garbage-collected while the tests run: freeing one would shrink
     * a buffer pool in the middle of another test's before-and-after reading.
     */
    private static final List<CacheStores.CacheStore> KEEP = new ArrayList<>();

    @TempDir
    Path dir;

    private List<CacheStores.CacheStore> allFour(Path file, CacheStores.RespServer server) throws IOException {
        List<CacheStores.CacheStore> stores = List.of(
                new CacheStores.HeapStore(),
                CacheStores.BufferStore.offHeap(CacheStores.BUFFER_BYTES, CacheStores.SLOTS),
                CacheStores.MappedFileStore.open(file, CacheStores.BUFFER_BYTES, CacheStores.SLOTS),
                new CacheStores.RemoteStore(server));
        KEEP.addAll(stores);
        return stores;
    }

    /* --------------- Every store is a correct map --------------- */

    @Test
    void everyStoreRoundTripsEveryEntryExactly() throws IOException {
        List<String> values = CacheStores.values(CacheStores.ENTRIES, 12);
        for (CacheStores.CacheStore store : allFour(dir.resolve("a.bin"), new CacheStores.RespServer())) {
            for (int i = 0; i < CacheStores.ENTRIES; i++) {
                store.put(CacheStores.key(i), values.get(i));
            }
            assertEquals(CacheStores.ENTRIES, store.size(), store.getClass().getSimpleName());
            for (int i = 0; i < CacheStores.ENTRIES; i++) {
                assertEquals(values.get(i), store.get(CacheStores.key(i)), store.getClass().getSimpleName());
            }
            assertNull(store.get("key:9999"), "a key never put is absent");
            store.close();
        }
    }

    @Test
    void everyStoreKeepsNonAsciiTextEmptyValuesAndTheLatestValueOfAKey() throws IOException {
        for (CacheStores.CacheStore store : allFour(dir.resolve("b.bin"), new CacheStores.RespServer())) {
            String name = store.getClass().getSimpleName();
            store.put("clé", "valeur àéî");
            store.put("鍵", "値 \r\n with CRLF inside");
            store.put("empty", "");
            store.put("clé", "second value");
            assertEquals(3, store.size(), name);
            assertEquals("second value", store.get("clé"), name);
            assertEquals("値 \r\n with CRLF inside", store.get("鍵"), name);
            assertEquals("", store.get("empty"), name);
            store.close();
        }
    }

    @Test
    void bufferStoreAgreesWithAHashMapOnARandomWorkloadWithCollisions() {
        // 64 slots and at most 48 keys: long probe runs, many overwrites.
        CacheStores.BufferStore store = CacheStores.BufferStore.offHeap(1 << 20, 64);
        KEEP.add(store);
        Map<String, String> oracle = new HashMap<>();
        Random random = new Random(7);
        for (int op = 0; op < 20_000; op++) {
            String key = "k" + random.nextInt(48);
            if (random.nextBoolean()) {
                String value = "v" + random.nextInt(1_000_000);
                store.put(key, value);
                oracle.put(key, value);
            } else {
                assertEquals(oracle.get(key), store.get(key), "get " + key + " at op " + op);
            }
            assertEquals(oracle.size(), store.size());
        }
    }

    @Test
    void bufferStoreRefusesToFillMoreThanThreeQuartersOfItsSlotsOrOverflowItsBytes() {
        CacheStores.BufferStore slots = CacheStores.BufferStore.offHeap(4_096, 8);
        KEEP.add(slots);
        for (int i = 0; i < 6; i++) {
            slots.put("k" + i, "v");
        }
        assertThrows(IllegalStateException.class, () -> slots.put("k6", "v"), "a 7th key in 8 slots");
        slots.put("k0", "overwrite is still allowed");
        assertEquals("overwrite is still allowed", slots.get("k0"));

        CacheStores.BufferStore bytes = CacheStores.BufferStore.offHeap(256, 8);
        KEEP.add(bytes);
        assertThrows(IllegalStateException.class, () -> bytes.put("k", "x".repeat(300)));
        assertNull(bytes.get("k"), "a refused put leaves nothing behind");
    }

    @Test
    void anOverwriteAppendsANewRecordAndLeavesTheOldOneAsDeadSpace() {
        CacheStores.BufferStore store = CacheStores.BufferStore.offHeap(4_096, 8);
        KEEP.add(store);
        store.put("key", "12345");
        int used = store.usedBytes();
        store.put("key", "abcde");
        assertEquals(used + 8 + 3 + 5, store.usedBytes(), "record header, key and value appended again");
        assertEquals(1, store.size());
    }

    /* --------------- What a get costs --------------- */

    @Test
    void theHeapStoreReturnsTheStoredObjectAndTheOthersDecodeANewCopyEachTime() throws IOException {
        String value = "v".repeat(CacheStores.VALUE_LENGTH);
        for (CacheStores.CacheStore store : allFour(dir.resolve("c.bin"), new CacheStores.RespServer())) {
            store.put("key:0001", value);
            String first = store.get("key:0001");
            String second = store.get("key:0001");
            assertEquals(value, first);
            if (store instanceof CacheStores.HeapStore) {
                assertSame(value, first, "no copy, no decoding");
                assertEquals(0, store.costs().bytesCopiedIn());
            } else {
                assertNotSame(first, second, store.getClass().getSimpleName() + " decodes on every get");
                assertEquals(2L * CacheStores.VALUE_LENGTH, store.costs().bytesCopiedIn());
            }
            store.close();
        }
    }

    @Test
    void theRemoteStoreSendsRespAndCountsEveryByteBothWays() {
        assertArrayEquals("*2\r\n$3\r\nGET\r\n$8\r\nkey:0001\r\n".getBytes(StandardCharsets.US_ASCII),
                CacheStores.Resp.encode("GET", "key:0001"));

        CacheStores.RemoteStore store = new CacheStores.RemoteStore(new CacheStores.RespServer());
        String value = "x".repeat(100);
        store.put("key:0001", value);
        String set = "*3\r\n$3\r\nSET\r\n$8\r\nkey:0001\r\n$100\r\n" + value + "\r\n";
        assertEquals(set.length() + "+OK\r\n".length(), store.costs().networkBytes());
        assertEquals(1, store.costs().roundTrips());

        long before = store.costs().networkBytes();
        assertEquals(value, store.get("key:0001"));
        String request = "*2\r\n$3\r\nGET\r\n$8\r\nkey:0001\r\n";
        String reply = "$100\r\n" + value + "\r\n";
        assertEquals(27, request.length());
        assertEquals(108, reply.length());
        assertEquals(request.length() + reply.length(), store.costs().networkBytes() - before);
        assertEquals(2, store.costs().roundTrips());

        before = store.costs().networkBytes();
        assertNull(store.get("key:0002"));
        assertEquals(request.length() + "$-1\r\n".length(), store.costs().networkBytes() - before,
                "a miss still costs a round trip");
        assertEquals(3, store.costs().roundTrips());
        assertEquals(1, store.size(), "DBSIZE");
        assertEquals(4, store.costs().roundTrips());
    }

    @Test
    void theRemoteServerHoldsTheEntriesNotTheClient() {
        CacheStores.RespServer server = new CacheStores.RespServer();
        CacheStores.RemoteStore client = new CacheStores.RemoteStore(server);
        client.put("key", "value");
        assertEquals("key".length() + "value".length(), server.storedBytes());
        CacheStores.RemoteStore another = new CacheStores.RemoteStore(server);
        assertEquals("value", another.get("key"), "a second client sees what the first stored");
        assertEquals(0, client.costs().heapBytes());
    }

    /* --------------- Where the bytes live --------------- */

    /**
     * The buffer pools are JVM-wide, so another thread may allocate or free a buffer between two
     * readings. Try a few times; one exact reading is enough, and a store that kept its bytes on the
     * heap never produces one.
     */
    private static void assertGrowsBy(long expected, LongSupplier pool, Runnable allocate, String what) {
        List<Long> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = pool.getAsLong();
            allocate.run();
            long growth = pool.getAsLong() - before;
            if (growth == expected) {
                return;
            }
            seen.add(growth);
        }
        throw new AssertionError(what + ": expected growth " + expected + ", saw " + seen);
    }

    @Test
    void theOffHeapStoreTakesItsCapacityFromTheDirectPool() {
        assertGrowsBy(CacheStores.BUFFER_BYTES, () -> CacheStores.poolCapacity("direct"),
                () -> KEEP.add(CacheStores.BufferStore.offHeap(CacheStores.BUFFER_BYTES, CacheStores.SLOTS)),
                "direct pool");
        assertGrowsBy(0, () -> CacheStores.poolCapacity("mapped"),
                () -> KEEP.add(CacheStores.BufferStore.offHeap(CacheStores.BUFFER_BYTES, CacheStores.SLOTS)),
                "mapped pool");
    }

    @Test
    void theMappedStoreTakesItsCapacityFromTheMappedPool() {
        int[] file = {0};
        Runnable open = () -> {
            try {
                KEEP.add(CacheStores.MappedFileStore.open(dir.resolve("m" + file[0]++ + ".bin"),
                        CacheStores.BUFFER_BYTES, CacheStores.SLOTS));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertGrowsBy(CacheStores.BUFFER_BYTES, () -> CacheStores.poolCapacity("mapped"), open, "mapped pool");
        assertGrowsBy(0, () -> CacheStores.poolCapacity("direct"), open, "direct pool");
    }

    @Test
    void theDemoMeasuresWhatThePageShows() throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < CacheStores.ENTRIES; i++) {
            keys.add(CacheStores.key(i));
        }
        List<String> values = CacheStores.values(CacheStores.ENTRIES, 12);
        int n = CacheStores.ENTRIES;

        CacheStores.Measurement heap = CacheStores.measure("on-heap", CacheStores.HeapStore::new, keys, values);
        KEEP.add(heap.store());
        assertEquals(n, heap.exact());
        assertEquals(5L * n + 1, heap.stored().heapObjects(), "node, two Strings, two byte[] per entry, one table");
        // 32 (node) + 24 + 24 (key String and byte[8]) + 24 + 120 (value String and byte[100]) a entry,
        // and a table of 2,048 references: 1,000 entries outgrow 1,024 slots at 768.
        assertEquals(n * (32L + 24 + 24 + 24 + 120) + (16 + 4 * 2_048), heap.stored().heapBytes());
        assertTrue(heap.stored().heapBytes() > 2L * n * (8 + CacheStores.VALUE_LENGTH),
                "the heap store costs more than twice the bytes of its data");
        assertEquals(0, heap.perGet().bytesCopiedIn());

        CacheStores.Measurement offHeap = CacheStores.measure("off-heap",
                () -> CacheStores.BufferStore.offHeap(CacheStores.BUFFER_BYTES, CacheStores.SLOTS), keys, values);
        KEEP.add(offHeap.store());
        assertEquals(n, offHeap.exact());
        assertEquals(new CacheStores.Costs(0, 0, 0, 0, 0), offHeap.stored());
        assertEquals(CacheStores.VALUE_LENGTH, offHeap.perGet().bytesCopiedIn());
        assertEquals(16 + 4 * CacheStores.SLOTS + n * (8 + 8 + CacheStores.VALUE_LENGTH),
                ((CacheStores.BufferStore) offHeap.store()).usedBytes());

        CacheStores.Measurement remote = CacheStores.measure("remote",
                () -> new CacheStores.RemoteStore(new CacheStores.RespServer()), keys, values);
        assertEquals(n, remote.exact());
        assertEquals(27 + 108, remote.perGet().networkBytes());
        assertEquals(1, remote.perGet().roundTrips());
        assertEquals(CacheStores.VALUE_LENGTH, remote.perGet().bytesCopiedIn());
    }

    @Test
    void theExampleRunsAndChecksItsOwnInvariants() throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        var original = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CacheStores.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("every store returned all 1,000 values exactly"), printed);
        assertTrue(printed.contains("mapped file closed and reopened: 1,000 of 1,000 entries read back"), printed);
    }

    /* --------------- The heap, measured --------------- */

    private static long usedHeapAfterFullGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Heap measurements need a collector whose explicit full collection leaves only live objects
     * counted as used: G1 and Serial, one of which the JVM picks by default. (Parallel keeps a "dense
     * prefix" uncompacted; ZGC and Shenandoah report whole regions.) The model also assumes compressed
     * references and 12-byte headers, which compact object headers (JDK 24+) change.
     */
    private static void assumeTheHeapCanBeMeasuredAndModelled() {
        List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList();
        assumeTrue(collectors.stream().allMatch(n -> n.startsWith("G1 ") || n.equals("Copy")
                || n.equals("MarkSweepCompact")), "collector " + collectors);
        assumeTrue(vmFlag("UseCompressedOops"), "compressed references are off");
        assumeTrue(!vmFlag("UseCompactObjectHeaders"), "compact object headers are on");
    }

    private static boolean vmFlag(String name) {
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        try {
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption(name).getValue());
        } catch (IllegalArgumentException noSuchFlag) {
            return false;
        }
    }

    /** A fresh String for each call, so the store under test is the only thing that keeps it. */
    private static String freshValue(int i) {
        return String.format(java.util.Locale.ROOT, "value-%06d-", i) + "x".repeat(CacheStores.VALUE_LENGTH - 13);
    }

    private static String freshKey(int i) {
        return String.format(java.util.Locale.ROOT, "key:%06d", i);
    }

    private static final int MANY = 100_000;

    /**
     * The heap store's model, checked against the heap the JVM reports after full collections, with
     * 49,000 entries of 8-character keys and values: 128 modelled bytes an entry, plus a 256 KB table
     * (small enough never to be a G1 "humongous" object, which would round up to whole regions).
     * Every object size is a multiple of 8 bytes, so a wrong size for any of an entry's five objects
     * is off by at least 8 bytes an entry, 6% of the total. What the model cannot see is whatever else
     * the JVM allocates and keeps between the two readings; after a warm-up run has loaded the classes
     * involved, that is a few kilobytes. A 3% tolerance (about 200 KB) separates the two.
     */
    @Test
    void theHeapModelMatchesTheMeasuredHeapWithinThreePercent() {
        assumeTheHeapCanBeMeasuredAndModelled();
        fillHeapStore(1_000);                                  // warm-up: load and compile what the fill uses
        int entries = 49_000;
        long before = usedHeapAfterFullGc();
        CacheStores.HeapStore store = fillHeapStore(entries);
        long measured = usedHeapAfterFullGc() - before;
        long modelled = store.costs().heapBytes();
        Reference.reachabilityFence(store);
        assertEquals(entries * 128L + 16 + 4L * 65_536, modelled, "the model's own arithmetic");
        double error = Math.abs(measured - modelled) / (double) modelled;
        assertTrue(error < 0.03, "modelled " + modelled + " bytes, measured " + measured);
    }

    private static CacheStores.HeapStore fillHeapStore(int entries) {
        CacheStores.HeapStore store = new CacheStores.HeapStore();
        for (int i = 0; i < entries; i++) {
            store.put(String.format(java.util.Locale.ROOT, "k%07d", i), String.format(java.util.Locale.ROOT, "v%07d", i));
        }
        return store;
    }

    /**
     * The same entries in an off-heap store leave the heap almost unchanged: growth is bounded by the
     * same unrelated allocation (under 1 MB once the code has run once), less than a tenth of the 11 MB
     * of keys and values stored, while the heap store grows by more than twice the data.
     */
    @Test
    void theOffHeapStoreKeepsEntryBytesOutOfTheHeap() {
        assumeTheHeapCanBeMeasuredAndModelled();
        CacheStores.BufferStore warmUp = CacheStores.BufferStore.offHeap(4_096, 8);
        warmUp.put(freshKey(0), freshValue(0));
        assertEquals(freshValue(0), warmUp.get(freshKey(0)));
        KEEP.add(warmUp);

        long data = (long) MANY * (freshKey(0).length() + CacheStores.VALUE_LENGTH);
        long before = usedHeapAfterFullGc();
        CacheStores.BufferStore store = CacheStores.BufferStore.offHeap(16 << 20, 1 << 18);
        for (int i = 0; i < MANY; i++) {
            store.put(freshKey(i), freshValue(i));
        }
        long heapGrowth = usedHeapAfterFullGc() - before;
        KEEP.add(store);
        assertEquals(MANY, store.size());
        assertEquals(freshValue(MANY - 1), store.get(freshKey(MANY - 1)));
        assertTrue(heapGrowth < data / 10, "heap grew by " + heapGrowth + " bytes for " + data + " bytes of data");
    }

    /* --------------- The mapped file outlives its process --------------- */

    @Test
    void theMappedStoreSurvivesCloseAndReopen() throws IOException {
        Path file = dir.resolve("reopen.bin");
        List<String> values = CacheStores.values(CacheStores.ENTRIES, 3);
        try (CacheStores.MappedFileStore store = CacheStores.MappedFileStore.open(file, CacheStores.BUFFER_BYTES,
                CacheStores.SLOTS)) {
            for (int i = 0; i < CacheStores.ENTRIES; i++) {
                store.put(CacheStores.key(i), values.get(i));
            }
            KEEP.add(store);
        }
        String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(onDisk.contains(values.get(500)), "the value's bytes are in the file itself");
        try (CacheStores.MappedFileStore reopened = CacheStores.MappedFileStore.open(file, CacheStores.BUFFER_BYTES,
                CacheStores.SLOTS)) {
            KEEP.add(reopened);
            assertEquals(CacheStores.ENTRIES, reopened.size());
            for (int i = 0; i < CacheStores.ENTRIES; i++) {
                assertEquals(values.get(i), reopened.get(CacheStores.key(i)));
            }
        }
    }

    /** Run in a separate JVM by the next test: opens the file and prints how many entries it finds. */
    static final class ReopenInAnotherProcess {
        public static void main(String[] args) throws IOException {
            try (CacheStores.MappedFileStore store = CacheStores.MappedFileStore.open(Path.of(args[0]),
                    CacheStores.BUFFER_BYTES, CacheStores.SLOTS)) {
                System.out.print(store.size() + " " + store.get(args[1]));
            }
        }
    }

    @Test
    void anotherProcessReadsWhatThisOneWroteToTheMappedFile() throws Exception {
        Path file = dir.resolve("shared.bin");
        try (CacheStores.MappedFileStore store = CacheStores.MappedFileStore.open(file, CacheStores.BUFFER_BYTES,
                CacheStores.SLOTS)) {
            KEEP.add(store);
            store.put("key:0001", "written by the test JVM");
            store.put("key:0002", "second");
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ReopenInAnotherProcess.class.getName(),
                file.toString(), "key:0001").redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertEquals("2 written by the test JVM", output);
    }

    @Test
    void aFileWithoutATableIsRefused() throws IOException {
        Path file = dir.resolve("foreign.bin");
        Files.write(file, new byte[CacheStores.BUFFER_BYTES]);
        assertThrows(IllegalArgumentException.class,
                () -> CacheStores.MappedFileStore.open(file, CacheStores.BUFFER_BYTES, CacheStores.SLOTS));
    }
}
