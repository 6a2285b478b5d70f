package dev.runnablesystemdesign.guide.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

/**
 * Watches the guide's source folders, new sub-folders included, and reports each burst of changes
 * once: an editor's save is often several events (write, rename, delete of a backup) in a few ms.
 */
public final class SourceWatcher implements AutoCloseable {

    private final WatchService service;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final Duration quietPeriod;

    public SourceWatcher(List<Path> roots, Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    registerTree(root);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + roots, e);
        }
    }

    /** Blocks, calling {@code onChange} with the changed paths after each burst, until closed. */
    public void watch(Consumer<Set<Path>> onChange) {
        try {
            while (true) {
                Set<Path> changed = new LinkedHashSet<>();
                collect(service.take(), changed);
                WatchKey more;
                while ((more = service.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    collect(more, changed);
                }
                changed.removeIf(path -> !isSource(path));
                if (!changed.isEmpty()) {
                    onChange.accept(changed);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException closed) {
            // close() ends the watch
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        Path folder = folders.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW || folder == null) {
                continue;
            }
            Path path = folder.resolve((Path) event.context());
            changed.add(path);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
                try {
                    registerTree(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot watch new folder " + path, e);
                }
            }
        }
        if (!key.reset()) {
            folders.remove(key);
        }
    }

    /** Editors' temporary and backup files change on every save; they are not sources. */
    static boolean isSource(Path path) {
        String name = path.getFileName().toString();
        return !(name.startsWith(".") || name.startsWith("#") || name.endsWith("~") || name.endsWith(".swp")
                || name.endsWith(".swx") || name.endsWith(".tmp"));
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path folder : tree.filter(Files::isDirectory).toList()) {
                folders.put(folder.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), folder);
            }
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
