package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.Problem;

import org.jbake.app.Oven;
import org.jbake.app.configuration.JBakeConfiguration;
import org.jbake.app.configuration.JBakeConfigurationFactory;
import org.jbake.parser.Engines;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The "bake" stage, and the only class that talks to JBake: renders content/ with templates/
 * into a folder, then copies each example's source beside the pages for readers to download.
 * JBake keeps going after a page fails; this collects every failure and throws once at the end.
 */
public final class SiteBaker implements AutoCloseable {

    private static final List<String> ASCIIDOC_EXTENSIONS = List.of("adoc", "asciidoc", "ad");
    private static final java.util.regex.Pattern CONTENT_FILE = java.util.regex.Pattern.compile(
            ".*\\.(adoc|md|svg|png|jpe?g|gif|webp)$", java.util.regex.Pattern.CASE_INSENSITIVE);

    static {
        // OrientDB, JBake's content store, logs through java.util.logging; send it to the one logging set-up.
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private final GuideLayout layout;
    private final boolean ownsConverter;
    private AsciidocConverter converter;

    public SiteBaker(GuideLayout layout) {
        this.layout = layout;
        this.ownsConverter = true;
    }

    /** A baker borrowing a converter, so tests pay JRuby's start-up once, not once per guide. */
    SiteBaker(GuideLayout layout, AsciidocConverter shared) {
        this.layout = layout;
        this.converter = shared;
        this.ownsConverter = false;
    }

    /**
     * Bakes the whole guide into {@code site}, which is emptied first.
     *
     * @throws BuildFailedException naming the file and line of every problem found
     */
    public void bake(Path site) {
        List<Problem> unsupported = unsupportedContentFiles();
        if (!unsupported.isEmpty()) {
            throw failure(unsupported);
        }
        SiteFolders.recreate(site);
        AsciidocConverter pages = converter();
        pages.drainProblems();
        PageAttributes attributes = new PageAttributes(layout, site);
        GuideMarkupEngine engine = new GuideMarkupEngine(pages, attributes);
        // JBake looks markup engines up in a static registry; ours replaces its AsciidoctorEngine.
        ASCIIDOC_EXTENSIONS.forEach(extension -> Engines.register(extension, engine));
        Engines.register("md", new GuideMarkdownEngine(pages::report, attributes));

        JBakeConfiguration config = new JBakeConfigurationFactory()
                .createDefaultJbakeConfiguration(layout.root().toFile(), site.toFile(), layout.siteConfig().toFile(), true);
        config.setProperty("site.updated", SiteDate.of(layout).toString());
        Oven oven = new Oven(config);
        List<Problem> problems = new ArrayList<>();
        try {
            oven.bake();
        } catch (RuntimeException e) {
            problems.add(Problem.general("JBake stopped: " + rootMessage(e)));
        }
        pages.drainProblems().forEach(p -> problems.add(
                p.file() == null ? p : ProblemLocator.locate(p, attributes.forPage(p.file()))));
        oven.getErrors().forEach(error -> problems.add(Problem.in(layout.templates(), rootMessage(error))));
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        copyExampleSources(site);
        SearchIndex.write(site);
        writeRobotsFile(site, config.getSiteHost());
        SiteFolders.pruneNonSiteFiles(site);
        AssetFingerprints.apply(site);
        HostHeaders.write(site, String.valueOf(config.get("site.csp")));
    }

    private BuildFailedException failure(List<Problem> problems) {
        return new BuildFailedException("Baking the site", problems.stream()
                .map(p -> p.file() == null ? p : new Problem(layout.relative(p.file()), p.line(), p.message()))
                .distinct()
                .toList());
    }

    /**
     * JBake would quietly skip an HTML page it cannot parse, or copy an unknown file as an asset;
     * content/ holds AsciiDoc pages, the repository's Markdown documents, and the images they show.
     */
    private List<Problem> unsupportedContentFiles() {
        try (var files = Files.walk(layout.content())) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> SiteFolders.isForReaders(file.getFileName().toString()))
                    .filter(file -> !CONTENT_FILE.matcher(file.getFileName().toString()).matches())
                    .map(file -> Problem.in(file,
                            "content/ holds AsciiDoc pages (.adoc), Markdown documents (.md) and their images only; write the page in AsciiDoc"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.content(), e);
        }
    }

    private AsciidocConverter converter() {
        if (converter == null) {
            converter = new AsciidocConverter();
        }
        return converter;
    }

    private void copyExampleSources(Path site) {
        Path downloads = site.resolve("examples");
        try (var sources = Files.walk(layout.examples())) {
            Files.createDirectories(downloads);
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Files.copy(source, downloads.resolve(source.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy example sources into " + downloads, e);
        }
    }

    /** Every crawler may read everything; the sitemap lists the pages. */
    private static void writeRobotsFile(Path site, String host) {
        try {
            Files.writeString(site.resolve("robots.txt"), "User-agent: *\nAllow: /\nSitemap: " + host + "/sitemap.xml\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write robots.txt into " + site, e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        return cause == error ? message : error.getMessage() + ": " + message;
    }

    @Override
    public void close() {
        if (converter != null && ownsConverter) {
            converter.close();
        }
    }
}
