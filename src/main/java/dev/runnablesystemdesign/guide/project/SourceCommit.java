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
        return head(root).map(ObjectId::name).orElse("unknown");
    }

    /** When HEAD was committed, if {@code root} is in a git repository with a commit. */
    public static Optional<Instant> time(Path root) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.build(); RevWalk walk = new RevWalk(repository)) {
            ObjectId head = repository.resolve(Constants.HEAD);
            return head == null ? Optional.empty()
                    : Optional.of(Instant.ofEpochSecond(walk.parseCommit(head).getCommitTime()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<ObjectId> head(Path root) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.build()) {
            return Optional.ofNullable(repository.resolve(Constants.HEAD));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
