package dev.runnablesystemdesign.guide.check;

import dev.runnablesystemdesign.guide.bake.SiteFolders;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.Problem;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The "check" stage: reads the baked site as a browser would and fails on anything a reader would
 * trip over: a link, cross-reference, image, stylesheet or script that points nowhere, an anchor
 * that does not exist, an image without a text alternative, Asciidoctor's "Unresolved directive"
 * text, or a file that is not for readers. Each problem is reported against the page's AsciiDoc source, at the line that made it
 * where that line can be found.
 */
public final class SiteChecker {

    private static final String UNRESOLVED = "Unresolved directive";

    private final GuideLayout layout;

    public SiteChecker(GuideLayout layout) {
        this.layout = layout;
    }

    /** @throws BuildFailedException naming every problem found */
    public void check(Path site) {
        List<Problem> problems = problems(site);
        if (!problems.isEmpty()) {
            throw new BuildFailedException("Checking the site", problems);
        }
    }

    public List<Problem> problems(Path site) {
        List<Path> files = files(site);
        List<Problem> problems = new ArrayList<>();
        Map<Path, Document> pages = new HashMap<>();
        for (Path file : files) {
            if (!SiteFolders.isForReaders(file.getFileName().toString())) {
                problems.add(Problem.in(layout.relative(file), "is not a file for readers and must not be published"));
            } else if (file.toString().endsWith(".html")) {
                pages.put(file, parse(file));
            }
        }
        Map<Path, Set<String>> anchors = new HashMap<>();
        pages.forEach((file, page) -> anchors.put(file, idsOf(page)));
        pages.forEach((file, page) -> {
            SourcePage source = SourcePage.of(layout, site, file);
            if (page.text().contains(UNRESOLVED) || page.html().contains(UNRESOLVED)) {
                problems.add(source.problemAt("an include or other directive could not be resolved", UNRESOLVED));
            }
            for (Element image : page.select("img")) {
                if (image.attr("alt").isBlank()) {
                    problems.add(source.problemAt("image '" + image.attr("src") + "' has no text alternative: give it alt=\"...\"",
                            image.attr("src"), stem(image.attr("src"))));
                }
            }
            for (Element element : page.select("a[href], img[src], link[href], script[src]")) {
                String attribute = element.hasAttr("href") ? "href" : "src";
                checkReference(site, file, element.attr(attribute), anchors, source).ifPresent(problems::add);
            }
        });
        return problems;
    }

    private java.util.Optional<Problem> checkReference(Path site, Path page, String reference,
                                                       Map<Path, Set<String>> anchors, SourcePage source) {
        URI uri;
        try {
            uri = new URI(reference.replace(" ", "%20"));
        } catch (URISyntaxException e) {
            return java.util.Optional.of(source.problemAt("malformed link '" + reference + "'", reference));
        }
        if (uri.isAbsolute() || reference.startsWith("//")) {
            return java.util.Optional.empty();
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String fragment = uri.getFragment();
        // A root-relative link (the 404 page's, which is served at any depth) starts from the site's root.
        Path target = path.isEmpty() ? page
                : path.startsWith("/") ? site.resolve(path.substring(1)).normalize()
                : page.getParent().resolve(path).normalize();
        if (!target.startsWith(site)) {
            return java.util.Optional.of(source.problemAt("link '" + reference + "' leaves the site", reference));
        }
        if (Files.isDirectory(target)) {
            target = target.resolve("index.html");
        }
        if (!Files.isRegularFile(target)) {
            String what = reference.endsWith(".svg") || reference.endsWith(".png") ? "image" : "link target";
            return java.util.Optional.of(source.problemAt(
                    "unresolved " + what + " '" + reference + "': the site has no " + site.relativize(target),
                    path, stem(path) + ".adoc"));
        }
        if (fragment != null && !fragment.isEmpty() && target.toString().endsWith(".html")) {
            Set<String> ids = anchors.get(target);
            if (ids != null && !ids.contains(fragment)) {
                return java.util.Optional.of(source.problemAt(
                        "unresolved cross-reference '" + reference + "': no anchor '" + fragment + "' in "
                                + site.relativize(target), "#" + fragment, "<<" + fragment, fragment));
            }
        }
        return java.util.Optional.empty();
    }

    private static String stem(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static Set<String> idsOf(Document page) {
        Set<String> ids = new HashSet<>();
        page.select("[id]").forEach(e -> ids.add(e.id()));
        page.select("a[name]").forEach(e -> ids.add(e.attr("name")));
        return ids;
    }

    private static Document parse(Path file) {
        try {
            return Jsoup.parse(file.toFile(), StandardCharsets.UTF_8.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Path> files(Path site) {
        try (Stream<Path> paths = Files.walk(site)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + site, e);
        }
    }
}
