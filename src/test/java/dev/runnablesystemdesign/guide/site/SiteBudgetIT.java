package dev.runnablesystemdesign.guide.site;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reader downloads: every page within its weight budget, the search index within its own. */
class SiteBudgetIT {

    /** HTML, CSS and script of one page, gzip-compressed, diagrams and images not counted. */
    static final int PAGE_BUDGET_BYTES = 40 * 1024;
    static final int SEARCH_INDEX_BUDGET_BYTES = 200 * 1024;

    @Test
    void everyPageWithItsStylesAndScriptsTransfersUnderFortyKilobytes() throws IOException {
        Path site = BuiltSite.folder();
        List<String> over = new ArrayList<>();
        for (String page : BuiltSite.pages()) {
            long bytes = transferredBytes(site, page);
            if (bytes >= PAGE_BUDGET_BYTES) {
                over.add(page + ": " + bytes + " bytes gzip-compressed");
            }
        }
        assertEquals(List.of(), over, "pages over the " + PAGE_BUDGET_BYTES + "-byte budget");
    }

    @Test
    void theSearchIndexCoversEveryGuidePageWithinItsBudget() throws IOException {
        Path index = BuiltSite.asset("search-index", ".json");
        String json = Files.readString(index);
        for (String page : BuiltSite.guidePages()) {
            assertTrue(json.contains("\"u\":\"" + page + "\""), "the search index misses " + page);
        }
        long bytes = gzipped(Files.readAllBytes(index));
        System.out.printf("search index: %,d bytes, %,d gzip-compressed (budget %,d)%n", Files.size(index), bytes, SEARCH_INDEX_BUDGET_BYTES);
        assertTrue(bytes < SEARCH_INDEX_BUDGET_BYTES, "search index is " + bytes + " bytes gzip-compressed");
    }

    @Test
    void theBudgetCountsThePageItsStylesheetAndItsScripts() throws IOException {
        Path site = BuiltSite.folder();
        String page = BuiltSite.guidePages().get(0);
        long html = gzipped(Files.readAllBytes(site.resolve(page)));
        long css = gzipped(Files.readAllBytes(BuiltSite.asset("css/guide", ".css")));
        long js = gzipped(Files.readAllBytes(BuiltSite.asset("js/guide", ".js")));
        assertEquals(html + css + js, transferredBytes(site, page));
    }

    /** The page plus every stylesheet and script it links, each compressed as a server would send it. */
    static long transferredBytes(Path site, String page) throws IOException {
        Path file = site.resolve(page);
        Document document = Jsoup.parse(file.toFile(), "UTF-8");
        Set<Path> parts = new LinkedHashSet<>();
        parts.add(file);
        document.select("link[rel=stylesheet][href], script[src]").forEach(e -> {
            String reference = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            parts.add(reference.startsWith("/") ? site.resolve(reference.substring(1)) : file.getParent().resolve(reference).normalize());
        });
        long total = 0;
        for (Path part : parts) {
            assertFalse(!Files.isRegularFile(part), page + " links " + part + ", which is not in the site");
            total += gzipped(Files.readAllBytes(part));
        }
        return total;
    }

    static long gzipped(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }
}
