package dev.runnablesystemdesign.guide.serve;

import dev.runnablesystemdesign.guide.build.SiteBuild;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code serve}: builds, serves, then rebuilds on every burst of source changes. A good rebuild
 * reloads open pages; a bad one prints its problems and shows them in the browser, while the
 * last good site stays served.
 */
public final class LiveSite implements AutoCloseable {

    private final GuideLayout layout;
    private final SiteBuild build;
    private final SiteServer server;
    private final SourceWatcher watcher;
    private final PrintStream log;
    private final PrintStream problems;
    private Thread watching;

    public LiveSite(GuideLayout layout, SiteBuild build, int port, PrintStream log, PrintStream problems) {
        this.layout = layout;
        this.build = build;
        this.log = log;
        this.problems = problems;
        this.server = new SiteServer(layout.site(), port);
        this.watcher = new SourceWatcher(sources(layout), Duration.ofMillis(100));
    }

    static List<Path> sources(GuideLayout layout) {
        return List.of(layout.content(), layout.templates(), layout.examples(), layout.diagrams());
    }

    /** Builds once, starts serving and watching; returns at once. */
    public URI start() {
        rebuild();
        server.start();
        watching = Thread.ofPlatform().name("source-watcher").daemon().start(() -> watcher.watch(changed -> {
            log.println("Changed: " + changed.stream().map(layout::relative).sorted().toList());
            rebuild();
        }));
        log.println("Serving " + server.address() + " (Ctrl+C to stop); watching "
                + sources(layout).stream().map(layout::relative).toList());
        return server.address();
    }

    /** Blocks until the watcher stops, which it does only when closed. */
    public void awaitClose() throws InterruptedException {
        watching.join();
    }

    private void rebuild() {
        try {
            build.run();
            server.siteRebuilt();
        } catch (BuildFailedException failed) {
            problems.println(failed.getMessage());
            server.buildFailed(failed.getMessage());
        }
    }

    @Override
    public void close() {
        watcher.close();
        server.close();
    }
}
