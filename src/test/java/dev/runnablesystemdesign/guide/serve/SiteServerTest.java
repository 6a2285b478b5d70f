package dev.runnablesystemdesign.guide.serve;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteServerTest {

    @TempDir
    Path site;

    private SiteServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(site.resolve("index.html"), "<html><body><p>home</p></body></html>");
        Files.createDirectories(site.resolve("css"));
        Files.writeString(site.resolve("css/guide.css"), "body{}");
        server = new SiteServer(site, 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.address().resolve(path)).timeout(Duration.ofSeconds(5)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPagesWithTheLiveReloadScriptAndOtherFilesAsTheyAre() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("<html><body><p>home</p><script src=\"/__guide/live-reload.js\" defer></script></body></html>", page.body());

        HttpResponse<String> css = get("/css/guide.css");
        assertEquals("body{}", css.body());
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElseThrow());

        assertTrue(get("/__guide/live-reload.js").body().contains("EventSource"));
        assertEquals(404, get("/nope.html").statusCode());
    }

    @Test
    void listensOnLoopbackOnly() {
        assertEquals("127.0.0.1", server.address().getHost());
    }

    @Test
    void neverServesFilesOutsideTheSite() throws Exception {
        Files.writeString(site.getParent().resolve("secret.txt"), "secret");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            socket.getOutputStream().write("GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(status.contains(" 403 ") || status.contains(" 404 ") || status.contains(" 400 "), status);
        }
    }

    @Test
    void tellsOpenPagesToReloadAfterAGoodBuildAndShowsProblemsAfterABadOne() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /__guide/events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader events = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            readUntil(events, "event: hello");

            server.buildFailed("content/a/p.adoc:6: include file not found");
            List<String> failed = readUntil(events, "data: content/a/p.adoc:6: include file not found");
            assertTrue(failed.contains("event: failed"), failed::toString);
            assertTrue(get("/missing.html").body().contains("content/a/p.adoc:6: include file not found"));

            server.siteRebuilt();
            readUntil(events, "event: reload");
        }
    }

    private static List<String> readUntil(BufferedReader reader, String wanted) throws Exception {
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            seen.add(line);
            if (line.equals(wanted)) {
                return seen;
            }
        }
        throw new AssertionError("stream ended before '" + wanted + "': " + seen);
    }
}
