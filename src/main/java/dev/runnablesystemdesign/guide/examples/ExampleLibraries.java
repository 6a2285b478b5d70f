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
    private final Path localRepository;

    private ExampleLibraries(Map<String, Path> jarsByFileName, Path localRepository) {
        this.jarsByFileName = Map.copyOf(jarsByFileName);
        this.localRepository = localRepository;
    }

    public static ExampleLibraries none() {
        return new ExampleLibraries(Map.of(), null);
    }

    /**
     * Reads a class path written by {@code dependency:build-classpath}. Without that file (the
     * builder run on a tree Maven has not built yet), jars are looked up in the local Maven
     * repository, where Maven would have put them.
     */
    public static ExampleLibraries fromClassPathFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return inLocalRepository(Path.of(System.getProperty("maven.repo.local",
                    System.getProperty("user.home") + "/.m2/repository")));
        }
        try {
            Map<String, Path> jars = new LinkedHashMap<>();
            Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).strip().split(java.io.File.pathSeparator))
                    .filter(entry -> entry.endsWith(".jar"))
                    .map(Path::of)
                    .forEach(jar -> jars.putIfAbsent(jar.getFileName().toString(), jar));
            return new ExampleLibraries(jars, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the examples' class path from " + file, e);
        }
    }

    static ExampleLibraries inLocalRepository(Path repository) {
        return new ExampleLibraries(Map.of(), repository);
    }

    /** The jar of {@code group:artifact:version}, if the snippets module depends on it. */
    public Optional<Path> jar(String coordinates) {
        Path listed = jarsByFileName.get(Example.jarName(coordinates));
        if (listed != null || localRepository == null) {
            return Optional.ofNullable(listed);
        }
        String[] parts = coordinates.split(":");
        Path inRepository = localRepository.resolve(parts[0].replace('.', '/')).resolve(parts[1]).resolve(parts[2])
                .resolve(Example.jarName(coordinates));
        return Files.isRegularFile(inRepository) ? Optional.of(inRepository) : Optional.empty();
    }
}
