package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import org.jbake.app.configuration.JBakeConfiguration;
import org.jbake.model.DocumentModel;
import org.jbake.parser.MarkupEngine;
import org.jbake.parser.ParserContext;

import java.io.File;
import java.nio.file.Path;

/**
 * JBake's hook for AsciiDoc pages, replacing its own AsciidoctorEngine. JBake converts the page
 * body as a string, which loses the file name from every Asciidoctor message; this engine converts
 * the file itself, through {@link AsciidocConverter}, so every problem names its file and line.
 */
final class GuideMarkupEngine extends MarkupEngine {

    private final AsciidocConverter converter;
    private final PageAttributes attributes;

    GuideMarkupEngine(AsciidocConverter converter, PageAttributes attributes) {
        this.converter = converter;
        this.attributes = attributes;
    }

    @Override
    public DocumentModel parse(JBakeConfiguration config, File file) {
        if (file.length() == 0) {
            converter.report(Problem.in(file.toPath(), "page is empty"));
            return null;
        }
        return super.parse(config, file);
    }

    @Override
    public void processHeader(ParserContext context) {
        Path page = context.getFile().toPath();
        PageSourceRules.check(page).forEach(converter::report);
        PageHeader header = converter.readHeader(page, attributes.forPage(page));
        DocumentModel model = context.getDocumentModel();
        model.setTitle(header.title());
        model.put("description", header.description());
        model.put("order", header.order());
        model.put("section", attributes.section(page));
        if (!header.tags().isEmpty()) {
            context.setTags(header.tags().toArray(String[]::new));
        }
    }

    @Override
    public void processBody(ParserContext context) {
        Path page = context.getFile().toPath();
        PageBody.into(context, converter.convertBody(page, attributes.forPage(page)));
    }
}
