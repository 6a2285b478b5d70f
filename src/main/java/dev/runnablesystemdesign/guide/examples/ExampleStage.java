package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.Problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The "run" stage: runs every example through JShell twice, fails if any run fails or the two
 * runs print different output, and writes what each printed where pages include it from. Within
 * one process an example whose source has not changed since it was verified is not run again.
 */
public final class ExampleStage {

    private final GuideLayout layout;
    private final ExampleRunner runner;
    /** Verified runs by the exact source that produced them: a running serve re-runs only what changed. */
    private final Map<String, ExampleRun> verifiedBySource = new HashMap<>();

    public ExampleStage(GuideLayout layout, ExampleRunner runner) {
        this.layout = layout;
        this.runner = runner;
    }

    /**
     * @param progress told the name of each example as it finishes
     * @return the verified runs, in name order
     * @throws BuildFailedException naming every example that failed, hung or printed unstable output
     */
    public List<ExampleRun> runAll(Consumer<Example> progress) {
        ExampleCatalog catalog = ExampleCatalog.scan(layout.examples());
        List<Problem> problems = new ArrayList<>(catalog.problems());
        List<ExampleRun> verified = new ArrayList<>();
        Map<String, ExampleRun> stillVerified = new HashMap<>();
        for (Example example : catalog.examples()) {
            String source = sourcesOf(example);
            ExampleRun known = verifiedBySource.get(source);
            if (known != null && known.example().equals(example)) {
                verified.add(known);
                stillVerified.put(source, known);
                progress.accept(example);
                continue;
            }
            ExampleRun first = runner.run(example);
            if (!first.succeeded()) {
                problems.addAll(first.problems());
            } else {
                ExampleRun second = runner.run(example);
                problems.addAll(second.problems());
                if (second.succeeded()) {
                    var difference = OutputDifference.between(first.output(), second.output());
                    difference.ifPresent(d -> problems.add(Problem.in(example.source(),
                            "printed different output on two runs, so the page cannot show it: " + d
                                    + " (inject the clock, fix the seed, force the interleaving)")));
                    if (difference.isEmpty()) {
                        stillVerified.put(source, first);
                    }
                }
                verified.add(first);
            }
            progress.accept(example);
        }
        problems.replaceAll(p -> new Problem(p.file() == null ? null : layout.relative(p.file()), p.line(), p.message()));
        verifiedBySource.clear();
        verifiedBySource.putAll(stillVerified);
        if (!problems.isEmpty()) {
            throw new BuildFailedException("Running the examples", problems);
        }
        write(verified);
        return List.copyOf(verified);
    }

    /** Everything a run reads: the used examples' sources, then the example's own. */
    private static String sourcesOf(Example example) {
        StringBuilder all = new StringBuilder();
        example.uses().forEach(used -> all.append(ExampleCatalog.read(used.source())).append('\0'));
        return all.append(ExampleCatalog.read(example.source())).toString();
    }

    private void write(List<ExampleRun> runs) {
        Path folder = layout.exampleRuns();
        try {
            Files.createDirectories(folder);
            try (var stale = Files.list(folder)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
            for (ExampleRun run : runs) {
                Files.writeString(folder.resolve(run.example().name() + ".txt"), run.output(), StandardCharsets.UTF_8);
                Files.writeString(folder.resolve(run.example().name() + ".adoc"),
                        RunItFragment.render(run), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write example output to " + folder, e);
        }
    }
}
