package dev.runnablesystemdesign.guide.build;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.project.BuildFailedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteBuildTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path folder;

    @Test
    void aFailedRebuildKeepsTheLastGoodSiteWhole() throws Exception {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Hello.java", "public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }")
                .page("a/p.adoc", "P", "include::{example-runs}/Hello.adoc[]\n");
        try (SiteBuild build = new SiteBuild(guide.layout(), Duration.ofSeconds(20), QUIET)) {
            Path site = build.run();
            String good = Files.readString(site.resolve("a/p.html"));
            assertTrue(good.contains(">hi</pre>"), good);

            guide.page("a/p.adoc", "P", "include::{example-runs}/Hello.adoc[]\n\nSee xref:gone.adoc[].\n");
            assertThrows(BuildFailedException.class, build::run);

            assertTrue(Files.readString(site.resolve("a/p.html")).equals(good), "the last good page is still served");
            assertFalse(Files.exists(folder.resolve("target/site.previous")));
        }
    }

    @Test
    void aHangingExampleFailsTheBuildByNameAndNothingIsBaked() {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Waits.java", """
                        public class Waits {
                            public static void main(String[] args) throws Exception {
                                new java.util.concurrent.CountDownLatch(1).await();
                            }
                        }
                        """)
                .page("a/p.adoc", "P", "Text.\n");
        try (SiteBuild build = new SiteBuild(guide.layout(), Duration.ofSeconds(3), QUIET)) {
            BuildFailedException failure = assertThrows(BuildFailedException.class, build::run);

            assertTrue(failure.getMessage().contains("snippets/src/main/java/a/Waits.java: did not finish within 3 s"),
                    failure::getMessage);
            assertFalse(Files.exists(folder.resolve("target/site")));
        }
    }
}
