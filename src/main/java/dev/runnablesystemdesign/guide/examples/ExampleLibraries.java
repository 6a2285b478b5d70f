package dev.runnablesystemdesign.guide.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The jars examples may require, found by file name on the snippets module's class path. Maven
 * writes that class path to a file when it builds the module, so the builder uses exactly the
 * jars the examples were compiled and tested against.
 */
public final class ExampleLibraries {

    private final Map<String, Path> jarsByFileName;

    private ExampleLibraries(Map<String, Path> jarsByFileName) {
        this.jarsByFileName = Map.copyOf(jarsByFileName);
    }

    public static ExampleLibraries none() {
        return new ExampleLibraries(Map.of());
    }

    /** Reads a class path written by {@code dependency:build-classpath}; a missing file means no jars. */
    public static ExampleLibraries fromClassPathFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        try {
            Map<String, Path> jars = new LinkedHashMap<>();
            Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).strip().split(java.io.File.pathSeparator))
                    .filter(entry -> entry.endsWith(".jar"))
                    .map(Path::of)
                    .forEach(jar -> jars.putIfAbsent(jar.getFileName().toString(), jar));
            return new ExampleLibraries(jars);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the examples' class path from " + file, e);
        }
    }

    /** The jar of {@code group:artifact:version}, if the snippets module depends on it. */
    public Optional<Path> jar(String coordinates) {
        return Optional.ofNullable(jarsByFileName.get(Example.jarName(coordinates)));
    }
}
