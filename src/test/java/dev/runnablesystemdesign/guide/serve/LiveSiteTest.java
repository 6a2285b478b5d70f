package dev.runnablesystemdesign.guide.serve;

import dev.runnablesystemdesign.guide.TestGuide;
import dev.runnablesystemdesign.guide.build.SiteBuild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a maintainer sees with {@code serve} running: edits appear, broken edits are shown, not served. */
class LiveSiteTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path folder;

    @Test
    void anEditAppearsInTheBrowserAndABrokenEditShowsItsProblemOverTheLastGoodPage() throws Exception {
        TestGuide guide = TestGuide.in(folder).page("a/p.adoc", "P", "First version.\n");
        try (SiteBuild build = new SiteBuild(guide.layout(), Duration.ofSeconds(20), QUIET);
             LiveSite live = new LiveSite(guide.layout(), build, 0, QUIET, QUIET)) {
            URI address = live.start();
            assertTrue(get(address.resolve("a/p.html")).contains("First version."));

            try (Socket events = new Socket(InetAddress.getLoopbackAddress(), address.getPort())) {
                events.setSoTimeout(120_000);
                events.getOutputStream().write("GET /__guide/events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader stream = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
                awaitLine(stream, "event: hello");

                guide.page("a/p.adoc", "P", "Second version.\n");
                awaitLine(stream, "event: reload");
                assertTrue(get(address.resolve("a/p.html")).contains("Second version."));

                guide.page("a/p.adoc", "P", "Third version, broken: include::{snippets}/Nope.java[]\n\ninclude::{snippets}/Nope.java[]\n");
                awaitLine(stream, "event: failed");
                String problem = awaitLineContaining(stream, "content/a/p.adoc:6: include file not found");
                assertTrue(problem.startsWith("data: "), problem);
                assertTrue(get(address.resolve("a/p.html")).contains("Second version."), "the last good page stays served");
            }
        }
    }

    private static String get(URI uri) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitLine(BufferedReader stream, String wanted) throws Exception {
        awaitLineContaining(stream, wanted);
    }

    private static String awaitLineContaining(BufferedReader stream, String wanted) throws Exception {
        String line;
        while ((line = stream.readLine()) != null) {
            if (line.contains(wanted)) {
                return line;
            }
        }
        throw new AssertionError("event stream ended before '" + wanted + "'");
    }
}
