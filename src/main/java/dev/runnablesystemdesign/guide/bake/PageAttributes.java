package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.GuideLayout;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AsciiDoc attributes every page is converted with. Pages refer to the guide's folders through
 * them ({@code {snippets}}, {@code {example-runs}}, {@code {diagrams}}) and never by a path of
 * their own, so a page reads the same wherever the guide is checked out.
 */
final class PageAttributes {

    static final String DIAGRAMS_OUTPUT = "diagrams";

    private final GuideLayout layout;
    private final Path site;

    PageAttributes(GuideLayout layout, Path site) {
        this.layout = layout;
        this.site = site;
    }

    Map<String, Object> forPage(Path page) {
        String siteRoot = siteRoot(page);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("site-root", siteRoot);
        attributes.put("snippets", layout.examples().toString());
        attributes.put("example-runs", layout.exampleRuns().toString());
        attributes.put("diagrams", layout.diagrams().toString());
        attributes.put("imagesdir", siteRoot + DIAGRAMS_OUTPUT);
        attributes.put("imagesoutdir", site.resolve(DIAGRAMS_OUTPUT).toString());
        attributes.put("diagram-cachedir", layout.diagramCache().toString());
        attributes.put("plantuml-config", layout.diagrams().resolve("plantuml.config").toString());
        attributes.put("plantuml-format", "svg");
        attributes.put("source-highlighter", "rouge");
        attributes.put("rouge-css", "class");
        attributes.put("rouge-style", "github");
        // Tagged regions come from inside a class; show them flush left.
        attributes.put("source-indent", "0");
        attributes.put("attribute-missing", "warn");
        attributes.put("outfilesuffix", ".html");
        attributes.put("idprefix", "");
        attributes.put("idseparator", "-");
        attributes.put("sectanchors", "");
        attributes.put("experimental", "");
        attributes.put("nofooter", "");
        attributes.put("docinfo", "");
        return attributes;
    }

    /** The relative path from the page's HTML back to the site's root: "" at the top, "../" one folder down. */
    String siteRoot(Path page) {
        Path absolute = page.toAbsolutePath().normalize();
        if (!absolute.startsWith(layout.content())) {
            return "";
        }
        return "../".repeat(layout.content().relativize(absolute).getNameCount() - 1);
    }

    /** The section a page belongs to: the first folder under content/, or "" for top-level pages. */
    String section(Path page) {
        Path relative = layout.content().relativize(page.toAbsolutePath().normalize());
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
    }
}
