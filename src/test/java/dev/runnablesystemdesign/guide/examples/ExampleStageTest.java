package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.project.BuildFailedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExampleStageTest {

    @TempDir
    Path folder;

    private ExampleStage stage(TestGuide guide) {
        return new ExampleStage(guide.layout(), new JShellExampleRunner(Duration.ofSeconds(20)));
    }

    @Test
    void writesEachExamplesOutputAndItsRunItFragmentAndRemovesStaleOnes() throws Exception {
        TestGuide guide = TestGuide.in(folder).example("a/Sum.java", """
                public class Sum {
                    public static void main(String[] args) {
                        System.out.println("1 + 2 = " + (1 + 2));
                    }
                }
                """);
        Path runs = guide.layout().exampleRuns();
        Files.createDirectories(runs);
        Files.writeString(runs.resolve("Deleted.txt"), "left over from an example that no longer exists");

        stage(guide).runAll(ExampleProgress.NONE);

        assertEquals("1 + 2 = 3\n", Files.readString(runs.resolve("Sum.txt")));
        String fragment = Files.readString(runs.resolve("Sum.adoc"));
        assertTrue(fragment.contains("java Sum.java"), fragment);
        assertTrue(fragment.contains("echo 'Sum.main(new String[0]);' | jshell -q Sum.java -"), fragment);
        assertTrue(fragment.contains("1 + 2 = 3"), fragment);
        assertFalse(Files.exists(runs.resolve("Deleted.txt")));
    }

    @Test
    void outputThatChangesFromOneRunToTheNextFailsTheBuild() {
        TestGuide guide = TestGuide.in(folder).example("a/Clocky.java", """
                public class Clocky {
                    public static void main(String[] args) {
                        System.out.println("same every time");
                        System.out.println(System.nanoTime());
                    }
                }
                """);

        BuildFailedException failure = assertThrows(BuildFailedException.class, () -> stage(guide).runAll(ExampleProgress.NONE));

        assertEquals(1, failure.problems().size(), failure::getMessage);
        assertTrue(failure.problems().get(0).toString().startsWith("snippets/src/main/java/a/Clocky.java"), failure::getMessage);
        assertTrue(failure.getMessage().contains("output line 2 was"), failure::getMessage);
    }

    @Test
    void aSecondBuildInTheSameProcessRerunsOnlyTheExamplesWhoseSourceChanged() throws Exception {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Stays.java", "public class Stays { public static void main(String[] a) { System.out.println(\"same\"); } }")
                .example("a/Edited.java", "public class Edited { public static void main(String[] a) { System.out.println(\"v1\"); } }");
        CountingRunner runner = new CountingRunner();
        ExampleStage stage = new ExampleStage(guide.layout(), runner);
        stage.runAll(ExampleProgress.NONE);
        guide.example("a/Edited.java", "public class Edited { public static void main(String[] a) { System.out.println(\"v2\"); } }");
        runner.runs.clear();

        stage.runAll(ExampleProgress.NONE);

        assertEquals(java.util.List.of("Edited", "Edited"), runner.runs, "two runs of the edited example, none of the other");
        assertEquals("v2\n", Files.readString(guide.layout().exampleRuns().resolve("Edited.txt")));
        assertEquals("same\n", Files.readString(guide.layout().exampleRuns().resolve("Stays.txt")));
    }

    /** Records which examples were really run. */
    private static final class CountingRunner implements ExampleRunner {
        final java.util.List<String> runs = new java.util.ArrayList<>();
        private final JShellExampleRunner jshell = new JShellExampleRunner(Duration.ofSeconds(20));

        @Override
        public ExampleRun run(Example example) {
            runs.add(example.name());
            return jshell.run(example);
        }
    }

    @Test
    void everyFailingExampleIsReportedNotJustTheFirst() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/One.java", "public class One { public static void main(String[] a) { throw new RuntimeException(\"one\"); } }")
                .example("b/Two.java", "public class Two { public static void main(String[] a) { int x = \"two\"; } }");

        BuildFailedException failure = assertThrows(BuildFailedException.class, () -> stage(guide).runAll(ExampleProgress.NONE));

        assertEquals(2, failure.problems().size(), failure::getMessage);
    }

    @Test
    void aLaterBuildRunsAgainOnlyTheExamplesWhoseSourceChanged() throws Exception {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Same.java", "public class Same { public static void main(String[] a) { System.out.println(\"same\"); } }")
                .example("a/Edited.java", "public class Edited { public static void main(String[] a) { System.out.println(\"v1\"); } }");
        new ExampleStage(guide.layout(), new CountingRunner()).runAll(ExampleProgress.NONE);

        guide.example("a/Edited.java", "public class Edited { public static void main(String[] a) { System.out.println(\"v2\"); } }");
        CountingRunner later = new CountingRunner();
        new ExampleStage(guide.layout(), later).runAll(ExampleProgress.NONE);

        assertEquals(java.util.List.of("Edited", "Edited"), later.runs, "a new process re-runs (twice) only the edited example");
        assertEquals("v2\n", Files.readString(guide.layout().exampleRuns().resolve("Edited.txt")));
        assertEquals("same\n", Files.readString(guide.layout().exampleRuns().resolve("Same.txt")));
    }
}
