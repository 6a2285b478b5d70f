package dev.runnablesystemdesign.guide.bake;

import java.util.List;

/**
 * What the site needs to know about a page before rendering it: read from the page's AsciiDoc
 * header ({@code = Title}, {@code :description:}, {@code :page-order:}, {@code :page-tags:}).
 */
record PageHeader(String title, String description, int order, List<String> tags) {

    PageHeader {
        tags = List.copyOf(tags);
    }
}
