package dev.runnablesystemdesign.guide.bake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchIndexTest {

    @TempDir
    Path site;

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a \\\"b\\\" c\\\\d\\ne\\u0001\"", SearchIndex.quote("a \"b\" c\\d\ne\u0001"));
    }

    @Test
    void indexesEachGuidePagesTitleDescriptionAndProseButNotItsCodeOrOtherPages() throws IOException {
        Files.createDirectories(site.resolve("caching"));
        Files.writeString(site.resolve("caching/lru.html"), """
                <html><head><meta name="description" content="Evict the least recently used."></head>
                <body><main><article><h1>LRU</h1><p class="lead">Evict the least recently used.</p>
                <nav class="toc"><a href="#x">Contents entry</a></nav>
                <p>A list ordered by last access.</p>
                <div class="listingblock"><pre>class Lru {}</pre></div>
                <div class="sect1"><h2 id="_related">Related</h2><div class="sectionbody"><p>Other pages</p></div></div>
                <div class="sect1"><h2 id="_further_reading">Further reading</h2><div class="sectionbody"><p>A paper</p></div></div>
                </article></main></body></html>""");
        Files.writeString(site.resolve("index.html"), "<html><body><main><h1>Home</h1></main></body></html>");

        SearchIndex.write(site);
        String json = Files.readString(site.resolve(SearchIndex.FILE_NAME));

        assertTrue(json.contains("{\"u\":\"caching/lru.html\",\"t\":\"LRU\",\"d\":\"Evict the least recently used.\","
                + "\"x\":\"A list ordered by last access.\"}"), json);
        assertFalse(json.contains("class Lru"), json);
        assertFalse(json.contains("Contents entry"), json);
        assertFalse(json.contains("Other pages") || json.contains("A paper"), json);
        assertFalse(json.contains("Home"), json);
    }
}
