package dev.runnablesystemdesign.guide.examples;

import java.util.Optional;

/** Names the first line where two runs of an example disagree. */
final class OutputDifference {

    private OutputDifference() {
    }

    static Optional<String> between(String first, String second) {
        if (first.equals(second)) {
            return Optional.empty();
        }
        String[] a = first.split("\n", -1);
        String[] b = second.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String left = i < a.length ? a[i] : "<no line>";
            String right = i < b.length ? b[i] : "<no line>";
            if (!left.equals(right)) {
                return Optional.of("output line " + (i + 1) + " was \"" + left + "\", then \"" + right + "\"");
            }
        }
        return Optional.of("the outputs differ");
    }
}
