package dev.runnablesystemdesign.guide.bake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every stylesheet, script, image, diagram and the search index a name that contains a hash
 * of its content ({@code css/guide.3f2a9c1b7d.css}) and points the pages at the new names. A CDN
 * or browser may then keep such a file forever: a changed file is a new name, so no reader ever
 * gets a new page with an old stylesheet. Pages, the feed, the sitemap and the examples readers
 * download keep their addresses.
 */
public final class AssetFingerprints {

    private static final Pattern FINGERPRINTED_TYPES = Pattern.compile(".*\\.(css|js|svg|png|jpe?g|gif|webp|json)$");
    /** A name this class gave: a dot, ten hexadecimal digits, a dot, the extension. */
    public static final Pattern FINGERPRINT = Pattern.compile("\\.[0-9a-f]{10}\\.[a-z]+$");
    private static final Pattern REFERENCE = Pattern.compile("\\b(href|src|data-index)=\"([^\"#?]+)([^\"]*)\"");

    private AssetFingerprints() {
    }

    /** Renames the assets of {@code site} and rewrites the references in its pages; returns old → new paths. */
    public static Map<String, String> apply(Path site) {
        Map<String, String> renamed = new TreeMap<>();
        for (String path : SiteFolders.files(site, AssetFingerprints::isAsset)) {
            Path asset = site.resolve(path);
            String name = asset.getFileName().toString();
            int dot = name.lastIndexOf('.');
            Path target = asset.resolveSibling(name.substring(0, dot) + "." + hash(asset) + name.substring(dot));
            move(asset, target);
            renamed.put(path, relative(site, target));
        }
        for (String page : SiteFolders.files(site, p -> p.endsWith(".html"))) {
            rewrite(site, site.resolve(page), renamed);
        }
        return renamed;
    }

    private static boolean isAsset(String path) {
        return FINGERPRINTED_TYPES.matcher(path).matches() && !path.startsWith("examples/") && !FINGERPRINT.matcher(path).find();
    }

    /** Points each reference of {@code page} that names a renamed asset at its new name, keeping the reference's form. */
    private static void rewrite(Path site, Path page, Map<String, String> renamed) {
        String html = read(page);
        Matcher reference = REFERENCE.matcher(html);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String link = reference.group(2);
            String replacement = reference.group();
            if (!link.contains("://") && !link.startsWith("//")) {
                Path target = link.startsWith("/") ? site.resolve(link.substring(1)) : page.getParent().resolve(link);
                String renamedTo = renamed.get(relative(site, target.normalize()));
                if (renamedTo != null) {
                    String newName = renamedTo.substring(renamedTo.lastIndexOf('/') + 1);
                    String newLink = link.substring(0, link.lastIndexOf('/') + 1) + newName;
                    replacement = reference.group(1) + "=\"" + newLink + reference.group(3) + "\"";
                }
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        write(page, out.toString());
    }

    /** The first ten hexadecimal digits of the SHA-256 of the file: a collision among a site's assets is not a practical risk. */
    static String hash(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String relative(Path site, Path file) {
        return site.relativize(file).toString().replace('\\', '/');
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
