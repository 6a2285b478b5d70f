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

/**
 * The "run" stage: runs every example through JShell twice, fails if any run fails or the two
 * runs print different output, and writes what each printed where pages include it from. An
 * example whose source (and the sources it uses, its JVM options, its jars and the JDK) has not
 * changed since it was verified is not run again: within one process from memory, across builds
 * from the fingerprint written beside its output.
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
     * @param progress told of each example as it finishes, with the count done and the total
     * @return the verified runs, in name order
     * @throws BuildFailedException naming every example that failed, hung or printed unstable output
     */
    public List<ExampleRun> runAll(ExampleProgress progress) {
        ExampleCatalog catalog = ExampleCatalog.scan(layout.examples());
        List<Problem> problems = new ArrayList<>(catalog.problems());
        List<ExampleRun> verified = new ArrayList<>();
        Map<String, ExampleRun> stillVerified = new HashMap<>();
        int done = 0;
        int total = catalog.examples().size();
        for (Example example : catalog.examples()) {
            String source = sourcesOf(example);
            ExampleRun known = verifiedBySource.get(source);
            if (known == null || !known.example().equals(example)) {
                known = verifiedEarlier(example, source);
            }
            if (known != null && known.example().equals(example)) {
                verified.add(known);
                stillVerified.put(source, known);
                progress.finished(example, ++done, total);
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
            progress.finished(example, ++done, total);
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

    /** The run a previous build verified and recorded for exactly this source and set-up, if any. */
    private ExampleRun verifiedEarlier(Example example, String source) {
        Path folder = layout.exampleRuns();
        Path output = folder.resolve(example.name() + ".txt");
        Path recorded = folder.resolve(example.name() + FINGERPRINT_SUFFIX);
        try {
            if (Files.isRegularFile(output) && Files.isRegularFile(recorded)
                    && Files.readString(recorded, StandardCharsets.UTF_8).equals(fingerprint(example, source))) {
                return new ExampleRun(example, Files.readString(output, StandardCharsets.UTF_8), List.of());
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final String FINGERPRINT_SUFFIX = ".verified";

    /** What decides an example's output: its sources, JVM options, jars, and the JDK that runs it. */
    static String fingerprint(Example example, String source) {
        String setUp = String.join("\n", source, example.javaOptions().toString(), example.requires().toString(),
                System.getProperty("java.vm.vendor") + " " + Runtime.version());
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(setUp.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
                Files.writeString(folder.resolve(run.example().name() + FINGERPRINT_SUFFIX),
                        fingerprint(run.example(), sourcesOf(run.example())), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write example output to " + folder, e);
        }
    }
}
