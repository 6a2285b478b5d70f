package dev.runnablesystemdesign.guide.bake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** File-system chores of baking: emptying the output folder and keeping non-site files out of it. */
public final class SiteFolders {

    /** Editor back-ups, swap and lock files, and caches that JBake would copy from content/ as assets. */
    private static final Pattern NOT_FOR_READERS = Pattern.compile(
            "^\\..*|.*~$|^#.*#$|.*\\.(swp|swo|swx|bak|orig|rej|tmp|cache)$");

    private SiteFolders() {
    }

    public static boolean isForReaders(String fileName) {
        return !NOT_FOR_READERS.matcher(fileName).matches();
    }

    /**
     * The regular files under {@code folder} whose path relative to it ({@code a/b.html}, always
     * with forward slashes) matches {@code which}, in path order; none if the folder does not exist.
     */
    public static List<String> files(Path folder, Predicate<String> which) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .map(f -> folder.relativize(f).toString().replace('\\', '/'))
                    .filter(which)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    public static void recreate(Path folder) {
        deleteRecursively(folder);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }

    /** Removes files and folders no reader should be served (see {@link #isForReaders}). */
    static void pruneNonSiteFiles(Path site) {
        try (var paths = Files.walk(site)) {
            paths.filter(p -> !p.equals(site))
                    .filter(p -> !isForReaders(p.getFileName().toString()))
                    .toList()
                    .forEach(SiteFolders::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + site, e);
        }
    }

    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
