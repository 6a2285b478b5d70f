package dev.runnablesystemdesign.guide.publish;

import dev.runnablesystemdesign.guide.bake.HostHeaders;

import java.util.Locale;
import java.util.Map;

/** The Content-Type and Cache-Control an object is served with, decided by its name alone. */
final class ObjectHeaders {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            // Shown in the browser as text, not downloaded: learners read the example before saving it.
            Map.entry("java", "text/plain; charset=utf-8"));

    private ObjectHeaders() {
    }

    static String contentType(String path) {
        int dot = path.lastIndexOf('.');
        String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** The same rule as the site's _headers file: fingerprinted names are cached forever. */
    static String cacheControl(String path) {
        return HostHeaders.cacheControl(path);
    }
}
