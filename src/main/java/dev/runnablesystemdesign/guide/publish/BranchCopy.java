package dev.runnablesystemdesign.guide.publish;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A throw-away bare repository holding only the published branch. */
final class BranchCopy implements AutoCloseable {

    private static final PersonIdent PUBLISHER = new PersonIdent("guide publish", "publish@runnablesystemdesign.dev");

    private final String remote;
    private final String branch;
    private final CredentialsProvider credentials;
    private final Path folder;
    private final Git git;
    private ObjectId tip;

    private BranchCopy(String remote, String branch, CredentialsProvider credentials, Path folder) {
        this.remote = remote;
        this.branch = branch;
        this.credentials = credentials;
        this.folder = folder;
        try {
            this.git = Git.init().setBare(true).setDirectory(folder.toFile()).call();
            // JGit's automatic gc runs detached after a fetch and would race the folder's deletion;
            // this repository lives for seconds and needs none.
            StoredConfig config = git.getRepository().getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
        } catch (GitAPIException | IOException e) {
            throw new PublishException("cannot create a temporary repository in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Fetches only {@code branch} of {@code remote}, if it exists, into a new temporary repository. */
    static BranchCopy fetch(String remote, String branch, CredentialsProvider credentials) {
        Path folder;
        try {
            folder = Files.createTempDirectory("guide-publish-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary repository", e);
        }
        BranchCopy copy = new BranchCopy(remote, branch, credentials, folder);
        try {
            copy.fetchBranch();
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    private void fetchBranch() {
        String ref = Constants.R_HEADS + branch;
        try {
            boolean exists = git.lsRemote().setCredentialsProvider(credentials).setRemote(remote).setHeads(true).call().stream()
                    .anyMatch(r -> r.getName().equals(ref));
            if (exists) {
                String tracking = Constants.R_REMOTES + "origin/" + branch;
                git.fetch().setCredentialsProvider(credentials).setRemote(remote).setRefSpecs(new RefSpec("+" + ref + ":" + tracking)).call();
                tip = git.getRepository().resolve(tracking);
            }
        } catch (GitAPIException | IOException e) {
            throw new PublishException("cannot read git remote " + remote + ": " + PublishException.firstLine(e), e);
        }
    }

    Map<String, ObjectId> publishedBlobs() {
        Map<String, ObjectId> blobs = new TreeMap<>();
        if (tip == null) {
            return blobs;
        }
        Repository repository = git.getRepository();
        try (RevWalk commits = new RevWalk(repository); TreeWalk files = new TreeWalk(repository)) {
            files.addTree(commits.parseCommit(tip).getTree());
            files.setRecursive(true);
            while (files.next()) {
                blobs.put(files.getPathString(), files.getObjectId(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read branch " + branch + " of " + remote, e);
        }
        return blobs;
    }

    /** Commits {@code contents} on top of the branch and pushes it; does nothing if the tree is unchanged. */
    void commitAndPush(SortedMap<String, byte[]> contents, String message) {
        Repository repository = git.getRepository();
        String ref = Constants.R_HEADS + branch;
        try (ObjectInserter inserter = repository.newObjectInserter(); RevWalk commits = new RevWalk(repository)) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            for (Map.Entry<String, byte[]> file : contents.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(file.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue()));
                builder.add(entry);
            }
            builder.finish();
            ObjectId tree = index.writeTree(inserter);
            if (tip != null && commits.parseCommit(tip).getTree().equals(tree)) {
                return;
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (tip != null) {
                commit.setParentId(tip);
            }
            commit.setAuthor(PUBLISHER);
            commit.setCommitter(PUBLISHER);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();

            RefUpdate update = repository.updateRef(ref);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            update.update();
            push(ref);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the commit for branch " + branch, e);
        }
    }

    private void push(String ref) {
        try {
            for (PushResult result : git.push().setCredentialsProvider(credentials).setRemote(remote).setRefSpecs(new RefSpec(ref + ":" + ref)).call()) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new PublishException("git remote " + remote + " refused branch " + branch + ": "
                                + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")")
                                + "; the branch is unchanged, run publish again");
                    }
                }
            }
        } catch (GitAPIException e) {
            throw new PublishException("cannot push to git remote " + remote + ": " + PublishException.firstLine(e), e);
        }
    }

    @Override
    public void close() {
        git.close();
        try {
            FileUtils.delete(folder.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
        } catch (IOException e) {
            // A temporary folder left behind harms nothing; the publish itself is what matters.
        }
    }
}
