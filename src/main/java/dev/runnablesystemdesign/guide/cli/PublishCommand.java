package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.build.SiteBuild;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.publish.GitHubPagesTarget;
import dev.runnablesystemdesign.guide.publish.PublishException;
import dev.runnablesystemdesign.guide.publish.Publisher;
import dev.runnablesystemdesign.guide.publish.S3Target;
import dev.runnablesystemdesign.guide.project.SourceCommit;
import dev.runnablesystemdesign.guide.publish.Target;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

@Command(name = "publish", mixinStandardHelpOptions = true,
        header = "Build and check the site, then publish it to GitHub Pages or an S3-compatible bucket.",
        description = {
                "Builds the site exactly as `build` does and publishes it only if every check",
                "passed, so a broken site is never published. Only what changed is sent;",
                "--dry-run lists what would be added, changed and deleted, and sends nothing.",
                "",
                "--to github-pages: one commit on --branch of --remote (an HTTPS URL or a",
                "  path) with .nojekyll and an optional CNAME. The push is one ref update, so",
                "  an interrupted publish changes nothing. An HTTPS remote that needs a login",
                "  takes a token from the GITHUB_TOKEN environment variable.",
                "--to s3: assets first, pages next, deletions last, so readers never see a",
                "  half-published site; a rerun sends what is missing. Credentials come from",
                "  the standard AWS environment variables or profile.",
                ""
        })
final class PublishCommand implements Runnable {

    enum Destination { GITHUB_PAGES, S3 }

    @Mixin
    GuideOptions options;

    @Option(names = "--to", required = true, paramLabel = "TARGET", converter = DestinationConverter.class,
            description = "github-pages or s3.")
    Destination to;

    @Option(names = "--remote", paramLabel = "URL", description = "github-pages: the git remote, an HTTPS URL or a path.")
    String remote;

    @Option(names = "--branch", defaultValue = "gh-pages", description = "github-pages: the branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--cname", paramLabel = "HOST", description = "github-pages: the custom domain written to CNAME.")
    String cname;

    @Option(names = "--bucket", description = "s3: the bucket.")
    String bucket;

    @Option(names = "--endpoint", paramLabel = "URL", description = "s3: the endpoint of an S3-compatible store (R2, MinIO...).")
    String endpoint;

    @Option(names = "--region", description = "s3: the region (default: AWS_REGION or the profile's).")
    String region;

    @Option(names = "--prefix", defaultValue = "", description = "s3: the key prefix the site lives under.")
    String prefix;

    @Option(names = "--dry-run", description = "List what would be added, changed and deleted; send nothing.")
    boolean dryRun;

    @Override
    public void run() {
        GuideLayout layout = options.layout();
        try (Target target = target(layout)) {
            Path site;
            try (SiteBuild build = options.siteBuild()) {
                site = build.run();
            }
            new Publisher(target, System.out).publish(site, dryRun);
        }
    }

    /** Checks the arguments before the build, so a typo costs a second, not a whole build. */
    private Target target(GuideLayout layout) {
        return switch (to) {
            case GITHUB_PAGES -> {
                require(remote, "--remote", "github-pages");
                yield new GitHubPagesTarget(localPathOrUrl(remote), branch, cname, SourceCommit.of(layout.root()),
                        GitHubPagesTarget.token(System.getenv("GITHUB_TOKEN")));
            }
            case S3 -> {
                require(bucket, "--bucket", "s3");
                yield new S3Target(S3Target.client(endpoint == null ? null : uri(endpoint), region), bucket, prefix);
            }
        };
    }

    private static void require(String value, String option, String destination) {
        if (value == null || value.isBlank()) {
            throw new PublishException("publish --to " + destination + " needs " + option);
        }
    }

    /** JGit reads a relative path against its own folder; the maintainer means the current one. */
    private static String localPathOrUrl(String remote) {
        if (remote.contains("://") || remote.matches("^[^/]+@[^/]+:.*")) {
            return remote;
        }
        Path path = Paths.get(remote).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new PublishException("git remote " + remote + " does not exist");
        }
        return path.toString();
    }

    private static URI uri(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(endpoint, "needs a scheme and a host, such as http://127.0.0.1:9000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new PublishException("--endpoint " + endpoint + ": " + e.getReason());
        }
    }

    static final class DestinationConverter implements picocli.CommandLine.ITypeConverter<Destination> {
        @Override
        public Destination convert(String value) {
            return switch (value) {
                case "github-pages" -> Destination.GITHUB_PAGES;
                case "s3" -> Destination.S3;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "unknown target '" + value + "': use github-pages or s3");
            };
        }
    }
}
