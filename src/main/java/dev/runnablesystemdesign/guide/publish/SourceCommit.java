package dev.runnablesystemdesign.guide.publish;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Path;

/** The guide's commit a site was built from, so each published version can be traced to its sources. */
public final class SourceCommit {

    private SourceCommit() {
    }

    /** {@code git rev-parse HEAD} of the repository holding {@code root}, or {@code unknown} outside git. */
    public static String of(Path root) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(root.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return "unknown";
        }
        try (Repository repository = builder.build()) {
            ObjectId head = repository.resolve(Constants.HEAD);
            return head == null ? "unknown" : head.name();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
