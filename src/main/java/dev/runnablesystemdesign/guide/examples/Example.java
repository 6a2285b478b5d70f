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
 * @param javaOptions JVM options every run of this example uses, in order
 */
public record Example(String name, Path source, List<String> javaOptions) {

    private static final Pattern JAVA_OPTIONS = Pattern.compile("(?m)^\\s*// java-options:(.*)$");

    public Example {
        javaOptions = List.copyOf(javaOptions);
    }

    /** The example in {@code source}, with the JVM options the file declares, if it exists yet. */
    public static Example of(Path source) {
        String fileName = source.getFileName().toString();
        if (!fileName.endsWith(".java")) {
            throw new IllegalArgumentException("not a Java source file: " + source);
        }
        String name = fileName.substring(0, fileName.length() - ".java".length());
        return new Example(name, source, Files.isRegularFile(source) ? javaOptions(read(source)) : List.of());
    }

    static List<String> javaOptions(String text) {
        Matcher declared = JAVA_OPTIONS.matcher(text);
        if (!declared.find()) {
            return List.of();
        }
        return Arrays.stream(declared.group(1).strip().split("\\s+")).filter(o -> !o.isEmpty()).toList();
    }

    /** The statement a reader types into JShell after opening the file. */
    public String mainInvocation() {
        return name + ".main(new String[0]);";
    }

    public String fileName() {
        return name + ".java";
    }

    /** {@code java [options] Name.java}: what a reader types to run the file. */
    public String javaCommand() {
        return String.join(" ", concat("java", javaOptions, fileName()));
    }

    /** The one-line JShell equivalent: JVM options go to JShell's remote VM with {@code -R}. */
    public String jshellCommand() {
        List<String> remote = javaOptions.stream().map(o -> "-R" + o).toList();
        return "echo '" + mainInvocation() + "' | " + String.join(" ", concat("jshell", remote, "-q " + fileName() + " -"));
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
