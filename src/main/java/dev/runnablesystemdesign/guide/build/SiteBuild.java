package dev.runnablesystemdesign.guide.build;

import dev.runnablesystemdesign.guide.bake.SiteBaker;
import dev.runnablesystemdesign.guide.bake.SiteFolders;
import dev.runnablesystemdesign.guide.check.SiteChecker;
import dev.runnablesystemdesign.guide.examples.ExampleLibraries;
import dev.runnablesystemdesign.guide.examples.ExampleProgress;
import dev.runnablesystemdesign.guide.examples.ExampleRun;
import dev.runnablesystemdesign.guide.examples.ExampleStage;
import dev.runnablesystemdesign.guide.examples.JShellExampleRunner;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The whole pipeline as one flat sequence: run the examples, bake the pages, check the result,
 * and only then replace the published folder. A build that fails anywhere leaves the last good
 * site in place, untouched.
 */
public final class SiteBuild implements AutoCloseable {

    private final GuideLayout layout;
    private final ExampleStage examples;
    private final SiteBaker baker;
    private final SiteChecker checker;
    private final PrintStream log;
    private final ExampleProgress progress;

    public SiteBuild(GuideLayout layout, Duration exampleTimeLimit, PrintStream log) {
        this(layout, exampleTimeLimit, log, ExampleProgress.NONE);
    }

    /** @param progress told of each example as it is verified, for a person watching the build */
    public SiteBuild(GuideLayout layout, Duration exampleTimeLimit, PrintStream log, ExampleProgress progress) {
        this.layout = layout;
        this.examples = new ExampleStage(layout, new JShellExampleRunner(exampleTimeLimit,
                ExampleLibraries.fromClassPathFile(layout.exampleClassPath())));
        this.baker = new SiteBaker(layout);
        this.checker = new SiteChecker(layout);
        this.log = log;
        this.progress = progress;
    }

    /**
     * @return the folder now holding the site
     * @throws BuildFailedException with every problem of the first stage that failed
     */
    public Path run() {
        long start = System.nanoTime();
        List<ExampleRun> runs = examples.runAll(progress);
        log.printf("Verified %d examples through JShell (%s)%n", runs.size(), since(start));

        long bakeStart = System.nanoTime();
        Path staging = layout.staging();
        baker.bake(staging);
        log.printf("Baked %d pages and %d diagrams into %s (%s)%n", count(staging, ".html"), count(staging.resolve("diagrams"), ".svg"),
                layout.relative(staging), since(bakeStart));

        checker.check(staging);
        promote(staging, layout.site());
        log.printf("Site ready in %s (%s in all)%n", layout.relative(layout.site()), since(start));
        return layout.site();
    }

    /** Swaps the checked staging folder in for the published one, so readers see one or the other whole. */
    static void promote(Path staging, Path site) {
        Path previous = site.resolveSibling(site.getFileName() + ".previous");
        try {
            SiteFolders.deleteRecursively(previous);
            if (Files.exists(site)) {
                Files.move(site, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, site, StandardCopyOption.ATOMIC_MOVE);
            SiteFolders.deleteRecursively(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new site into " + site, e);
        }
    }

    private static int count(Path folder, String extension) {
        return SiteFolders.files(folder, p -> p.endsWith(extension)).size();
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    @Override
    public void close() {
        baker.close();
    }
}
