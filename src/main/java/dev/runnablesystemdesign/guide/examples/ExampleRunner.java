package dev.runnablesystemdesign.guide.examples;

/** Runs one example to the end of its {@code main}, or to its time limit, and says what it printed. */
public interface ExampleRunner {

    ExampleRun run(Example example);
}
