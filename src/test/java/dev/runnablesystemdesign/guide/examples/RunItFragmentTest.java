package dev.runnablesystemdesign.guide.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunItFragmentTest {

    @Test
    void outputIsShownVerbatimInABlockWhoseFenceItCannotClose() {
        String block = RunItFragment.literalBlock("....\n.....\n<b>{attr}</b> <1>\n");

        assertEquals("[subs=\"specialcharacters\"]\n......\n....\n.....\n<b>{attr}</b> <1>\n......", block);
    }

    @Test
    void tellsTheReaderBothCommandsAndLinksTheSource() {
        String fragment = RunItFragment.render(new ExampleRun(Example.of(Path.of("x/TokenBucket.java")), "ok\n", List.of()));

        assertTrue(fragment.contains("link:{site-root}examples/TokenBucket.java[TokenBucket.java]"), fragment);
        assertTrue(fragment.contains("\njava TokenBucket.java\n"), fragment);
        assertTrue(fragment.contains("\necho 'TokenBucket.main(new String[0]);' | jshell -q TokenBucket.java -\n"), fragment);
    }

    @Test
    void anExampleThatUsesAnotherTellsTheReaderToDownloadAndOpenBoth() {
        Example library = Example.of(Path.of("x/Capacity.java"));
        Example estimate = Example.of(Path.of("y/ShopEstimate.java")).using(List.of(library));

        String fragment = RunItFragment.render(new ExampleRun(estimate, "ok\n", List.of()));

        assertTrue(fragment.contains("link:{site-root}examples/Capacity.java[Capacity.java] and "
                + "link:{site-root}examples/ShopEstimate.java[ShopEstimate.java] into one folder"), fragment);
        assertTrue(fragment.contains("\njava ShopEstimate.java\n"), fragment);
        assertTrue(fragment.contains("| jshell -q Capacity.java ShopEstimate.java -\n"), fragment);
    }
}
