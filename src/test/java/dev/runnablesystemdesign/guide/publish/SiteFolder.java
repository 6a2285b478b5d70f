package dev.runnablesystemdesign.guide.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A built site written by a test: just the files, as {@code target/site} would hold them. */
final class SiteFolder {

    private final Path root;

    SiteFolder(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    SiteFolder write(String relative, String text) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    SiteFolder delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
