package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.ast.Document;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one Asciidoctor instance of a builder process, with asciidoctor-diagram loaded and every log
 * record routed to {@link AsciidoctorProblems}. Starting JRuby costs seconds, so a running
 * {@code serve} keeps this instance for every rebuild.
 *
 * <p>Loading asciidoctor-diagram here, with {@code requireLibrary}, is the fix for JBake's
 * {@code asciidoctor.option.requires} not loading it (JBake issue 778: JBake turns the option's
 * list into the string {@code "[asciidoctor-diagram]"}, brackets included, and that require fails
 * silently). The library is required once, by name, on the instance that converts every page, so
 * no page is converted without it and a failure to load it stops the build.
 */
final class AsciidocConverter implements AutoCloseable {

    private final Asciidoctor asciidoctor;
    private final AsciidoctorProblems problems = new AsciidoctorProblems();

    AsciidocConverter() {
        asciidoctor = Asciidoctor.Factory.create();
        asciidoctor.requireLibrary("asciidoctor-diagram");
        asciidoctor.registerLogHandler(problems);
    }

    PageHeader readHeader(Path page, Map<String, Object> attributes) {
        problems.converting(page);
        Document header = asciidoctor.loadFile(page.toFile(), options(page, attributes).parseHeaderOnly(true).build());
        String title = header.getDoctitle();
        if (title == null || title.isBlank()) {
            problems.add(Problem.at(page, 1, "page has no title: start it with a '= Title' line"));
            title = page.getFileName().toString();
        }
        Object description = header.getAttribute("description");
        if (description == null || description.toString().isBlank()) {
            problems.add(Problem.in(page, "page has no ':description:' attribute (one sentence for search results and link previews)"));
        }
        return new PageHeader(title, description == null ? "" : description.toString().strip(),
                order(page, header.getAttribute("page-order")), tags(header.getAttribute("page-tags")));
    }

    String convertBody(Path page, Map<String, Object> attributes) {
        problems.converting(page);
        return asciidoctor.convertFile(page.toFile(), options(page, attributes).build());
    }

    void report(Problem problem) {
        problems.add(problem);
    }

    List<Problem> drainProblems() {
        return problems.drain();
    }

    private static org.asciidoctor.OptionsBuilder options(Path page, Map<String, Object> attributes) {
        return Options.builder()
                .safe(SafeMode.UNSAFE)
                .toFile(false)
                .standalone(false)
                .baseDir(page.getParent().toFile())
                .attributes(Attributes.builder().attributes(attributes).build());
    }

    private int order(Path page, Object value) {
        if (value == null) {
            return Integer.MAX_VALUE;
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            problems.add(Problem.in(page, "':page-order:' must be a whole number, not '" + value + "'"));
            return Integer.MAX_VALUE;
        }
    }

    private static List<String> tags(Object value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.toString().split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    @Override
    public void close() {
        asciidoctor.close();
    }
}
