package dev.runnablesystemdesign.guide.publish;

import java.util.ArrayList;
import java.util.List;

/**
 * What a publish would do to a target, as site-relative paths with {@code /} separators. A plan is
 * computed before anything is sent, so {@code --dry-run} shows exactly what a real publish does.
 */
public record Plan(List<String> added, List<String> changed, List<String> deleted) {

    public Plan {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        deleted = List.copyOf(deleted);
    }

    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && deleted.isEmpty();
    }

    /** One line per path: {@code add X}, {@code change Y}, {@code delete Z}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        added.forEach(path -> lines.add("add " + path));
        changed.forEach(path -> lines.add("change " + path));
        deleted.forEach(path -> lines.add("delete " + path));
        return lines;
    }
}
