package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.project.GuideLayout;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Options every subcommand shares. */
final class GuideOptions {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "The guide's root folder, holding content/, templates/, snippets/ and diagrams/ (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--example-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest an example may run before the build fails it as hung (default: ${DEFAULT-VALUE}).")
    long exampleTimeoutSeconds;

    @Option(names = {"-q", "--quiet"}, description = "Print only problems.")
    boolean quiet;

    GuideLayout layout() {
        return GuideLayout.at(root);
    }

    Duration exampleTimeLimit() {
        return Duration.ofSeconds(exampleTimeoutSeconds);
    }
}
