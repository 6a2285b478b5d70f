package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.Problem;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteBakerTest {

    private static AsciidocConverter converter;

    @TempDir
    Path folder;

    @BeforeAll
    static void startAsciidoctor() {
        converter = new AsciidocConverter();
    }

    @AfterAll
    static void stopAsciidoctor() {
        converter.close();
    }

    private static final String EXAMPLE = """
            import java.util.List;

            public class Ring {
                // tag::lookup[]
                static String nodeFor(String key) {
                    return List.of("a", "b").get(Math.floorMod(key.hashCode(), 2));
                }
                // end::lookup[]

                public static void main(String[] args) {
                    System.out.println(nodeFor("k"));
                }
            }
            """;

    private Path bake(TestGuide guide) {
        Path site = guide.layout().staging();
        new SiteBaker(guide.layout(), converter).bake(site);
        return site;
    }

    private List<Problem> problemsBaking(TestGuide guide) {
        return assertThrows(BuildFailedException.class, () -> bake(guide)).problems();
    }

    @Test
    void bakesAPageWithHighlightedIncludedCodeItsOutputAndAnSvgDiagram() throws Exception {
        TestGuide guide = TestGuide.in(folder)
                .example("distributed/Ring.java", EXAMPLE)
                .page("distributed/ring.adoc", "The ring", """
                        :page-order: 2

                        == Code

                        [source,java]
                        ----
                        include::{snippets}/distributed/Ring.java[tag=lookup]
                        ----

                        include::{example-runs}/Ring.adoc[]

                        plantuml::{diagrams}/ring.puml[target=ring,alt="Keys and nodes on a ring"]
                        """);
        guide.write("diagrams/ring.puml", "@startuml\nclass Ring\nclass Node\nRing --> Node : owns\n@enduml\n");
        guide.write("target/generated/examples/Ring.adoc", "[.example-output]\n....\nb\n....\n");

        Path site = bake(guide);

        String page = Files.readString(site.resolve("distributed/ring.html"));
        assertTrue(page.contains("<span class=\"kd\">static</span>"), "code is highlighted at build time");
        assertTrue(page.contains("nodeFor"), page);
        assertFalse(page.contains("public static void main"), "only the tagged region is included");
        assertTrue(page.contains(">b</pre>"), "the captured output is on the page");
        java.util.regex.Matcher diagram = java.util.regex.Pattern.compile("src=\"\\.\\./(diagrams/ring\\.[0-9a-f]{10}\\.svg)\"").matcher(page);
        assertTrue(diagram.find(), "the diagram has a fingerprinted name: " + page);
        assertTrue(page.contains("alt=\"Keys and nodes on a ring\""), page);
        assertTrue(Files.readString(site.resolve(diagram.group(1))).contains("<svg"));
        assertTrue(Files.exists(site.resolve("examples/Ring.java")), "readers can download the example");
        String home = Files.readString(site.resolve("index.html"));
        assertTrue(home.contains("href=\"distributed/ring.html\"") && home.contains("Distributed coordination"), home);
    }

    @Test
    void aMissingIncludeFailsAtThePagesLineAndNothingSaysUnresolvedDirective() {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "Intro.\n\ninclude::{snippets}/a/Gone.java[]\n");

        List<Problem> problems = problemsBaking(guide);

        assertEquals(List.of(Problem.at(Path.of("content/a/p.adoc"), 6,
                "include file not found: " + guide.layout().examples().resolve("a/Gone.java"))), problems);
    }

    @Test
    void aMissingTagFailsAtThePagesLine() {
        TestGuide guide = TestGuide.in(folder).example("a/Ring.java", EXAMPLE)
                .page("a/p.adoc", "P", "[source,java]\n----\ninclude::{snippets}/a/Ring.java[tag=nosuch]\n----\n");

        List<Problem> problems = problemsBaking(guide);

        assertEquals(1, problems.size(), problems::toString);
        assertEquals("content/a/p.adoc:6", problems.get(0).file() + ":" + problems.get(0).line());
        assertTrue(problems.get(0).message().contains("tag 'nosuch' not found"), problems::toString);
    }

    @Test
    void aPlantUmlSyntaxErrorIsReportedAtTheDiagramsLine() {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "plantuml::{diagrams}/bad.puml[target=bad,alt=\"A greeting\"]\n");
        guide.write("diagrams/bad.puml", "@startuml\nAlice -> Bob : hello\nthis line is not PlantUML\n@enduml\n");

        List<Problem> problems = problemsBaking(guide);

        assertEquals(1, problems.size(), problems::toString);
        assertEquals(Path.of("diagrams/bad.puml"), problems.get(0).file());
        assertEquals(3, problems.get(0).line());
        assertTrue(problems.get(0).message().contains("p.adoc:4"), "names the page that uses it: " + problems);
    }

    @Test
    void anyAsciidoctorWarningFailsTheBuildAtItsLine() {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "One.\n\nTwo {no-such-attribute}.\n");

        List<Problem> problems = problemsBaking(guide);

        assertEquals(List.of(Problem.at(Path.of("content/a/p.adoc"), 6,
                "skipping reference to missing attribute: no-such-attribute")), problems);
    }

    @Test
    void diagramsNeedATextAlternativeAndCodeIsIncludedByTagOnly() {
        TestGuide guide = TestGuide.in(folder).example("a/Ring.java", EXAMPLE)
                .page("a/p.adoc", "P", "plantuml::{diagrams}/d.puml[target=d]\n\n[source,java]\n----\n"
                        + "include::{snippets}/a/Ring.java[lines=4..8]\n----\n");
        guide.write("diagrams/d.puml", "@startuml\nA -> B\n@enduml\n");

        List<String> problems = problemsBaking(guide).stream().map(Problem::toString).toList();

        assertEquals(List.of(
                "content/a/p.adoc:4: diagram or image without a text alternative: add alt=\"what it shows\"",
                "content/a/p.adoc:8: include code by tag (tag=...), not by line numbers, which drift as the example changes"),
                problems);
    }

    @Test
    void aPageWithoutTitleOrDescriptionIsRejected() {
        TestGuide guide = TestGuide.in(folder);
        guide.write("content/a/untitled.adoc", "Just text.\n");

        List<String> problems = problemsBaking(guide).stream().map(Problem::toString).toList();

        assertTrue(problems.contains("content/a/untitled.adoc:1: page has no title: start it with a '= Title' line"), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("no ':description:'")), problems::toString);
    }

    @Test
    void aPageInAnotherFormatIsRejectedRatherThanSkipped() {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "Text.\n");
        guide.write("content/a/notes.txt", "Notes\n");

        assertEquals(List.of(Problem.in(Path.of("content/a/notes.txt"),
                "content/ holds AsciiDoc pages (.adoc), Markdown documents (.md) and their images only; write the page in AsciiDoc")),
                problemsBaking(guide));
    }

    @Test
    void aMarkdownDocumentIsAPageTitledByItsHeadingAndDescribedByItsFirstParagraph() throws Exception {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "Text.\n");
        guide.write("content/a/notes.md", "# Release notes\n\nWhat changed, newest first.\n\n## 1.0\n\n- First *release*.\n");

        String page = Files.readString(bake(guide).resolve("a/notes.html"));

        assertTrue(page.contains("<h1>Release notes</h1>"), page);
        assertTrue(page.contains("<meta name=\"description\" content=\"What changed, newest first.\">"), page);
        assertTrue(page.contains("<li>First <em>release</em>.</li>"), page);
        assertEquals(1, page.split("<h1>", -1).length - 1, "the heading is the page title, not repeated in the body");
    }

    @Test
    void aMarkdownDocumentWithoutADescriptionIsReportedAtItsLine() {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "Text.\n");
        guide.write("content/a/notes.md", "# Notes\n\n## Straight to a section\n");

        assertEquals(List.of("content/a/notes.md:2: a Markdown page's first paragraph, after the title, is its one-sentence description"),
                problemsBaking(guide).stream().map(Problem::toString).toList());
    }

    @Test
    void editorAndCacheFilesNeverReachTheSite() throws Exception {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "Text.\n");
        guide.write("content/a/p.adoc~", "backup");
        guide.write("content/a/.p.adoc.swp", "swap");
        guide.write("content/a/#p.adoc#", "autosave");
        guide.write("content/.asciidoctor/diagram/x.cache", "cache");
        guide.write("content/a/notes.bak", "backup");

        Path site = bake(guide);

        try (var files = Files.walk(site)) {
            List<String> names = files.filter(Files::isRegularFile).map(f -> site.relativize(f).toString())
                    .map(name -> name.replaceAll("\\.[0-9a-f]{10}\\.", ".#."))
                    .sorted().toList();
            assertEquals(List.of("404.html", "_headers", "a/p.html", "css/guide.#.css", "favicon.#.svg", "feed.xml", "index.html",
                    "js/guide.#.js", "robots.txt", "search-index.#.json", "sitemap.xml", "tags/index.html"), names);
        }
    }
}
