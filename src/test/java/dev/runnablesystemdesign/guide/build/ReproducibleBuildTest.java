package dev.runnablesystemdesign.guide.build;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.bake.SiteFolders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two clean builds of the same sources produce the same bytes, so a publish sends only what really changed. */
class ReproducibleBuildTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path folder;

    @Test
    void twoCleanBuildsOfTheSameSourcesAreByteForByteIdentical() throws IOException {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Hello.java", "public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }")
                .page("a/p.adoc", "P", """
                        :page-tags: demo, other

                        == Code

                        [source,java]
                        ----
                        include::{snippets}/a/Hello.java[]
                        ----

                        include::{example-runs}/Hello.adoc[]

                        plantuml::{diagrams}/flow.puml[target=flow,format=svg,alt="A calls B"]
                        """)
                .page("a/q.adoc", "Q", "Second page.\n");
        guide.write("diagrams/flow.puml", "@startuml\nA -> B : call\n@enduml\n");

        Map<String, byte[]> first = cleanBuild(guide);
        Map<String, byte[]> second = cleanBuild(guide);

        assertTrue(first.keySet().stream().anyMatch(p -> p.startsWith("diagrams/flow.")), first.keySet()::toString);
        assertEquals(first.keySet(), second.keySet());
        first.forEach((path, bytes) -> assertArrayEquals(bytes, second.get(path), path + " differs between two builds"));
    }

    private Map<String, byte[]> cleanBuild(TestGuide guide) throws IOException {
        SiteFolders.deleteRecursively(folder.resolve("target"));
        try (SiteBuild build = new SiteBuild(guide.layout(), Duration.ofSeconds(20), QUIET)) {
            Path site = build.run();
            Map<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> all = Files.walk(site)) {
                for (Path file : all.filter(Files::isRegularFile).toList()) {
                    files.put(site.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
            return files;
        }
    }
}
