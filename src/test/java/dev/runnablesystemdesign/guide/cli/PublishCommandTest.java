package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.TestGuide;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishCommandTest {

    @TempDir
    Path folder;

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = GuideCommand.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private TestGuide guide() {
        return TestGuide.in(folder.resolve("guide")).page("a/p.adoc", "P", "Text.\n");
    }

    private Path bareRemote() throws Exception {
        Path remote = folder.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).call().close();
        return remote;
    }

    @Test
    void aTargetWithoutItsRequiredOptionIsAOneLineError() {
        String root = guide().root().toString();

        assertEquals(ProblemReporter.BUILD_FAILED, execute("publish", "--root", root, "--to", "s3"));

        assertEquals("publish: publish --to s3 needs --bucket", err.toString().strip());
    }

    @Test
    void anUnknownTargetIsAUsageError() {
        assertEquals(CommandLine.ExitCode.USAGE, execute("publish", "--to", "ftp"));

        assertTrue(err.toString().contains("unknown target 'ftp': use github-pages or s3"), err::toString);
    }

    @Test
    void aRemoteThatDoesNotExistIsAOneLineError() {
        String root = guide().root().toString();

        assertEquals(ProblemReporter.BUILD_FAILED, execute("publish", "--root", root, "--to", "github-pages",
                "--remote", folder.resolve("nowhere.git").toString()));

        assertTrue(err.toString().startsWith("publish: git remote ") && err.toString().strip().endsWith("does not exist"),
                err::toString);
    }

    @Test
    void aSiteThatFailsItsChecksIsNeverPublished() throws Exception {
        Path remote = bareRemote();
        TestGuide guide = guide().page("a/p.adoc", "P", "See xref:gone.adoc[].\n");

        assertEquals(ProblemReporter.BUILD_FAILED, execute("publish", "--quiet", "--root", guide.root().toString(),
                "--to", "github-pages", "--remote", remote.toString()));

        try (Repository repository = Git.open(remote.toFile()).getRepository()) {
            assertNull(repository.resolve(Constants.R_HEADS + "gh-pages"), "nothing was pushed");
        }
    }

    @Test
    void publishBuildsChecksAndPublishesTheSite() throws Exception {
        Path remote = bareRemote();

        assertEquals(0, execute("publish", "--quiet", "--root", guide().root().toString(),
                "--to", "github-pages", "--remote", remote.toString(), "--cname", "guide.example.org"), err::toString);

        try (Repository repository = Git.open(remote.toFile()).getRepository(); RevWalk commits = new RevWalk(repository)) {
            var tree = commits.parseCommit(repository.resolve(Constants.R_HEADS + "gh-pages")).getTree();
            for (String path : new String[] {"a/p.html", ".nojekyll", "CNAME"}) {
                try (TreeWalk file = TreeWalk.forPath(repository, path, tree)) {
                    assertNotNull(file, path);
                }
            }
        }
    }
}
