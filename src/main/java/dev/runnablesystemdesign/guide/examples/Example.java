package dev.runnablesystemdesign.guide.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One example: a self-contained source file in the default package whose public class, named
 * after the file, has a {@code main} method. That shape is what lets a reader run it with
 * {@code java Name.java} or open it in {@code jshell} with nothing else on the class path.
 *
 * <p>An example that shows JVM behaviour may need JVM options, such as a fixed garbage collector.
 * It declares them in one comment line, {@code // java-options: -XX:+UseSerialGC -Xmx64m}, and
 * every run (the build's, the tests', the command printed for the reader) uses them.
 *
 * <p>An example that truly needs a library (a real embedded database, say) declares it by its Maven
 * coordinates, {@code // requires: com.h2database:h2:2.4.240}; every run puts that one jar on the
 * class path, and the reader is told to download it and shown {@code java -cp} and
 * {@code jshell --class-path} commands.
 *
 * <p>An example may build on another example, as every scenario's estimate builds on the capacity
 * library: it names it in {@code // uses: Capacity}. Runs open the used file first; the reader
 * downloads both files into one folder and opens both in {@code jshell}, or runs the example with
 * {@code java}, which finds the other file beside it (JDK 22 and later).
 *
 * @param javaOptions JVM options every run of this example uses, in order
 * @param requires    Maven coordinates ({@code group:artifact:version}) of the jars it needs
 * @param uses        the examples whose source it builds on, in the order they are opened
 */
public record Example(String name, Path source, List<String> javaOptions, List<String> requires, List<Example> uses) {

    private static final Pattern JAVA_OPTIONS = Pattern.compile("(?m)^\\s*// java-options:(.*)$");
    private static final Pattern REQUIRES = Pattern.compile("(?m)^\\s*// requires:(.*)$");
    private static final Pattern USES = Pattern.compile("(?m)^\\s*// uses:(.*)$");

    public Example {
        javaOptions = List.copyOf(javaOptions);
        requires = List.copyOf(requires);
        requires.forEach(Example::jarName);
        uses = List.copyOf(uses);
    }

    public Example(String name, Path source, List<String> javaOptions, List<String> requires) {
        this(name, source, javaOptions, requires, List.of());
    }

    public Example(String name, Path source, List<String> javaOptions) {
        this(name, source, javaOptions, List.of());
    }

    /** This example, building on {@code used}, which the caller found for the names {@link #usesDeclared} gave. */
    public Example using(List<Example> used) {
        return new Example(name, source, javaOptions, requires, used);
    }

    /** The example in {@code source}, with the JVM options the file declares, if it exists yet. */
    public static Example of(Path source) {
        String fileName = source.getFileName().toString();
        if (!fileName.endsWith(".java")) {
            throw new IllegalArgumentException("not a Java source file: " + source);
        }
        String name = fileName.substring(0, fileName.length() - ".java".length());
        if (!Files.isRegularFile(source)) {
            return new Example(name, source, List.of(), List.of());
        }
        String text = read(source);
        return new Example(name, source, javaOptions(text), requires(text));
    }

    static List<String> javaOptions(String text) {
        return declared(JAVA_OPTIONS, text, "\\s+");
    }

    static List<String> requires(String text) {
        return declared(REQUIRES, text, "[,\\s]+");
    }

    /** The names of the examples this source declares, in {@code // uses: A, B}, that it builds on. */
    public static List<String> usesDeclared(String text) {
        return declared(USES, text, "[,\\s]+");
    }

    private static List<String> declared(Pattern line, String text, String separator) {
        Matcher declared = line.matcher(text);
        if (!declared.find()) {
            return List.of();
        }
        return Arrays.stream(declared.group(1).strip().split(separator)).filter(o -> !o.isEmpty()).toList();
    }

    /** {@code artifact-version.jar}, the file name Maven gives the jar of {@code group:artifact:version}. */
    public static String jarName(String coordinates) {
        String[] parts = coordinates.split(":");
        if (parts.length != 3 || Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("'// requires:' takes group:artifact:version, not '" + coordinates + "'");
        }
        return parts[1] + "-" + parts[2] + ".jar";
    }

    /** Where a reader downloads a required jar: its file on Maven Central. */
    public static String downloadUrl(String coordinates) {
        String[] parts = coordinates.split(":");
        return "https://repo1.maven.org/maven2/" + parts[0].replace('.', '/') + "/" + parts[1] + "/" + parts[2]
                + "/" + jarName(coordinates);
    }

    private String classPath() {
        return String.join(":", requires.stream().map(Example::jarName).toList());
    }

    /** The statement a reader types into JShell after opening the file. */
    public String mainInvocation() {
        return name + ".main(new String[0]);";
    }

    public String fileName() {
        return name + ".java";
    }

    /** The files a reader downloads and opens, used examples first, this one last. */
    public List<String> fileNames() {
        List<String> files = new java.util.ArrayList<>(uses.stream().map(Example::fileName).toList());
        files.add(fileName());
        return files;
    }

    /** {@code java [-cp jars] [options] Name.java}: what a reader types to run the file. */
    public String javaCommand() {
        List<String> options = new java.util.ArrayList<>();
        if (!requires.isEmpty()) {
            options.add("-cp " + classPath());
        }
        options.addAll(javaOptions);
        return String.join(" ", concat("java", options, fileName()));
    }

    /** The one-line JShell equivalent: JVM options go to JShell's remote VM with {@code -R}. */
    public String jshellCommand() {
        List<String> options = new java.util.ArrayList<>();
        if (!requires.isEmpty()) {
            options.add("--class-path " + classPath());
        }
        javaOptions.forEach(o -> options.add("-R" + o));
        return "echo '" + mainInvocation() + "' | "
                + String.join(" ", concat("jshell", options, "-q " + String.join(" ", fileNames()) + " -"));
    }

    private static List<String> concat(String first, List<String> middle, String last) {
        List<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(middle);
        all.add(last);
        return all;
    }

    private static String read(Path source) {
        try {
            return Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }
}
