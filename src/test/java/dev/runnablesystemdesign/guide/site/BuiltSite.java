package dev.runnablesystemdesign.guide.site;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The site `./mvnw verify` built at `package`, as these integration tests find it, and a plain
 * static file server for it on loopback: the same bytes a CDN would serve, with nothing injected.
 */
final class BuiltSite {

    private BuiltSite() {
    }

    static Path folder() {
        // guide.site points the tests at another built site, such as one a running `serve` keeps up to date.
        Path site = Path.of(System.getProperty("guide.site",
                Path.of(System.getProperty("guide.root", ".")).resolve("target/site").toString())).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(site.resolve("index.html")),
                "no built site at " + site + ": these tests run after `package` builds it (./mvnw verify)");
        return site;
    }

    /** Every HTML page of the site, in path order, relative to its root ("index.html", "caching/x.html"). */
    static List<String> pages() {
        Path site = folder();
        try (Stream<Path> files = Files.walk(site)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".html"))
                    .map(f -> site.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fingerprinted file that {@code stem + extension} became, such as css/guide.3f2a9c1b7d.css. */
    static Path asset(String stem, String extension) {
        Path site = folder();
        Path folder = site.resolve(stem).getParent();
        String name = Path.of(stem).getFileName().toString();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> matches = files.filter(f -> f.getFileName().toString().matches(
                    java.util.regex.Pattern.quote(name) + "\\.[0-9a-f]{10}" + java.util.regex.Pattern.quote(extension))).toList();
            assertTrue(matches.size() == 1, "one fingerprinted " + stem + extension + " expected in " + folder + ": " + matches);
            return matches.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A guide page (one with an article, under a section folder), as opposed to home, tags or 404. */
    static List<String> guidePages() {
        return pages().stream().filter(p -> p.contains("/") && !p.startsWith("tags/") && !p.startsWith("examples/")).toList();
    }

    /** Serves the site on an ephemeral loopback port until closed. */
    static final class Server implements AutoCloseable {
        private final HttpServer server;

        Server() {
            server = SimpleFileServer.createFileServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    folder(), SimpleFileServer.OutputLevel.NONE);
            server.start();
        }

        String url(String page) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + page;
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
