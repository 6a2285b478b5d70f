package dev.runnablesystemdesign.guide.bake;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The search index, built with the site so that search needs no server and no third party: one
 * JSON array with, for every guide page, its address, title, description and the text a reader
 * sees in it. Code listings and captured output are left out (they are long and rarely what a
 * reader types into a search box), which keeps the whole index small enough to fetch on first use.
 */
public final class SearchIndex {

    public static final String FILE_NAME = "search-index.json";

    /**
     * Where the page's own words are: the article, without its contents box, code, output, and the
     * link lists at its end (Related, Further reading), whose words belong to other pages.
     */
    private static final String NOT_PROSE = ".toc, .listingblock, .literalblock, .example-output, .run-it, .imageblock, .tags, "
            + "div.sect1:has(> h2:matchesOwn(^(Related|Further reading)$))";

    private SearchIndex() {
    }

    /** Writes {@value #FILE_NAME} at the root of {@code site}, covering the pages in it, in path order. */
    public static void write(Path site) {
        StringBuilder json = new StringBuilder("[");
        for (String page : SiteFolders.files(site, p -> p.endsWith(".html"))) {
            Entry entry = entry(site, site.resolve(page));
            if (entry == null) {
                continue;
            }
            json.append(json.length() > 1 ? ",\n" : "\n")
                    .append("{\"u\":").append(quote(entry.url()))
                    .append(",\"t\":").append(quote(entry.title()))
                    .append(",\"d\":").append(quote(entry.description()))
                    .append(",\"x\":").append(quote(entry.text())).append('}');
        }
        json.append("\n]\n");
        try {
            Files.writeString(site.resolve(FILE_NAME), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the search index into " + site, e);
        }
    }

    record Entry(String url, String title, String description, String text) {
    }

    /** The page's entry, or null for a page that is not a guide page (home, tags, 404). */
    static Entry entry(Path site, Path page) {
        Document document = parse(page);
        Element article = document.selectFirst("main article");
        if (article == null) {
            return null;
        }
        Element prose = article.clone();
        prose.select(NOT_PROSE).remove();
        prose.select("h1, p.lead").remove();
        String url = site.relativize(page).toString().replace('\\', '/');
        String title = document.selectFirst("main article h1") == null ? "" : document.selectFirst("main article h1").text();
        Element description = document.selectFirst("meta[name=description]");
        return new Entry(url, title, description == null ? "" : description.attr("content"), prose.text());
    }

    private static Document parse(Path page) {
        try {
            return Jsoup.parse(page.toFile(), StandardCharsets.UTF_8.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + page, e);
        }
    }

    /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
