package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.project.GuideLayout;

import dev.runnablesystemdesign.guide.build.SiteBuild;
import dev.runnablesystemdesign.guide.build.TerminalProgress;

import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
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

    /** Where stage summaries go: standard output, or nowhere with --quiet (problems go to standard error). */
    PrintStream log() {
        return quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
    }

    /** A build as these options ask for it, with live progress when a person watches a terminal. */
    SiteBuild siteBuild() {
        return new SiteBuild(layout(), exampleTimeLimit(), log(), TerminalProgress.forConsole(quiet));
    }
}
