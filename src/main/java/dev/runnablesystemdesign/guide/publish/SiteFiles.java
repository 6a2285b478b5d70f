package dev.runnablesystemdesign.guide.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files of a built site, keyed by their path relative to the site with {@code /} separators. */
public record SiteFiles(Path root, SortedMap<String, Path> files) {

    public SiteFiles {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public static SiteFiles of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new PublishException("no site to publish at " + root);
        }
        SortedMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(Files::isRegularFile)
                    .forEach(file -> files.put(root.relativize(file).toString().replace('\\', '/'), file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the site in " + root, e);
        }
        return new SiteFiles(root, files);
    }

    public byte[] read(String path) {
        try {
            return Files.readAllBytes(files.get(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.get(path), e);
        }
    }

    /** Pages are published after the assets they refer to, so a reader never meets a page whose assets are missing. */
    public static boolean isPage(String path) {
        return path.endsWith(".html");
    }
}
