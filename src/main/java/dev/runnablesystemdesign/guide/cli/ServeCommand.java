package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.build.SiteBuild;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.serve.LiveSite;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Build, serve on 127.0.0.1, and rebuild and reload the browser on every save.",
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
        try (SiteBuild build = options.siteBuild();
             LiveSite site = new LiveSite(layout, build, port, System.out, System.err)) {
            site.start();
            site.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
