package dev.runnablesystemdesign.guide.project;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The guide's commit a site was built from: its id traces a published version to its sources,
 * and its time dates the site the same way in every clone, whenever the clone was made.
 */
public final class SourceCommit {

    private SourceCommit() {
    }

    /** {@code git rev-parse HEAD} of the repository holding {@code root}, or {@code unknown} outside git. */
    public static String of(Path root) {
        return head(root, (repository, head) -> head.name()).orElse("unknown");
    }

    /** When HEAD was committed, if {@code root} is in a git repository with a commit. */
    public static Optional<Instant> time(Path root) {
        return head(root, (repository, head) -> {
            try (RevWalk walk = new RevWalk(repository)) {
                return Instant.ofEpochSecond(walk.parseCommit(head).getCommitTime());
            }
        });
    }

    private interface HeadReader<T> {
        T read(Repository repository, ObjectId head) throws IOException;
    }

    /** What {@code reader} makes of HEAD in the repository holding {@code root}; empty outside git or before a commit. */
    private static <T> Optional<T> head(Path root, HeadReader<T> reader) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.build()) {
            ObjectId head = repository.resolve(Constants.HEAD);
            return head == null ? Optional.empty() : Optional.of(reader.read(repository, head));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
