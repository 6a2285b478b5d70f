package dev.runnablesystemdesign.guide.build;

import dev.runnablesystemdesign.guide.examples.Example;
import dev.runnablesystemdesign.guide.examples.ExampleProgress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalProgressTest {

    @Test
    void rewritesOneLineWithTheCountAndClearsItWhenTheStageIsDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        progress.finished(Example.of(Path.of("a/Ring.java")), 1, 2);
        String first = bytes.toString(StandardCharsets.UTF_8);
        progress.finished(Example.of(Path.of("a/Bloom.java")), 2, 2);
        String all = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(first.startsWith("\r  examples 1/2  Ring"), first);
        assertFalse(first.contains("\n"), "one line, rewritten in place");
        assertTrue(all.contains("\r  examples 2/2  Bloom"), all);
        assertTrue(all.endsWith("\r"), "the finished line is cleared for the stage's summary");
    }

    @Test
    void quietBuildsShowNoProgress() {
        assertEquals(ExampleProgress.NONE, TerminalProgress.forConsole(true));
    }
}
