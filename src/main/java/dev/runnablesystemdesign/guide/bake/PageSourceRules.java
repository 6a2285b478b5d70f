package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rules a page's source must follow that Asciidoctor itself does not enforce: every diagram and
 * image says what it shows in words (Asciidoctor would silently fall back to the file name as its
 * text alternative), and code comes from an example by tag, never by line numbers.
 */
final class PageSourceRules {

    private static final Pattern PICTURE = Pattern.compile("^(plantuml|image)::.*\\[.*\\]\\s*$");
    private static final Pattern ALT = Pattern.compile("\\balt=\"?[^\",\\]]");
    private static final Pattern LINE_RANGE_INCLUDE = Pattern.compile("^include::.*\\blines=");

    private PageSourceRules() {
    }

    static List<Problem> check(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + page, e);
        }
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (PICTURE.matcher(line).matches() && !ALT.matcher(line).find()) {
                problems.add(Problem.at(page, i + 1, "diagram or image without a text alternative: add alt=\"what it shows\""));
            }
            if (LINE_RANGE_INCLUDE.matcher(line).find()) {
                problems.add(Problem.at(page, i + 1, "include code by tag (tag=...), not by line numbers, which drift as the example changes"));
            }
        }
        return problems;
    }
}
