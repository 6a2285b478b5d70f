package dev.runnablesystemdesign.guide.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceWatcherTest {

    @TempDir
    Path root;

    @Test
    void reportsChangesInFoldersCreatedAfterWatchingStartedAndIgnoresEditorFiles() throws Exception {
        Path content = Files.createDirectories(root.resolve("content"));
        BlockingQueue<Set<Path>> bursts = new LinkedBlockingQueue<>();
        SourceWatcher watcher = new SourceWatcher(List.of(content), Duration.ofMillis(100));
        Thread watching = Thread.ofVirtual().start(() -> watcher.watch(bursts::add));

        Path section = Files.createDirectories(content.resolve("caching"));
        Set<Path> first = bursts.poll(20, TimeUnit.SECONDS);
        assertNotNull(first, "creating a folder is a change");

        bursts.clear();
        Path page = section.resolve("lru.adoc");
        Files.writeString(page, "= LRU");
        Set<Path> second = bursts.poll(20, TimeUnit.SECONDS);
        assertNotNull(second, "a page saved in the new folder is a change");
        assertTrue(second.contains(page), second::toString);

        Files.writeString(section.resolve(".lru.adoc.swp"), "swap");
        Files.writeString(section.resolve("lru.adoc~"), "backup");
        Set<Path> editorOnly = bursts.poll(1, TimeUnit.SECONDS);
        assertTrue(editorOnly == null, "editor files alone trigger no rebuild: " + editorOnly);

        watcher.close();
        watching.join(5_000);
        assertFalse(watching.isAlive());
    }
}
