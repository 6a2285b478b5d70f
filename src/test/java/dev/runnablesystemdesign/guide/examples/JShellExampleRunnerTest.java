package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.TestGuide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JShellExampleRunnerTest {

    private final JShellExampleRunner runner = new JShellExampleRunner(Duration.ofSeconds(20));

    @TempDir
    Path folder;

    private Example example(String name, String source) {
        return Example.of(TestGuide.in(folder).write("snippets/src/main/java/t/" + name + ".java", source));
    }

    @Test
    void capturesWhatMainPrintsAfterOpeningTheFileSnippetBySnippet() {
        ExampleRun run = runner.run(example("Greeter", """
                import java.util.List;
                import java.util.stream.Collectors;

                /** Declarations JShell must take one at a time: imports, a class with nested types. */
                public class Greeter {
                    record Name(String value) { }

                    static String greet(List<Name> names) {
                        return names.stream().map(n -> "hello " + n.value()).collect(Collectors.joining(", "));
                    }

                    public static void main(String[] args) {
                        System.out.println(greet(List.of(new Name("ada"), new Name("alan"))));
                        System.out.println(args.length);
                    }
                }
                """));

        assertEquals(java.util.List.of(), run.problems());
        assertEquals("hello ada, hello alan\n0\n", run.output());
    }

    @Test
    void anEndlessLoopFailsByNameWithinItsLimit() {
        JShellExampleRunner quick = new JShellExampleRunner(Duration.ofSeconds(3));
        Example spinning = example("Spins", """
                public class Spins {
                    public static void main(String[] args) {
                        long n = 0;
                        while (n >= 0) { n = (n + 1) % 1000; }
                    }
                }
                """);

        long start = System.nanoTime();
        ExampleRun run = quick.run(spinning);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertFalse(run.succeeded());
        assertEquals(1, run.problems().size(), run.problems()::toString);
        assertTrue(run.problems().get(0).toString().contains("Spins.java"), run.problems()::toString);
        assertTrue(run.problems().get(0).message().contains("did not finish within 3 s"), run.problems()::toString);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "stopping the example took " + took);
    }

    @Test
    void aCompileErrorNamesTheLineOfTheFile() {
        ExampleRun run = runner.run(example("Typo", """
                public class Typo {

                    public static void main(String[] args) {
                        int count = "three";
                        System.out.println(count);
                    }
                }
                """));

        assertFalse(run.succeeded());
        assertEquals(4, run.problems().get(0).line(), run.problems()::toString);
        assertTrue(run.problems().get(0).message().contains("does not compile"), run.problems()::toString);
    }

    @Test
    void anExceptionFromMainIsAProblemNamingItsType() {
        ExampleRun run = runner.run(example("Boom", """
                public class Boom {
                    public static void main(String[] args) {
                        System.out.println("before");
                        throw new IllegalStateException("the ring is empty");
                    }
                }
                """));

        assertFalse(run.succeeded());
        String problem = run.problems().get(0).message();
        assertTrue(problem.contains("IllegalStateException") && problem.contains("the ring is empty"), problem);
        assertEquals(4, run.problems().get(0).line(), "the line of the throw: " + run.problems());
    }

    @Test
    void printingToStandardErrorIsAProblem() {
        ExampleRun run = runner.run(example("Noisy", """
                public class Noisy {
                    public static void main(String[] args) {
                        System.err.println("warning: something");
                    }
                }
                """));

        assertFalse(run.succeeded());
        assertTrue(run.problems().get(0).message().contains("standard error"), run.problems()::toString);
    }

    @Test
    void runsWithTheJvmOptionsTheExampleDeclares() {
        ExampleRun run = runner.run(example("Collector", """
                import java.lang.management.ManagementFactory;

                // java-options: -XX:+UseSerialGC -Dguide.test=declared
                public class Collector {
                    public static void main(String[] args) {
                        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> System.out.println(gc.getName()));
                        System.out.println(System.getProperty("guide.test"));
                    }
                }
                """));

        assertEquals("Copy\nMarkSweepCompact\ndeclared\n", run.output(), run.problems()::toString);
    }

    @Test
    void aRequiredJarIsOnTheClassPathAndAMissingOneIsAProblem() throws Exception {
        Path picocli = java.util.stream.Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).filter(p -> p.getFileName().toString().equals("picocli-4.7.7.jar")).findFirst().orElseThrow();
        Path classPathFile = java.nio.file.Files.writeString(folder.resolve("cp.txt"), "/elsewhere/other-1.0.jar:" + picocli);
        JShellExampleRunner withLibraries = new JShellExampleRunner(Duration.ofSeconds(20),
                ExampleLibraries.fromClassPathFile(classPathFile));
        Example usesPicocli = example("UsesLibrary", """
                // requires: info.picocli:picocli:4.7.7
                public class UsesLibrary {
                    public static void main(String[] args) {
                        System.out.println(picocli.CommandLine.class.getSimpleName());
                    }
                }
                """);

        assertEquals("CommandLine\n", withLibraries.run(usesPicocli).output());
        ExampleRun without = runner.run(usesPicocli);
        assertFalse(without.succeeded());
        assertTrue(without.problems().get(0).message().startsWith("requires info.picocli:picocli:4.7.7, which is not on"),
                without.problems()::toString);
    }

    @Test
    void staticStateDoesNotLeakFromOneRunIntoTheNext() {
        Example counter = example("Counter", """
                public class Counter {
                    static int runs;
                    public static void main(String[] args) {
                        runs++;
                        System.out.println("runs=" + runs);
                    }
                }
                """);

        assertEquals("runs=1\n", runner.run(counter).output());
        assertEquals("runs=1\n", runner.run(counter).output());
    }

    @Test
    void anExampleRunsOnTopOfTheExamplesItUsesAndTheirLinesAreTheirOwn() {
        Example units = example("Units", """
                public class Units {
                    static long kilo(long n) {
                        if (n < 0) throw new IllegalArgumentException("negative");
                        return n * 1000;
                    }
                    public static void main(String[] args) { }
                }
                """);
        Example fine = example("Fine", """
                public class Fine {
                    public static void main(String[] args) { System.out.println(Units.kilo(3)); }
                }
                """).using(java.util.List.of(units));
        Example broken = example("Broken", """
                public class Broken {
                    public static void main(String[] args) { System.out.println(Units.kilo(-1)); }
                }
                """).using(java.util.List.of(units));
        Example alone = example("Alone", """
                public class Alone {
                    public static void main(String[] args) { System.out.println(Units.kilo(3)); }
                }
                """);

        assertEquals("3000\n", runner.run(fine).output());
        ExampleRun failed = runner.run(broken);
        assertEquals(units.source(), failed.problems().get(0).file(), failed.problems()::toString);
        assertEquals(3, failed.problems().get(0).line(), failed.problems()::toString);
        ExampleRun unresolved = runner.run(alone);
        assertTrue(unresolved.problems().get(0).message().contains("// uses:"), unresolved.problems()::toString);
    }
}
