package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.project.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the examples under a folder and checks each has the shape a reader needs: no package
 * declaration (neither {@code java File.java} nor {@code jshell} accepts one from a lone file),
 * a class named after the file, a {@code main} method, and a name no other example uses.
 */
public final class ExampleCatalog {

    private static final Pattern PACKAGE = Pattern.compile("^[ \\t]*package\\s+[\\w.]+\\s*;", Pattern.MULTILINE);
    private static final Pattern MAIN = Pattern.compile("static\\s+void\\s+main\\s*\\(\\s*String");

    private final List<Example> examples;
    private final List<Problem> problems;

    private ExampleCatalog(List<Example> examples, List<Problem> problems) {
        this.examples = List.copyOf(examples);
        this.problems = List.copyOf(problems);
    }

    public static ExampleCatalog scan(Path folder) {
        List<Example> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path source : javaFiles(folder)) {
            Example example = Example.of(source);
            String text = read(source);
            Path previous = byName.putIfAbsent(example.name(), source);
            if (previous != null) {
                problems.add(Problem.in(source, "example name " + example.name()
                        + " is already used by " + previous + "; examples share the default package"));
                continue;
            }
            Matcher pkg = PACKAGE.matcher(text);
            if (pkg.find()) {
                problems.add(Problem.at(source, lineOf(text, pkg.start()),
                        "examples have no package declaration, so a reader can run the file alone"));
            }
            if (!Pattern.compile("\\bclass\\s+" + Pattern.quote(example.name()) + "\\b").matcher(text).find()) {
                problems.add(Problem.in(source, "declares no class " + example.name() + " named after its file"));
            }
            if (!MAIN.matcher(text).find()) {
                problems.add(Problem.in(source, "has no main method, so a reader cannot run it"));
            }
            found.add(example);
        }
        return new ExampleCatalog(found, problems);
    }

    public List<Example> examples() {
        return examples;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static List<Path> javaFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".java"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list examples in " + folder, e);
        }
    }

    static String read(Path source) {
        try {
            return Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
