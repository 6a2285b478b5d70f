package dev.runnablesystemdesign.guide.publish;

import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.treewalk.TreeWalk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing over git's smart HTTP protocol, served on loopback by JGit's own servlet in Jetty. */
class PublishGitHubPagesOverHttpTest {

    @TempDir
    Path folder;

    private Repository served;
    private Server server;
    private String url;
    private volatile boolean refuse;

    @BeforeEach
    void serveABareRepository() throws Exception {
        served = Git.init().setBare(true).setInitialBranch("main").setDirectory(folder.resolve("served.git").toFile())
                .call().getRepository();
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver((HttpServletRequest request, String name) -> {
            served.incrementOpen();
            return served;
        });
        // The default factory refuses anonymous pushes; this loopback server has no users.
        servlet.setReceivePackFactory((HttpServletRequest request, Repository repository) -> {
            ReceivePack receive = new ReceivePack(repository);
            receive.setPreReceiveHook((pack, commands) -> {
                if (refuse) {
                    commands.forEach(c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "read-only for maintenance"));
                }
            });
            return receive;
        });
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/git/*");
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        server.setHandler(context);
        server.start();
        url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/git/site.git";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        served.close();
    }

    @Test
    void publishesOverHttpAndSendsNothingTheSecondTime() throws Exception {
        SiteFolder site = new SiteFolder(folder.resolve("site")).write("index.html", "<p>home</p>");
        Publisher publisher = new Publisher(new GitHubPagesTarget(url, "gh-pages", null, "abc1234", null),
                new PrintStream(OutputStream.nullOutputStream()));

        publisher.publish(site.root(), false);
        var first = served.resolve(Constants.R_HEADS + "gh-pages");
        Plan again = publisher.publish(site.root(), false);

        assertNotNull(first);
        assertTrue(again.isEmpty(), again::toString);
        assertEquals(first, served.resolve(Constants.R_HEADS + "gh-pages"));
        try (RevWalk commits = new RevWalk(served);
             TreeWalk index = TreeWalk.forPath(served, "index.html", commits.parseCommit(first).getTree())) {
            assertEquals("<p>home</p>", new String(served.open(index.getObjectId(0)).getBytes(), "UTF-8"));
        }
    }

    @Test
    void aRefusedPushLeavesThePublishedBranchAsItWasAndARerunFinishes() throws Exception {
        SiteFolder site = new SiteFolder(folder.resolve("site")).write("index.html", "<p>home</p>");
        Publisher publisher = new Publisher(new GitHubPagesTarget(url, "gh-pages", null, "abc1234", null),
                new PrintStream(OutputStream.nullOutputStream()));
        publisher.publish(site.root(), false);
        var published = served.resolve(Constants.R_HEADS + "gh-pages");
        site.write("index.html", "<p>home, v2</p>").write("new.html", "<p>new</p>");

        refuse = true;
        PublishException failure = assertThrows(PublishException.class, () -> publisher.publish(site.root(), false));

        assertTrue(failure.getMessage().contains("refused branch gh-pages"), failure::getMessage);
        assertFalse(failure.getMessage().contains("\n"), failure::getMessage);
        assertEquals(published, served.resolve(Constants.R_HEADS + "gh-pages"), "the old site is still the branch");

        refuse = false;
        Plan rerun = publisher.publish(site.root(), false);

        assertEquals(java.util.List.of("new.html"), rerun.added());
        assertEquals(java.util.List.of("index.html"), rerun.changed());
        assertFalse(published.equals(served.resolve(Constants.R_HEADS + "gh-pages")));
    }
}
