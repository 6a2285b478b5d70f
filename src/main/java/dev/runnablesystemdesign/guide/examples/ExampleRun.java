package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.project.Problem;

import java.util.List;

/** What one run of an example printed, or why it did not run to the end. */
public record ExampleRun(Example example, String output, List<Problem> problems) {

    public ExampleRun {
        problems = List.copyOf(problems);
    }

    public boolean succeeded() {
        return problems.isEmpty();
    }
}
