package dev.runnablesystemdesign.guide.check;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.project.Problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SiteCheckerTest {

    @TempDir
    Path folder;

    private List<String> problems(TestGuide guide) {
        return new SiteChecker(guide.layout()).problems(guide.root().resolve("site")).stream()
                .map(Problem::toString).sorted().toList();
    }

    private static String html(String body) {
        return "<!DOCTYPE html><html><head><title>t</title></head><body>" + body + "</body></html>";
    }

    @Test
    void aSiteWhoseEveryReferenceResolvesPasses() {
        TestGuide guide = TestGuide.in(folder);
        guide.write("site/index.html", html("<a href=\"a/p.html#usage\">p</a> <a href=\"https://example.org/x\">out</a>"
                + "<a href=\"mailto:x@example.org\">mail</a> <a href=\"a/\">folder</a>"));
        guide.write("site/a/index.html", html("<p>a</p>"));
        guide.write("site/a/p.html", html("<h2 id=\"usage\">Usage</h2><a href=\"#usage\">self</a>"
                + "<img src=\"../diagrams/d.svg\" alt=\"d\"><link rel=\"stylesheet\" href=\"../css/s.css\">"));
        guide.write("site/diagrams/d.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        guide.write("site/css/s.css", "body{}");

        assertEquals(List.of(), problems(guide));
    }

    @Test
    void brokenAnchorsPagesAndImagesAreReportedAtTheSourceLineThatMadeThem() {
        TestGuide guide = TestGuide.in(folder);
        guide.write("content/a/p.adoc", "= P\n:description: d\n\nSee <<nowhere>>.\n\nAnd xref:q.adoc#gone[q].\n\nimage::missing.svg[]\n");
        guide.write("site/a/p.html", html("<a href=\"#nowhere\">[nowhere]</a><a href=\"q.html#gone\">q</a>"
                + "<img src=\"missing.svg\" alt=\"m\"><a href=\"r.html\">r</a>"));
        guide.write("site/a/q.html", html("<p>q</p>"));

        assertEquals(List.of(
                "content/a/p.adoc: unresolved link target 'r.html': the site has no a/r.html",
                "content/a/p.adoc:4: unresolved cross-reference '#nowhere': no anchor 'nowhere' in a/p.html",
                "content/a/p.adoc:6: unresolved cross-reference 'q.html#gone': no anchor 'gone' in a/q.html",
                "content/a/p.adoc:8: unresolved image 'missing.svg': the site has no a/missing.svg"), problems(guide));
    }

    @Test
    void aDiagramWithoutTextAlternativeIsReportedAtItsMacro() {
        TestGuide guide = TestGuide.in(folder);
        guide.write("content/a/p.adoc", "= P\n:description: d\n\nplantuml::{diagrams}/flow.puml[target=flow]\n");
        guide.write("site/a/p.html", html("<img src=\"../diagrams/flow.svg\">"));
        guide.write("site/diagrams/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");

        assertEquals(List.of("content/a/p.adoc:4: image '../diagrams/flow.svg' has no text alternative: give it alt=\"...\""),
                problems(guide));
    }

    @Test
    void unresolvedDirectiveTextAndFilesNotForReadersAreReported() {
        TestGuide guide = TestGuide.in(folder);
        guide.write("site/index.html", html("<p>Unresolved directive in p.adoc - include::x[]</p>"));
        guide.write("site/notes.swp", "x");

        assertEquals(List.of(
                "site/index.html: an include or other directive could not be resolved",
                "site/notes.swp: is not a file for readers and must not be published"), problems(guide));
    }
}
