package dev.runnablesystemdesign.guide.check;

import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The AsciiDoc page a baked HTML file came from, used to point a problem found in the HTML back at
 * the line a maintainer has to edit. Templates' own pages (the home page) have no source page and
 * are reported as the HTML file.
 */
final class SourcePage {

    private final Path reported;
    private final List<String> lines;

    private SourcePage(Path reported, List<String> lines) {
        this.reported = reported;
        this.lines = lines;
    }

    static SourcePage of(GuideLayout layout, Path site, Path html) {
        String relative = site.relativize(html).toString();
        Path adoc = layout.content().resolve(relative.replaceFirst("\\.html$", ".adoc"));
        if (!Files.isRegularFile(adoc)) {
            return new SourcePage(layout.relative(html), List.of());
        }
        try {
            return new SourcePage(layout.relative(adoc), Files.readAllLines(adoc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + adoc, e);
        }
    }

    /**
     * A problem at the first source line mentioning one of the {@code clues}, tried in order, or at
     * the file when no line does.
     */
    Problem problemAt(String message, String... clues) {
        for (String clue : clues) {
            for (int i = 0; i < lines.size() && !clue.isEmpty(); i++) {
                if (lines.get(i).contains(clue)) {
                    return Problem.at(reported, i + 1, message);
                }
            }
        }
        return Problem.in(reported, message);
    }
}
