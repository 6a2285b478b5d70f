package dev.runnablesystemdesign.guide.bake;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MarkdownHeaderTest {

    @Test
    void theTitleIsTheFirstHeadingAndTheDescriptionTheParagraphAfterIt() {
        MarkdownHeader header = MarkdownHeader.of(List.of("", "# Contributing", "", "How to add", "a page.", "", "## First", "text"));

        assertEquals("Contributing", header.title());
        assertEquals(2, header.titleLine());
        assertEquals("How to add a page.", header.description());
        assertEquals(6, header.bodyLine());
    }

    @Test
    void aDocumentWithoutATitleLineHasNeitherTitleNorDescription() {
        MarkdownHeader header = MarkdownHeader.of(List.of("Some text", "", "# Late title"));

        assertEquals("", header.title());
        assertEquals("", header.description());
    }

    @Test
    void aTitleFollowedDirectlyByASectionHasNoDescription() {
        assertEquals("", MarkdownHeader.of(List.of("# Changelog", "", "## 1.0")).description());
    }
}
