package dev.runnablesystemdesign.guide.build;

import dev.runnablesystemdesign.guide.examples.Example;
import dev.runnablesystemdesign.guide.examples.ExampleProgress;

import java.io.Console;
import java.io.PrintStream;

/**
 * Shows how far a long stage has got on one line that rewrites itself, when a person watches a
 * terminal. In CI logs and redirected output it prints nothing: the stages' one-line summaries say
 * enough there, and a rewritten line would be a wall of carriage returns.
 */
public final class TerminalProgress implements ExampleProgress {

    private final PrintStream out;

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** Progress on standard output if it is an interactive terminal and not quieted, else none. */
    public static ExampleProgress forConsole(boolean quiet) {
        return quiet || !isTerminal() || System.getenv("CI") != null ? NONE : new TerminalProgress(System.out);
    }

    @Override
    public void finished(Example example, int done, int total) {
        String line = String.format("  examples %d/%d  %s", done, total, example.name());
        out.print("\r" + line + " ".repeat(Math.max(0, 60 - line.length())) + (done == total ? "\r" + " ".repeat(60) + "\r" : ""));
        out.flush();
    }

    /** JDK 22 and later return a Console even when output is redirected, and say which it is with isTerminal(). */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
