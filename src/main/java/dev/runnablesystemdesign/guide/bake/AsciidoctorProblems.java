package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import org.asciidoctor.ast.Cursor;
import org.asciidoctor.log.LogHandler;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns everything Asciidoctor (and asciidoctor-diagram, which logs through it) would merely log
 * at warning level or above into a {@link Problem} with the file and line it names. Asciidoctor
 * keeps going after such a problem and writes "Unresolved directive" or an empty diagram into the
 * page; collecting them here is what lets the build refuse that page instead.
 */
final class AsciidoctorProblems implements LogHandler {

    private final Set<Problem> problems = new LinkedHashSet<>();
    private Path currentPage;

    /** The page being converted, blamed for problems whose log record carries no location. */
    void converting(Path page) {
        this.currentPage = page;
    }

    @Override
    public void log(LogRecord record) {
        if (record.getSeverity().compareTo(Severity.WARN) < 0) {
            return;
        }
        Cursor cursor = record.getCursor();
        Path file = currentPage;
        int line = 0;
        if (cursor != null) {
            if (cursor.getFile() != null) {
                file = Path.of(cursor.getFile());
            } else if (cursor.getDir() != null && cursor.getPath() != null) {
                file = Path.of(cursor.getDir(), cursor.getPath());
            }
            line = Math.max(0, cursor.getLineNumber());
        }
        problems.add(new Problem(file, line, record.getMessage().strip()));
    }

    void add(Problem problem) {
        problems.add(problem);
    }

    List<Problem> drain() {
        List<Problem> drained = new ArrayList<>(problems);
        problems.clear();
        return drained;
    }
}
