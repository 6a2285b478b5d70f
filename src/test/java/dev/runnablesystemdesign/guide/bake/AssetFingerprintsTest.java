package dev.runnablesystemdesign.guide.bake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssetFingerprintsTest {

    @TempDir
    Path site;

    private void write(String path, String text) throws IOException {
        Files.createDirectories(site.resolve(path).getParent());
        Files.writeString(site.resolve(path), text);
    }

    @Test
    void assetsGetContentHashedNamesAndEveryFormOfReferenceFollows() throws IOException {
        write("css/guide.css", "body{}");
        write("js/guide.js", "1");
        write("diagrams/d.svg", "<svg/>");
        write("search-index.json", "[]");
        write("examples/Ring.java", "class Ring {}");
        write("a/p.html", "<link href=\"../css/guide.css\"><script src=\"../js/guide.js\"></script>"
                + "<img src=\"../diagrams/d.svg\"><div data-index=\"../search-index.json\"></div>"
                + "<a href=\"../examples/Ring.java\">x</a><a href=\"q.html#top\">y</a>");
        write("404.html", "<link href=\"/css/guide.css\">");

        Map<String, String> renamed = AssetFingerprints.apply(site);

        String css = renamed.get("css/guide.css");
        assertTrue(css.matches("css/guide\\.[0-9a-f]{10}\\.css"), css);
        assertEquals("css/guide." + AssetFingerprints.hash(site.resolve(css)) + ".css", css, "the name is the content's hash");
        String page = Files.readString(site.resolve("a/p.html"));
        assertTrue(page.contains("href=\"../" + css + "\""), page);
        assertTrue(page.contains("src=\"../" + renamed.get("js/guide.js") + "\""), page);
        assertTrue(page.contains("src=\"../" + renamed.get("diagrams/d.svg") + "\""), page);
        assertTrue(page.contains("data-index=\"../" + renamed.get("search-index.json") + "\""), page);
        assertTrue(page.contains("href=\"../examples/Ring.java\""), "downloads keep their names: " + page);
        assertTrue(page.contains("href=\"q.html#top\""), page);
        assertTrue(Files.readString(site.resolve("404.html")).contains("href=\"/" + css + "\""));
        assertFalse(Files.exists(site.resolve("css/guide.css")));
    }

    @Test
    void aChangedAssetGetsANewName() throws IOException {
        write("css/guide.css", "body{}");
        String first = AssetFingerprints.apply(site).get("css/guide.css");
        Files.delete(site.resolve(first));
        write("css/guide.css", "body{color:red}");

        assertNotEquals(first, AssetFingerprints.apply(site).get("css/guide.css"));
    }

    @Test
    void fingerprintedFilesAreCachedForeverAndEverythingElseBriefly() {
        assertEquals(HostHeaders.IMMUTABLE, HostHeaders.cacheControl("css/guide.3f2a9c1b7d.css"));
        assertEquals(HostHeaders.SHORT, HostHeaders.cacheControl("caching/lru.html"));
        assertEquals(HostHeaders.SHORT, HostHeaders.cacheControl("examples/Ring.java"));
    }
}
