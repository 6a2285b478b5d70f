package dev.runnablesystemdesign.guide.bake;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * A page body as Asciidoctor wrote it, made fit for the site: inline {@code style} attributes
 * (Asciidoctor's table column widths) are dropped, because the Content-Security-Policy allows no
 * inline styles; code, output and tables, which scroll sideways on a narrow screen, take keyboard
 * focus so they can be scrolled without a mouse; and the page's sections become an "On this page"
 * table of contents.
 *
 * @param html the body to publish
 * @param toc  an ordered list linking the page's sections, or "" when the page is too short to need one
 */
record PageBody(String html, String toc) {

    /** Pages with fewer sections than this read fine without a table of contents. */
    static final int TOC_MINIMUM_SECTIONS = 4;

    static PageBody of(String converted) {
        Document body = Jsoup.parseBodyFragment(converted);
        body.outputSettings().prettyPrint(false);
        body.select("[style]").removeAttr("style");
        body.select("pre, table.tableblock").attr("tabindex", "0");
        return new PageBody(body.body().html(), toc(body.select("div.sect1 > h2[id]")));
    }

    /** Publishes {@code converted} as the body of the page JBake is parsing, with its table of contents. */
    static void into(org.jbake.parser.ParserContext context, String converted) {
        PageBody body = of(converted);
        context.setBody(body.html());
        context.getDocumentModel().put("toc", body.toc());
    }

    private static String toc(Elements sections) {
        if (sections.size() < TOC_MINIMUM_SECTIONS) {
            return "";
        }
        Element list = new Element("ol");
        for (Element heading : sections) {
            list.appendElement("li").appendElement("a").attr("href", "#" + heading.id()).text(heading.text());
        }
        return list.outerHtml();
    }
}
