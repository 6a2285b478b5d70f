import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every example the two ways its page tells a reader to: {@code java Name.java} and
 * {@code jshell}, each on a copy of the lone file in an empty folder (with the files it declares
 * in {@code // uses:} beside it), with only the jars it declares in {@code // requires:} on the
 * class path, with the JVM options it declares. Both must succeed, print nothing on standard
 * error, and print the same output.
 */
class ReaderCommandsTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "src/main/java"));
    private static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");
    private static final long LIMIT_SECONDS = 120;

    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> everyExampleRunsWithJavaAndInJShell() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no examples found in " + EXAMPLES.toAbsolutePath());
        return sources.stream().map(source -> DynamicTest.dynamicTest(source.getFileName().toString(),
                () -> runsTheSameBothWays(source)));
    }

    private void runsTheSameBothWays(Path source) throws Exception {
        String file = source.getFileName().toString();
        String name = file.substring(0, file.length() - ".java".length());
        Path folder = Files.createDirectories(scratch.resolve(name));
        List<String> files = new ArrayList<>();
        for (String used : declared(USES, Files.readString(source), "[,\\s]+")) {
            Files.copy(exampleNamed(used), folder.resolve(used + ".java"));
            files.add(used + ".java");
        }
        Files.copy(source, folder.resolve(file));
        files.add(file);
        // jshell keeps its settings in java.util.prefs; an existing, private root keeps it quiet and isolated.
        Path prefs = scratch.resolve(name + "-prefs");
        Files.createDirectories(prefs.resolve(".java/.userPrefs"));

        String text = Files.readString(source);
        List<String> options = javaOptions(text);
        String classPath = downloadRequiredJarsInto(folder, declared(REQUIRES, text, "[,\\s]+"));

        List<String> javaCommand = new ArrayList<>(List.of(JDK_BIN.resolve("java").toString()));
        if (!classPath.isEmpty()) {
            javaCommand.addAll(List.of("-cp", classPath));
        }
        javaCommand.addAll(options);
        javaCommand.add(file);
        List<String> jshellCommand = new ArrayList<>(List.of(JDK_BIN.resolve("jshell").toString(),
                "-J-Djava.util.prefs.userRoot=" + prefs));
        if (!classPath.isEmpty()) {
            jshellCommand.addAll(List.of("--class-path", classPath));
        }
        options.forEach(option -> jshellCommand.add("-R" + option));
        jshellCommand.add("-q");
        jshellCommand.addAll(files);
        jshellCommand.add("-");

        Result java = run(folder, null, javaCommand);
        Result jshell = run(folder, name + ".main(new String[0]);\n", jshellCommand);

        assertEquals(0, java.exit, () -> "java " + file + " failed:\n" + java.err);
        assertEquals("", java.err, () -> "java " + file + " printed to standard error");
        assertEquals(0, jshell.exit, () -> "jshell " + file + " failed:\n" + jshell.err);
        assertEquals("", jshell.err, () -> "jshell " + file + " printed to standard error");
        assertTrue(!java.out.isBlank(), () -> "java " + file + " printed nothing; an example shows its result");
        assertEquals(java.out, jshell.out, () -> file + " printed different output under java and jshell");
    }

    private record Result(int exit, String out, String err) {
    }

    private static final Pattern JAVA_OPTIONS = Pattern.compile("(?m)^\\s*// java-options:(.*)$");
    private static final Pattern REQUIRES = Pattern.compile("(?m)^\\s*// requires:(.*)$");
    private static final Pattern USES = Pattern.compile("(?m)^\\s*// uses:(.*)$");

    private static Path exampleNamed(String name) throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(f -> f.getFileName().toString().equals(name + ".java")).findFirst()
                    .orElseThrow(() -> new AssertionError("'// uses: " + name + "' names no example"));
        }
    }

    /** The JVM options an example declares in its {@code // java-options:} line. */
    static List<String> javaOptions(String source) {
        return declared(JAVA_OPTIONS, source, "\\s+");
    }

    /** What an example declares in a {@code // java-options:} or {@code // requires:} line, as its page tells readers. */
    static List<String> declared(Pattern line, String source, String separator) {
        Matcher declared = line.matcher(source);
        return declared.find()
                ? Stream.of(declared.group(1).strip().split(separator)).filter(o -> !o.isEmpty()).toList()
                : List.of();
    }

    /**
     * Puts each required jar beside the example, as a reader who downloaded it would, taking it from
     * this test's own class path, and returns the class path a reader would type (file names only).
     */
    private static String downloadRequiredJarsInto(Path folder, List<String> coordinates) throws IOException {
        List<String> names = new ArrayList<>();
        for (String coordinate : coordinates) {
            String[] parts = coordinate.split(":");
            String jarName = parts[1] + "-" + parts[2] + ".jar";
            Path jar = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .map(Path::of)
                    .filter(entry -> entry.getFileName().toString().equals(jarName))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(coordinate + " is required but not a dependency of snippets/pom.xml"));
            Files.copy(jar, folder.resolve(jarName));
            names.add(jarName);
        }
        return String.join(java.io.File.pathSeparator, names);
    }

    private static Result run(Path folder, String input, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(folder.toFile()).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + LIMIT_SECONDS + " s");
        }
        return new Result(process.exitValue(), out.get().replace("\r\n", "\n"), err.get());
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
