package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.SourceCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When the guide last changed, for the feed's {@code updated} dates: {@code SOURCE_DATE_EPOCH} when
 * set (the reproducible-builds convention), else the time of the commit the guide is checked out
 * at, so every clone of one commit builds the same bytes; outside git, the newest file under
 * content/. Never the time of the build, which would change every build.
 */
final class SiteDate {

    private SiteDate() {
    }

    static Instant of(GuideLayout layout) {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(epoch));
        }
        Optional<Instant> committed = SourceCommit.time(layout.root());
        if (committed.isPresent()) {
            return committed.get();
        }
        try (Stream<Path> files = Files.walk(layout.content())) {
            return files.filter(Files::isRegularFile)
                    .map(SiteDate::modified)
                    .max(Instant::compareTo)
                    .orElse(Instant.EPOCH)
                    .truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.content(), e);
        }
    }

    private static Instant modified(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return time.toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file, e);
        }
    }
}
