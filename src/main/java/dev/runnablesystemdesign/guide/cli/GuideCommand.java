package dev.runnablesystemdesign.guide.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar target/guide.jar}: the command line wires the stages together and does nothing
 * else. Each subcommand is one class.
 */
@Command(name = "guide",
        mixinStandardHelpOptions = true,
        versionProvider = GuideVersion.class,
        description = {
                "Builds, checks and serves Runnable System Design, the system-design guide whose examples all run.",
                ""
        },
        subcommands = {BuildCommand.class, ServeCommand.class, RunCommand.class, PublishCommand.class, CommandLine.HelpCommand.class},
        footer = {
                "",
                "Examples:",
                "  java -jar target/guide.jar build",
                "  java -jar target/guide.jar serve --port 8820",
                "  java -jar target/guide.jar run ConsistentHashRing",
                "  java -jar target/guide.jar publish --to github-pages --remote https://github.com/me/guide.git",
                "  java -jar target/guide.jar publish --to s3 --bucket guide --endpoint https://ACCOUNT.r2.cloudflarestorage.com",
                "",
                "Problems are printed one per line as file:line: message; the exit code is 1 when the build fails."
        })
public final class GuideCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new GuideCommand());
        commandLine.setExecutionExceptionHandler(new ProblemReporter());
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: build, serve, run or publish");
    }
}
