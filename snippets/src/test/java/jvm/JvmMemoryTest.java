import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds {@link JvmMemory} to what the page claims. Surefire's own JVM runs with whatever collector
 * the machine's ergonomics picked, so every claim about a collector is checked in a child JVM started
 * with explicit options, the way a reader runs the file: {@code java <options> JvmMemory.java}. The
 * example prints only names and yes/no facts decided with megabyte margins, so the assertions are
 * exact and nothing depends on timing.
 */
class JvmMemoryTest {

    private static final Path SOURCE =
            Path.of(System.getProperty("examples.dir", "src/main/java"), "jvm", "JvmMemory.java");
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final long LIMIT_SECONDS = 120;

    @TempDir
    static Path folder;

    private static List<String> declaredOptions;
    private static Output declared;

    @BeforeAll
    static void runWithTheDeclaredOptions() throws Exception {
        Files.copy(SOURCE, folder.resolve("JvmMemory.java"));
        declaredOptions = ReaderCommandsTest.javaOptions(Files.readString(SOURCE));
        declared = run(declaredOptions);
    }

    /* --------------- The declared collector and its pools --------------- */

    @Test
    void theExampleFixesTheCollectorAndTheHeapSize() {
        assertEquals(List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx128m"), declaredOptions);
        assertEquals("Collector: Serial (young: Copy, full: MarkSweepCompact)", declared.lines.get(0));
    }

    @Test
    void serialHasEdenTwoSurvivorsAndTenuredAndTheYoungCollectorNeverTouchesTenured() {
        Map<String, String> heap = declared.pools("HEAP");
        assertEquals(Map.of(
                "Eden Space", "Copy, MarkSweepCompact",
                "Survivor Space", "Copy, MarkSweepCompact",
                "Tenured Gen", "MarkSweepCompact"), heap);
    }

    @Test
    void metaspaceAndTheCodeCacheAreNonHeapPoolsThatNoCollectorManages() {
        Map<String, String> nonHeap = declared.pools("NON_HEAP");
        assertEquals("Metaspace Manager", nonHeap.get("Metaspace"));
        assertEquals("Metaspace Manager", nonHeap.get("Compressed Class Space"));
        List<String> codeHeaps = nonHeap.keySet().stream().filter(n -> n.startsWith("CodeHeap '")).toList();
        assertFalse(codeHeaps.isEmpty(), "no code cache pool");
        codeHeaps.forEach(n -> assertEquals("CodeCacheManager", nonHeap.get(n), n));
        assertEquals(2 + codeHeaps.size(), nonHeap.size(), "unexpected non-heap pools: " + nonHeap.keySet());
        assertTrue(declared.line("Buffer pools (outside the heap): ").contains("direct, mapped"));
    }

    /* --------------- What the experiments show --------------- */

    @Test
    void shortLivedGarbageIsReclaimedByYoungCollectionsAlone() {
        assertTrue(declared.claim("young collections ran"));
        assertFalse(declared.claim("a full collection ran"));
        assertTrue(declared.claim("Tenured Gen grew by under 1% of the bytes allocated"));
    }

    @Test
    void aStructureThatStaysReachableMovesFromSurvivorToTenured() {
        assertTrue(declared.claim("after 1 young collection, Survivor Space holds at least 1 MiB"));
        assertTrue(declared.claim("after 1 young collection, Tenured Gen grew by under 1 MiB"));
        assertTrue(declared.claim("after 16 more, Tenured Gen grew by at least 1 MiB"));
        assertTrue(declared.claim("after 16 more, Survivor Space holds under 1 MiB"));
        assertTrue(declared.claim("no full collection was needed"));
    }

    @Test
    void aDirectBufferIsCountedInTheDirectPoolNotInTheHeap() {
        assertTrue(declared.claim("the direct buffer pool grew by 16 MiB"));
        assertTrue(declared.claim("heap usage grew by under 4 MiB"));
    }

    /** The same facts, under other names, with the other two collectors that have survivor spaces. */
    @ParameterizedTest
    @ValueSource(strings = {"Parallel", "G1"})
    void parallelAndG1MoveAKeptStructureTheSameWay(String collector) throws Exception {
        JvmMemory.Generations names = JvmMemory.Generations.KNOWN.stream()
                .filter(g -> g.collector().equals(collector)).findFirst().orElseThrow();
        Output out = run(List.of("-XX:+Use" + collector + "GC", "-Xms128m", "-Xmx128m"));
        assertTrue(out.line("Collector: ").startsWith(collector + " (young: " + names.youngGc()));
        Map<String, String> heap = out.pools("HEAP");
        assertTrue(heap.keySet().containsAll(List.of(names.survivor(), names.old())), heap::toString);
        // Only G1's young collector also manages the old pool: mixed collections evacuate old regions.
        assertEquals(collector.equals("G1"), heap.get(names.old()).contains(names.youngGc()), heap::toString);
        assertTrue(out.claim("young collections ran"));
        assertFalse(out.claim("a full collection ran"));
        assertTrue(out.claim(names.old() + " grew by under 1% of the bytes allocated"));
        assertTrue(out.claim("after 1 young collection, " + names.survivor() + " holds at least 1 MiB"));
        assertTrue(out.claim("after 1 young collection, " + names.old() + " grew by under 1 MiB"));
        assertTrue(out.claim("after 16 more, " + names.old() + " grew by at least 1 MiB"));
        assertTrue(out.claim("after 16 more, " + names.survivor() + " holds under 1 MiB"));
        assertTrue(out.claim("no full collection was needed"));
        assertTrue(out.claim("the direct buffer pool grew by 16 MiB"));
        assertTrue(out.claim("heap usage grew by under 4 MiB"));
    }

    /* --------------- The checks can fail: they see where the data is --------------- */

    @Test
    void withATenuringThresholdOfZeroTheFirstYoungCollectionPromotesEverySurvivor() throws Exception {
        List<String> options = new ArrayList<>(declaredOptions);
        options.add("-XX:MaxTenuringThreshold=0");
        Output out = run(options);
        assertFalse(out.claim("after 1 young collection, Survivor Space holds at least 1 MiB"));
        assertFalse(out.claim("after 1 young collection, Tenured Gen grew by under 1 MiB"));
        assertTrue(out.claim("after 16 more, Tenured Gen grew by at least 1 MiB"));
    }

    @Test
    void aSurvivorSpaceSmallerThanTheSurvivorsOverflowsIntoTenured() throws Exception {
        // SurvivorRatio=64 makes each survivor space 1/66 of the ~42 MiB young generation: about 650 KiB.
        List<String> options = new ArrayList<>(declaredOptions);
        options.add("-XX:SurvivorRatio=64");
        Output out = run(options);
        assertFalse(out.claim("after 1 young collection, Survivor Space holds at least 1 MiB"));
        assertTrue(out.claim("after 16 more, Tenured Gen grew by at least 1 MiB"));
    }

    /* --------------- The other collectors' pools --------------- */

    @Test
    void zgcHasAYoungAndAnOldGenerationButNoSurvivorPool() throws Exception {
        Output out = run(List.of("-XX:+UseZGC", "-Xmx128m"));
        assertEquals(List.of("ZGC Old Generation", "ZGC Young Generation"), List.copyOf(out.pools("HEAP").keySet()));
        assertTrue(out.lines.contains("Experiments skipped: they need Serial, Parallel or G1, whose survivor pool they watch."));
    }

    @Test
    void shenandoahByDefaultHasASingleUngenerationalPool() throws Exception {
        Output out = run(List.of("-XX:+UseShenandoahGC", "-Xmx128m"));
        assertEquals(List.of("Shenandoah"), List.copyOf(out.pools("HEAP").keySet()));
        assertTrue(out.lines.contains("Experiments skipped: they need Serial, Parallel or G1, whose survivor pool they watch."));
    }

    @Test
    void theTableRecognisesACollectorByItsYoungCollectionsName() {
        assertEquals("Serial", JvmMemory.Generations.among(List.of("Copy", "MarkSweepCompact")).orElseThrow().collector());
        assertEquals("Parallel", JvmMemory.Generations.among(List.of("PS MarkSweep", "PS Scavenge")).orElseThrow().collector());
        assertEquals("G1", JvmMemory.Generations.among(
                List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")).orElseThrow().collector());
        assertTrue(JvmMemory.Generations.among(List.of("ZGC Minor Cycles", "ZGC Major Cycles")).isEmpty());
        assertTrue(JvmMemory.Generations.among(List.of("Shenandoah Cycles", "Shenandoah Pauses")).isEmpty());
    }

    /* --------------- Running the file in a child JVM --------------- */

    /** The lines a run printed. */
    record Output(List<String> lines) {

        /** Pool name to its managers, for the pools of one type, from the "Memory pools" table. */
        Map<String, String> pools(String type) {
            Map<String, String> pools = new TreeMap<>();
            for (String line : lines) {
                String[] cells = line.strip().split("\\s{2,}");
                if (line.startsWith("  ") && cells.length == 3 && cells[0].equals(type)) {
                    pools.put(cells[1], cells[2]);
                }
            }
            return pools;
        }

        /** The rest of the one line that starts with the prefix. */
        String line(String prefix) {
            List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            assertEquals(1, found.size(), () -> "lines starting with '" + prefix + "': " + found);
            return found.get(0).substring(prefix.length());
        }

        /** The yes/no value printed after a claim. */
        boolean claim(String claim) {
            String value = line("  " + claim + ":").strip();
            assertTrue(value.equals("true") || value.equals("false"), () -> claim + ": " + value);
            return Boolean.parseBoolean(value);
        }
    }

    private static Output run(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        command.addAll(options);
        command.add("JvmMemory.java");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        process.getOutputStream().close();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + LIMIT_SECONDS + " s");
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + err.join());
        assertEquals("", err.join(), () -> String.join(" ", command) + " printed to standard error");
        return new Output(out.join().replace("\r\n", "\n").lines().toList());
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
