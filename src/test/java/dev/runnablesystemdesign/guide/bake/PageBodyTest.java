package dev.runnablesystemdesign.guide.bake;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageBodyTest {

    private static String sections(int count) {
        StringBuilder html = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            html.append("<div class=\"sect1\"><h2 id=\"_s").append(i).append("\">Section ").append(i)
                    .append("</h2><div class=\"sectionbody\"><h3 id=\"_sub").append(i).append("\">Sub</h3></div></div>");
        }
        return html.toString();
    }

    @Test
    void inlineStylesAreDroppedBecauseThePolicyForbidsThem() {
        PageBody body = PageBody.of("<table><colgroup><col style=\"width: 25%;\"></colgroup><tr><td>x</td></tr></table>");

        assertFalse(body.html().contains("style="), body.html());
        assertTrue(body.html().contains("<col>"), body.html());
    }

    @Test
    void blocksThatMayScrollSidewaysTakeKeyboardFocus() {
        PageBody body = PageBody.of("<div class=\"listingblock\"><pre>code</pre></div><table class=\"tableblock\"></table><p>text</p>");

        assertTrue(body.html().contains("<pre tabindex=\"0\">"), body.html());
        assertTrue(body.html().contains("<table class=\"tableblock\" tabindex=\"0\">"), body.html());
        assertFalse(body.html().contains("<p tabindex"), body.html());
    }

    @Test
    void aLongPageGetsAContentsListOfItsTopLevelSectionsInOrder() {
        PageBody body = PageBody.of(sections(PageBody.TOC_MINIMUM_SECTIONS));

        assertEquals("<ol><li><a href=\"#_s1\">Section 1</a></li><li><a href=\"#_s2\">Section 2</a></li>"
                + "<li><a href=\"#_s3\">Section 3</a></li><li><a href=\"#_s4\">Section 4</a></li></ol>",
                body.toc().replaceAll("\\s*\\n\\s*", ""));
    }

    @Test
    void aShortPageHasNoContentsList() {
        assertEquals("", PageBody.of(sections(PageBody.TOC_MINIMUM_SECTIONS - 1)).toc());
    }
}
