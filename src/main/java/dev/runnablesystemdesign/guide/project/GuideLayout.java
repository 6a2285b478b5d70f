package dev.runnablesystemdesign.guide.project;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where everything lives, derived from the guide's root folder. One value passed to every stage,
 * so no stage guesses a path of its own.
 */
public record GuideLayout(Path root) {

    public GuideLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The root given, after checking it holds a guide; fails with one line naming what is missing. */
    public static GuideLayout at(Path root) {
        GuideLayout layout = new GuideLayout(root);
        for (Path required : new Path[] {layout.content(), layout.templates(), layout.examples()}) {
            if (!Files.isDirectory(required)) {
                throw new BuildFailedException("Loading the guide",
                        java.util.List.of(Problem.in(required, "missing folder: is " + layout.root + " the guide's root?")));
            }
        }
        return layout;
    }

    public Path content() {
        return root.resolve("content");
    }

    public Path templates() {
        return root.resolve("templates");
    }

    public Path assets() {
        return templates().resolve("assets");
    }

    public Path siteConfig() {
        return templates().resolve("jbake.properties");
    }

    public Path diagrams() {
        return root.resolve("diagrams");
    }

    /** The examples' sources: one self-contained file per example. */
    public Path examples() {
        return root.resolve("snippets/src/main/java");
    }

    /** The snippets module's class path, written by Maven: where required jars are found. */
    public Path exampleClassPath() {
        return root.resolve("snippets/target/example-classpath.txt");
    }

    public Path target() {
        return root.resolve("target");
    }

    /** The last site that passed every check. */
    public Path site() {
        return target().resolve("site");
    }

    /** Where a build bakes before its result replaces {@link #site()}. */
    public Path staging() {
        return target().resolve("site.staging");
    }

    /** Captured example output and the AsciiDoc fragments pages include. */
    public Path exampleRuns() {
        return target().resolve("generated/examples");
    }

    /** asciidoctor-diagram's cache, kept out of the site. */
    public Path diagramCache() {
        return target().resolve("generated/diagram-cache");
    }

    /** A path as the maintainer would type it: relative to the root when inside it. */
    public Path relative(Path path) {
        if (!path.isAbsolute()) {
            return path;
        }
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute) : absolute;
    }
}
