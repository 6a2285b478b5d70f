package dev.runnablesystemdesign.guide.project;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with the guide's sources, located as precisely as the stage that found it can:
 * a file and a line where known. Printed as {@code path:line: message}, the form editors and CI
 * logs turn into links.
 *
 * @param file the source file the reader or maintainer should open, relative to the guide root
 *             where possible; {@code null} when the problem has no file (a missing JDK, say)
 * @param line 1-based line in {@code file}, or 0 when unknown
 */
public record Problem(Path file, int line, String message) {

    public static final Comparator<Problem> BY_LOCATION = Comparator
            .comparing((Problem p) -> p.file == null ? "" : p.file.toString())
            .thenComparingInt(Problem::line)
            .thenComparing(Problem::message);

    public Problem {
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be 0 (unknown) or positive: " + line);
        }
    }

    public static Problem at(Path file, int line, String message) {
        return new Problem(file, line, message);
    }

    public static Problem in(Path file, String message) {
        return new Problem(file, 0, message);
    }

    public static Problem general(String message) {
        return new Problem(null, 0, message);
    }

    @Override
    public String toString() {
        if (file == null) {
            return message;
        }
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
