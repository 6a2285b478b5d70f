package dev.runnablesystemdesign.guide.project;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown once a stage has collected every problem it found, so the maintainer sees them all at once. */
public final class BuildFailedException extends RuntimeException {

    private final List<Problem> problems;

    public BuildFailedException(String stage, List<Problem> problems) {
        super(describe(stage, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a failed build names at least one problem");
        }
        this.problems = problems.stream().sorted(Problem.BY_LOCATION).toList();
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(String stage, List<Problem> problems) {
        return stage + " failed with " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().sorted(Problem.BY_LOCATION).map(p -> "  " + p)
                        .collect(Collectors.joining("\n"));
    }
}
