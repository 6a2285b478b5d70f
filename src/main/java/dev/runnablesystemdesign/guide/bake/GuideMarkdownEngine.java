package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import org.jbake.model.DocumentModel;
import org.jbake.parser.MarkdownEngine;
import org.jbake.parser.ParserContext;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * JBake's flexmark engine for the repository's own Markdown documents (the contributing guide,
 * the changelog), which the site publishes from the very files GitHub shows. Those files carry no
 * JBake header, so the title is the document's first {@code # heading} and the description its
 * first paragraph; the body gets the same treatment as an AsciiDoc page's.
 */
final class GuideMarkdownEngine extends MarkdownEngine {

    private final Consumer<Problem> problems;
    private final PageAttributes attributes;

    GuideMarkdownEngine(Consumer<Problem> problems, PageAttributes attributes) {
        this.problems = problems;
        this.attributes = attributes;
    }

    @Override
    public void processHeader(ParserContext context) {
        Path file = context.getFile().toPath();
        MarkdownHeader header = MarkdownHeader.of(context.getFileLines());
        if (header.title().isEmpty()) {
            problems.accept(Problem.at(file, 1, "a Markdown page starts with its title as a '# Title' line"));
        }
        if (header.description().isEmpty()) {
            problems.accept(Problem.at(file, header.titleLine() + 1,
                    "a Markdown page's first paragraph, after the title, is its one-sentence description"));
        }
        DocumentModel model = context.getDocumentModel();
        model.setTitle(header.title());
        model.put("description", header.description());
        model.put("order", 0);
        model.put("section", attributes.section(file));
    }

    @Override
    public void processBody(ParserContext context) {
        MarkdownHeader header = MarkdownHeader.of(context.getFileLines());
        List<String> lines = context.getFileLines();
        // The template prints the title and the description; the body starts after them.
        context.setBody(String.join("\n", lines.subList(Math.min(header.bodyLine() - 1, lines.size()), lines.size())));
        super.processBody(context);
        PageBody.into(context, context.getBody());
    }
}
