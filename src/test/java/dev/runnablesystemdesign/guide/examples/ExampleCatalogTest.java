package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.project.Problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExampleCatalogTest {

    @TempDir
    Path folder;

    @Test
    void findsWellFormedExamplesInEveryFolder() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/First.java", "public class First { public static void main(String[] args) {} }")
                .example("b/c/Second.java", "class Second { static void main(String[] args) {} }");

        ExampleCatalog catalog = ExampleCatalog.scan(guide.layout().examples());

        assertEquals(List.of("First", "Second"), catalog.examples().stream().map(Example::name).toList());
        assertEquals(List.of(), catalog.problems());
    }

    @Test
    void aPackageDeclarationIsReportedAtItsLine() {
        TestGuide guide = TestGuide.in(folder).example("a/Packaged.java",
                "// A comment first\n\npackage com.example;\npublic class Packaged { public static void main(String[] a) {} }");

        List<Problem> problems = ExampleCatalog.scan(guide.layout().examples()).problems();

        assertEquals(1, problems.size(), problems::toString);
        assertEquals(3, problems.get(0).line());
        assertTrue(problems.get(0).message().contains("no package declaration"));
    }

    @Test
    void anExampleWithoutMainOrWithAWrongClassNameIsReported() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/NoMain.java", "public class NoMain { }")
                .example("a/Misnamed.java", "public class Other { public static void main(String[] a) {} }");

        List<String> messages = ExampleCatalog.scan(guide.layout().examples()).problems().stream()
                .map(Problem::toString).toList();

        assertTrue(messages.stream().anyMatch(m -> m.contains("NoMain.java") && m.contains("no main method")), messages::toString);
        assertTrue(messages.stream().anyMatch(m -> m.contains("Misnamed.java") && m.contains("no class Misnamed")), messages::toString);
    }

    @Test
    void twoExamplesWithTheSameNameInDifferentFoldersClash() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Same.java", "public class Same { public static void main(String[] a) {} }")
                .example("b/Same.java", "public class Same { public static void main(String[] a) {} }");

        List<Problem> problems = ExampleCatalog.scan(guide.layout().examples()).problems();

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().contains("already used"), problems::toString);
    }

    @Test
    void anExampleThatUsesAnotherIsLinkedToItWhereverItLives() {
        TestGuide guide = TestGuide.in(folder)
                .example("lib/Units.java", "public class Units { public static void main(String[] a) {} }")
                .example("app/Estimate.java", "// uses: Units\npublic class Estimate { public static void main(String[] a) {} }");

        ExampleCatalog catalog = ExampleCatalog.scan(guide.layout().examples());

        assertEquals(List.of(), catalog.problems());
        Example estimate = catalog.examples().stream().filter(e -> e.name().equals("Estimate")).findFirst().orElseThrow();
        assertEquals(List.of("Units"), estimate.uses().stream().map(Example::name).toList());
        assertEquals(List.of("Units.java", "Estimate.java"), estimate.fileNames());
    }

    @Test
    void usingAnUnknownExampleOrAChainOfThemIsReportedAtTheUsesLine() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Base.java", "// uses: Nowhere\npublic class Base { public static void main(String[] a) {} }")
                .example("a/Top.java", "// a comment\n// uses: Base\npublic class Top { public static void main(String[] a) {} }");

        List<Problem> problems = ExampleCatalog.scan(guide.layout().examples()).problems();

        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().contains("uses Nowhere, which is not an example"), problems::toString);
        assertEquals(1, problems.get(0).line());
        assertTrue(problems.get(1).message().contains("itself uses [Nowhere]"), problems::toString);
        assertEquals(2, problems.get(1).line());
    }
}
