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
 * a class named after the file, a {@code main} method, a name no other example uses, and, for an
 * example that builds on others ({@code // uses:}), examples that exist and build on nothing themselves.
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
        Map<String, List<String>> uses = new HashMap<>();
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
            uses.put(example.name(), Example.usesDeclared(text));
            found.add(example);
        }
        return new ExampleCatalog(linkUses(found, uses, problems), problems);
    }

    /** Each example with the examples its {@code // uses:} line names; unknown or nested uses are problems. */
    private static List<Example> linkUses(List<Example> examples, Map<String, List<String>> declared, List<Problem> problems) {
        Map<String, Example> byName = new HashMap<>();
        examples.forEach(example -> byName.put(example.name(), example));
        List<Example> linked = new ArrayList<>();
        for (Example example : examples) {
            List<Example> used = new ArrayList<>();
            for (String name : declared.get(example.name())) {
                Example other = byName.get(name);
                if (other == null || other == example) {
                    problems.add(Problem.at(example.source(), usesLine(example),
                            "uses " + name + ", which is " + (other == null ? "not an example" : "this example itself")));
                } else if (!declared.get(name).isEmpty()) {
                    problems.add(Problem.at(example.source(), usesLine(example), "uses " + name
                            + ", which itself uses " + declared.get(name) + "; a reader opens at most one level of files"));
                } else {
                    used.add(other);
                }
            }
            linked.add(example.using(used));
        }
        return linked;
    }

    private static int usesLine(Example example) {
        String text = read(example.source());
        Matcher uses = Pattern.compile("(?m)^\\s*// uses:").matcher(text);
        return uses.find() ? lineOf(text, uses.start()) : 1;
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
