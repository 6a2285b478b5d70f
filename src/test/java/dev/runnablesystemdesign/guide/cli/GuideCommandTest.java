package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.TestGuide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuideCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = GuideCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsEverySubcommandWithWhatItDoes() {
        assertEquals(0, execute("--help"));

        String help = out.toString();
        assertTrue(help.contains("build") && help.contains("serve") && help.contains("run"), help);
        assertTrue(help.contains("java -jar target/guide.jar serve"), help);
    }

    @Test
    void eachSubcommandHasItsOwnHelp() {
        assertEquals(0, execute("serve", "--help"));

        assertTrue(out.toString().contains("--port"), out::toString);
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        assertEquals(CommandLine.ExitCode.USAGE, execute("bake-it"));

        assertTrue(err.toString().contains("bake-it"), err::toString);
    }

    @Test
    void runningAnUnknownExampleNamesTheKnownOnes(@TempDir Path folder) {
        TestGuide guide = TestGuide.in(folder)
                .example("a/Known.java", "public class Known { public static void main(String[] a) { } }");

        assertEquals(ProblemReporter.BUILD_FAILED, execute("run", "--root", guide.root().toString(), "Unknown"));

        assertTrue(err.toString().contains("no example named Unknown; known: [Known]"), err::toString);
    }
}
