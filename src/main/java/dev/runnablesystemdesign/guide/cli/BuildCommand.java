package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.build.SiteBuild;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


@Command(name = "build", mixinStandardHelpOptions = true,
        header = "Run the examples, bake the site into target/site and check it.",
        description = {
                "Runs every example through JShell, bakes content/ with templates/ into target/site and checks it.",
                "Any problem (a failing or hung example, an unresolved include, tag, cross-reference or link, a diagram",
                "that does not parse, any Asciidoctor warning) fails the build with its file and line, and the last",
                "good target/site is kept."
        })
final class BuildCommand implements Runnable {

    @Mixin
    GuideOptions options;

    @Override
    public void run() {
        try (SiteBuild build = options.siteBuild()) {
            build.run();
        }
    }
}
