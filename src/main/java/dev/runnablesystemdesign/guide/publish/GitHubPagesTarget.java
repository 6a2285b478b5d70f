package dev.runnablesystemdesign.guide.publish;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Publishes the site as one commit on a branch (by default {@code gh-pages}) of a git remote.
 *
 * <p>The commit is built straight from the site's files into a temporary bare repository that
 * holds only that branch, with the branch's tip as parent, and pushed without force. A push is one
 * ref update, so a publish killed half-way leaves the branch as it was, and a branch that moved
 * meanwhile is refused instead of overwritten. No other branch is fetched or pushed.
 */
public final class GitHubPagesTarget implements Target {

    private final String remote;
    private final String branch;
    private final String cname;
    private final String sourceCommit;
    private final CredentialsProvider credentials;

    /**
     * @param cname        the custom domain written to {@code CNAME}, or {@code null} for none
     * @param sourceCommit the guide's commit the site was built from, named in the commit message
     * @param credentials  for an HTTPS remote that needs them, or {@code null}
     */
    public GitHubPagesTarget(String remote, String branch, String cname, String sourceCommit,
                             CredentialsProvider credentials) {
        this.remote = remote;
        this.branch = branch;
        this.cname = cname;
        this.sourceCommit = sourceCommit;
        this.credentials = credentials;
    }

    /** A token as GitHub takes it over HTTPS (GitHub Actions' {@code GITHUB_TOKEN}), or {@code null} for none. */
    public static CredentialsProvider token(String token) {
        return token == null || token.isBlank() ? null : new UsernamePasswordCredentialsProvider("x-access-token", token);
    }

    @Override
    public Plan plan(SiteFiles site) {
        SortedMap<String, byte[]> wanted = contents(site);
        try (BranchCopy copy = fetch()) {
            Map<String, ObjectId> published = copy.publishedBlobs();
            ObjectInserter.Formatter hasher = new ObjectInserter.Formatter();
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            wanted.forEach((path, bytes) -> {
                ObjectId was = published.get(path);
                if (was == null) {
                    added.add(path);
                } else if (!was.equals(hasher.idFor(Constants.OBJ_BLOB, bytes))) {
                    changed.add(path);
                }
            });
            List<String> deleted = published.keySet().stream().filter(path -> !wanted.containsKey(path)).toList();
            return new Plan(added, changed, deleted);
        }
    }

    @Override
    public void apply(SiteFiles site, Plan plan) {
        if (plan.isEmpty()) {
            return;
        }
        try (BranchCopy copy = fetch()) {
            copy.commitAndPush(contents(site), "Publish the guide built from commit " + sourceCommit + "\n");
        }
    }

    /** The site plus what GitHub Pages reads: {@code .nojekyll} (serve as is) and an optional {@code CNAME}. */
    private SortedMap<String, byte[]> contents(SiteFiles site) {
        SortedMap<String, byte[]> contents = new TreeMap<>();
        site.files().keySet().forEach(path -> contents.put(path, site.read(path)));
        contents.put(".nojekyll", new byte[0]);
        if (cname != null) {
            contents.put("CNAME", (cname + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return contents;
    }

    private BranchCopy fetch() {
        return BranchCopy.fetch(remote, branch, credentials);
    }
}
