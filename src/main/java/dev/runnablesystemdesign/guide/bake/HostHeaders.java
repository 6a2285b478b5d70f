package dev.runnablesystemdesign.guide.bake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code _headers} file that Netlify and Cloudflare Pages read: security headers for every
 * path, a year-long immutable cache for each fingerprinted asset and a short one for everything
 * else, listed path by path because those hosts join, rather than override, the values of rules
 * that match the same path.
 */
public final class HostHeaders {

    public static final String FILE_NAME = "_headers";
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String SHORT = "public, max-age=300";

    private HostHeaders() {
    }

    /** The Cache-Control a file of the site gets, wherever it is published. */
    public static String cacheControl(String path) {
        return AssetFingerprints.FINGERPRINT.matcher(path).find() ? IMMUTABLE : SHORT;
    }

    /** @param contentSecurityPolicy the policy the pages also carry in their meta element */
    public static void write(Path site, String contentSecurityPolicy) {
        StringBuilder headers = new StringBuilder()
                .append("/*\n")
                // frame-ancestors only works as a header, so it is added here rather than in the pages.
                .append("  Content-Security-Policy: ").append(contentSecurityPolicy).append("; frame-ancestors 'none'\n")
                .append("  X-Content-Type-Options: nosniff\n")
                .append("  Referrer-Policy: strict-origin-when-cross-origin\n")
                .append("  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n");
        for (String path : SiteFolders.files(site, p -> !p.equals(FILE_NAME))) {
            headers.append("/").append(path).append("\n  Cache-Control: ").append(cacheControl(path)).append('\n');
            if (path.endsWith("index.html")) {
                String folder = path.substring(0, path.length() - "index.html".length());
                headers.append("/").append(folder).append("\n  Cache-Control: ").append(SHORT).append('\n');
            }
        }
        try {
            Files.writeString(site.resolve(FILE_NAME), headers, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE_NAME + " into " + site, e);
        }
    }
}
