package dev.runnablesystemdesign.guide.examples;

/**
 * The AsciiDoc a page includes after an example's source: the commands a reader types to run it,
 * a link to download it, and the output the build captured from running it.
 */
public final class RunItFragment {

    private RunItFragment() {
    }

    public static String render(ExampleRun run) {
        Example example = run.example();
        String files = String.join(" and ", example.fileNames().stream()
                .map(f -> "link:{site-root}examples/" + f + "[" + f + "]").toList());
        String together = example.uses().isEmpty() ? ""
                : " into one folder (`java` finds the other files there from JDK 22 on)";
        String jars = example.requires().stream()
                .map(c -> " and link:" + Example.downloadUrl(c) + "[" + Example.jarName(c) + "] (`" + c + "` on Maven Central)")
                .reduce("", String::concat);
        return """
                [.run-it]
                .Run it: download %1$s%5$s%6$s, then
                [source,shell]
                ----
                %2$s
                %4$s
                ----

                [.example-output]
                .Output
                %3$s
                """.formatted(files, example.javaCommand(), literalBlock(run.output()), example.jshellCommand(), jars, together);
    }

    /** A literal block whose delimiter cannot occur inside the output, with no substitutions but escaping. */
    static String literalBlock(String output) {
        String body = output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
        int longest = 3;
        for (String line : body.split("\n", -1)) {
            if (!line.isEmpty() && line.chars().allMatch(c -> c == '.')) {
                longest = Math.max(longest, line.length());
            }
        }
        String fence = ".".repeat(longest + 1);
        return "[subs=\"specialcharacters\"]\n" + fence + "\n" + body + "\n" + fence;
    }
}
