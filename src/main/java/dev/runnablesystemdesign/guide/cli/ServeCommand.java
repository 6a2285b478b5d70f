package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.build.SiteBuild;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.serve.SiteServer;
import dev.runnablesystemdesign.guide.serve.SourceWatcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Builds the site, serves it on 127.0.0.1 and rebuilds when a page, an example, a diagram or a",
                "template changes; open pages reload by themselves. A broken edit prints its problems here and",
                "in the browser, over the last good version of the page, which stays served."
        })
final class ServeCommand implements Runnable {

    @Mixin
    GuideOptions options;

    @Option(names = {"-p", "--port"}, defaultValue = "8820", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public void run() {
        GuideLayout layout = options.layout();
        PrintStream log = options.quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
        List<Path> sources = List.of(layout.content(), layout.templates(), layout.examples(), layout.diagrams());
        try (SiteBuild build = new SiteBuild(layout, options.exampleTimeLimit(), log);
             SiteServer server = new SiteServer(layout.site(), port);
             SourceWatcher watcher = new SourceWatcher(sources, Duration.ofMillis(100))) {
            rebuild(build, server);
            server.start();
            System.out.println("Serving " + server.address() + " (Ctrl+C to stop); watching " + sources.stream()
                    .map(layout::relative).toList());
            watcher.watch((Set<Path> changed) -> {
                log.println("Changed: " + changed.stream().map(layout::relative).toList());
                rebuild(build, server);
            });
        }
    }

    private static void rebuild(SiteBuild build, SiteServer server) {
        try {
            build.run();
            server.siteRebuilt();
        } catch (BuildFailedException failed) {
            System.err.println(failed.getMessage());
            server.buildFailed(failed.getMessage());
        }
    }
}
