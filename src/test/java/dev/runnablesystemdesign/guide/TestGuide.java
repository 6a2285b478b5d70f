package dev.runnablesystemdesign.guide;

import dev.runnablesystemdesign.guide.project.GuideLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A small guide written into a temporary folder for one test: the real templates and PlantUML
 * configuration, plus whatever pages, examples and diagrams the test writes.
 */
public final class TestGuide {

    private final Path root;

    private TestGuide(Path root) {
        this.root = root;
    }

    public static TestGuide in(Path folder) {
        TestGuide guide = new TestGuide(folder);
        Path real = realRoot();
        guide.copyTree(real.resolve("templates"), folder.resolve("templates"));
        guide.write("diagrams/plantuml.config", read(real.resolve("diagrams/plantuml.config")));
        guide.mkdirs("content");
        guide.mkdirs("snippets/src/main/java");
        return guide;
    }

    /** The checkout this test runs in (Surefire passes it; an IDE runs from src/). */
    public static Path realRoot() {
        String configured = System.getProperty("guide.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    public GuideLayout layout() {
        return new GuideLayout(root);
    }

    public Path root() {
        return root;
    }

    public Path write(String relative, String text) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public TestGuide page(String relative, String title, String body) {
        write("content/" + relative, "= " + title + "\n:description: A page about " + title.toLowerCase() + ".\n\n" + body);
        return this;
    }

    public TestGuide example(String relative, String source) {
        write("snippets/src/main/java/" + relative, source);
        return this;
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mkdirs(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
