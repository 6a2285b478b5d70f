package dev.runnablesystemdesign.guide.bake;

import java.util.List;

/**
 * What a header-less Markdown document says about itself: its title (the first {@code # } line),
 * its description (the paragraph after the title, joined into one line) and the line its body
 * starts on, 1-based.
 */
record MarkdownHeader(String title, int titleLine, String description, int bodyLine) {

    static MarkdownHeader of(List<String> lines) {
        int at = 0;
        while (at < lines.size() && lines.get(at).isBlank()) {
            at++;
        }
        if (at >= lines.size() || !lines.get(at).startsWith("# ")) {
            return new MarkdownHeader("", 1, "", 1);
        }
        String title = lines.get(at).substring(2).strip();
        int titleLine = at + 1;
        at++;
        while (at < lines.size() && lines.get(at).isBlank()) {
            at++;
        }
        StringBuilder description = new StringBuilder();
        while (at < lines.size() && !lines.get(at).isBlank() && !lines.get(at).startsWith("#")) {
            description.append(description.isEmpty() ? "" : " ").append(lines.get(at).strip());
            at++;
        }
        return new MarkdownHeader(title, titleLine, description.toString(), at + 1);
    }
}
