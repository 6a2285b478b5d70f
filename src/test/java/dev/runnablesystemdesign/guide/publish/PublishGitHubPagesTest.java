package dev.runnablesystemdesign.guide.publish;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing to a real bare repository on disk, read back through JGit as GitHub would. */
class PublishGitHubPagesTest {

    @TempDir
    Path folder;

    private Path remote;
    private SiteFolder site;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void remoteWithASourceBranch() throws Exception {
        remote = folder.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(remote.toFile()).call().close();
        Path work = folder.resolve("work");
        try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve("README.md"), "the guide's sources\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Sources").setAuthor("a", "a@example.org").setCommitter("a", "a@example.org")
                    .setSign(false).call();
            git.push().setRemote(remote.toString()).setRefSpecs(new RefSpec("main:main")).call();
        }
        site = new SiteFolder(folder.resolve("site"))
                .write("index.html", "<p>home</p>")
                .write("caching/lru.html", "<p>lru</p>")
                .write("css/guide.3f2a9c1b7d.css", "body{}");
    }

    private Plan publish(String cname, boolean dryRun) {
        Target target = new GitHubPagesTarget(remote.toString(), "gh-pages", cname, "abc1234", null);
        return new Publisher(target, new PrintStream(log, true, StandardCharsets.UTF_8)).publish(site.root(), dryRun);
    }

    @Test
    void theFirstPublishCommitsTheSiteWithNojekyllAndCnameAndLeavesMainAlone() throws Exception {
        ObjectId main = tip("main");

        publish("guide.example.org", false);

        Map<String, String> published = files("gh-pages");
        assertEquals(List.of(".nojekyll", "CNAME", "caching/lru.html", "css/guide.3f2a9c1b7d.css", "index.html"),
                List.copyOf(published.keySet()));
        assertEquals("guide.example.org\n", published.get("CNAME"));
        assertEquals("<p>lru</p>", published.get("caching/lru.html"));
        assertTrue(commits("gh-pages").get(0).getFullMessage().contains("abc1234"), "names the source commit");
        assertEquals(main, tip("main"), "main is untouched");
    }

    @Test
    void anUnchangedSiteIsNotPublishedAgain() throws Exception {
        publish(null, false);
        ObjectId first = tip("gh-pages");

        Plan again = publish(null, false);

        assertTrue(again.isEmpty(), again::toString);
        assertEquals(first, tip("gh-pages"));
        assertEquals(1, commits("gh-pages").size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Nothing changed"));
    }

    @Test
    void aRemovedPageIsRemovedFromTheBranchInOneNewCommit() throws Exception {
        publish(null, false);
        site.delete("caching/lru.html").write("index.html", "<p>home, new</p>");

        Plan plan = publish(null, false);

        assertEquals(List.of("index.html"), plan.changed());
        assertEquals(List.of("caching/lru.html"), plan.deleted());
        Map<String, String> published = files("gh-pages");
        assertFalse(published.containsKey("caching/lru.html"));
        assertEquals("<p>home, new</p>", published.get("index.html"));
        List<RevCommit> history = commits("gh-pages");
        assertEquals(2, history.size());
        assertNull(files("gh-pages").get("CNAME"));
    }

    @Test
    void aDryRunListsTheChangesAndPushesNothing() throws Exception {
        publish(null, false);
        ObjectId before = tip("gh-pages");
        site.delete("caching/lru.html").write("index.html", "<p>changed</p>").write("new.html", "<p>new</p>");

        publish(null, true);

        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("add new.html\n"), printed);
        assertTrue(printed.contains("change index.html\n"), printed);
        assertTrue(printed.contains("delete caching/lru.html\n"), printed);
        assertEquals(before, tip("gh-pages"));
    }

    @Test
    void aDryRunAgainstANewBranchCreatesNoBranch() throws Exception {
        publish(null, true);

        assertNull(tip("gh-pages"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("add index.html"));
    }

    @Test
    void aMissingRemoteIsAOneLineError() {
        remote = folder.resolve("nowhere.git");

        PublishException failure = assertThrows(PublishException.class, () -> publish(null, false));

        assertTrue(failure.getMessage().startsWith("cannot read git remote " + remote), failure::getMessage);
        assertFalse(failure.getMessage().contains("\n"), failure::getMessage);
    }

    private ObjectId tip(String branch) throws Exception {
        try (Repository repository = Git.open(remote.toFile()).getRepository()) {
            return repository.resolve(Constants.R_HEADS + branch);
        }
    }

    private List<RevCommit> commits(String branch) throws Exception {
        try (Git git = Git.open(remote.toFile())) {
            List<RevCommit> history = new java.util.ArrayList<>();
            git.log().add(git.getRepository().resolve(Constants.R_HEADS + branch)).call().forEach(history::add);
            return history;
        }
    }

    private Map<String, String> files(String branch) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Repository repository = Git.open(remote.toFile()).getRepository();
             RevWalk commits = new RevWalk(repository); TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commits.parseCommit(repository.resolve(Constants.R_HEADS + branch)).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(),
                        new String(repository.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
