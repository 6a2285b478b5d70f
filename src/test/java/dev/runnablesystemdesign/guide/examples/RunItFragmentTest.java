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
}
