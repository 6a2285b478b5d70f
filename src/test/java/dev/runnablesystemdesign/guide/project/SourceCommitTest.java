package dev.runnablesystemdesign.guide.project;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SourceCommitTest {

    @TempDir
    Path folder;

    @Test
    void theHeadCommitsIdAndTimeFromAnywhereInTheRepository() throws Exception {
        Path work = Files.createDirectories(folder.resolve("work/content"));
        Files.writeString(work.resolve("p.adoc"), "= P\n");
        Instant when = Instant.parse("2026-01-02T03:04:05Z");
        PersonIdent author = new PersonIdent("A", "a@example.org", when, java.time.ZoneOffset.UTC);
        try (Git git = Git.init().setDirectory(folder.resolve("work").toFile()).call()) {
            git.add().addFilepattern(".").call();
            RevCommit commit = git.commit().setMessage("m").setAuthor(author).setCommitter(author).setSign(false).call();

            assertEquals(commit.name(), SourceCommit.of(work));
            assertEquals(Optional.of(when), SourceCommit.time(work));
        }
    }

    @Test
    void outsideGitThereIsNoCommit() throws Exception {
        Path plain = Files.createDirectories(folder.resolve("plain"));

        assertEquals("unknown", SourceCommit.of(plain));
        assertEquals(Optional.empty(), SourceCommit.time(plain));
    }
}
