package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.publish.PublishException;

import picocli.CommandLine;

/** Prints a failed build's problems, one per line as {@code file:line: message}, and exits non-zero. */
final class ProblemReporter implements CommandLine.IExecutionExceptionHandler {

    static final int BUILD_FAILED = 1;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, CommandLine.ParseResult parsed) {
        if (exception instanceof BuildFailedException failed) {
            commandLine.getErr().println(failed.getMessage());
            return BUILD_FAILED;
        }
        if (exception instanceof PublishException failed) {
            commandLine.getErr().println("publish: " + failed.getMessage());
            return BUILD_FAILED;
        }
        commandLine.getErr().println("guide: " + exception);
        exception.printStackTrace(commandLine.getErr());
        return CommandLine.ExitCode.SOFTWARE;
    }
}
