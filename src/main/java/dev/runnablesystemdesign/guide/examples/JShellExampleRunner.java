package dev.runnablesystemdesign.guide.examples;

import dev.runnablesystemdesign.guide.project.Problem;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an example the way a reader does in {@code jshell}: opens the source file snippet by snippet,
 * then calls {@code main}. Each run gets a fresh JShell whose code executes in its own JVM, so one
 * example's state cannot leak into another's output and a hung example can be killed outright.
 */
public final class JShellExampleRunner implements ExampleRunner {

    private final Duration timeLimit;
    private final ExampleLibraries libraries;

    public JShellExampleRunner(Duration timeLimit) {
        this(timeLimit, ExampleLibraries.none());
    }

    public JShellExampleRunner(Duration timeLimit, ExampleLibraries libraries) {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive: " + timeLimit);
        }
        this.timeLimit = timeLimit;
        this.libraries = libraries;
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    @Override
    public ExampleRun run(Example example) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        JShell shell = JShell.builder()
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8))
                .remoteVMOptions(remoteVmOptions(example))
                .build();
        List<Problem> missing = new ArrayList<>();
        for (String coordinates : example.requires()) {
            libraries.jar(coordinates).ifPresentOrElse(jar -> shell.addToClasspath(jar.toString()),
                    () -> missing.add(Problem.in(example.source(), "requires " + coordinates
                            + ", which is not on the examples' class path: add it to snippets/pom.xml and run ./mvnw package")));
        }
        if (!missing.isEmpty()) {
            shell.close();
            return new ExampleRun(example, "", missing);
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "example-" + example.name());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<List<Problem>> session = worker.submit(() -> openAndRunMain(shell, example));
            List<Problem> problems = new ArrayList<>(await(session, shell, example));
            String printedErrors = err.toString(StandardCharsets.UTF_8);
            if (problems.isEmpty() && !printedErrors.isBlank()) {
                problems.add(Problem.in(example.source(), "printed to standard error: " + firstLine(printedErrors)));
            }
            return new ExampleRun(example, normalise(out.toString(StandardCharsets.UTF_8)), problems);
        } finally {
            shell.close();
            worker.shutdownNow();
        }
    }

    /** Fixed locale, time zone and encoding, so output does not depend on the machine; then the example's own. */
    private static String[] remoteVmOptions(Example example) {
        List<String> options = new ArrayList<>(List.of("-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-Duser.language=en", "-Duser.country=US", "-Duser.timezone=UTC"));
        options.addAll(example.javaOptions());
        return options.toArray(String[]::new);
    }

    private List<Problem> await(Future<List<Problem>> session, JShell shell, Example example) {
        try {
            return session.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            shell.stop();
            session.cancel(true);
            return List.of(Problem.in(example.source(), "did not finish within " + describe(timeLimit)
                    + " (an endless loop, a deadlock or a wait that never ends?)"));
        } catch (ExecutionException e) {
            return List.of(Problem.in(example.source(), "could not be run in JShell: " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Problem.in(example.source(), "interrupted while running"));
        }
    }

    /** A source file opened into the shell, and the offset in it where one snippet's text (maybe blank-led) starts. */
    private record Placed(Path file, String text, int start) {
        /** The line of the snippet's first non-blank character. */
        int line() {
            return ExampleCatalog.lineOf(text, start + leadingBlank(text, start));
        }
    }

    /** Opens the used examples' files, then the example's own, as {@code jshell A.java B.java} does; then calls main. */
    private static List<Problem> openAndRunMain(JShell shell, Example example) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Placed> snippets = new HashMap<>();
        List<Path> files = new ArrayList<>(example.uses().stream().map(Example::source).toList());
        files.add(example.source());
        for (Path file : files) {
            problems.addAll(open(shell, file, ExampleCatalog.read(file), snippets));
            if (!problems.isEmpty()) {
                return problems;
            }
        }
        return evaluate(shell, example.mainInvocation(), new Placed(example.source(), "", -1), snippets);
    }

    /** Feeds one file to the shell snippet by snippet, as JShell's {@code /open} does. */
    private static List<Problem> open(JShell shell, Path file, String text, Map<String, Placed> snippets) {
        List<Problem> problems = new ArrayList<>();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = text;
        while (!remaining.isBlank()) {
            int offset = text.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                problems.add(Problem.at(file, ExampleCatalog.lineOf(text, offset),
                        "JShell cannot read this as a complete declaration or statement"));
                return problems;
            }
            problems.addAll(evaluate(shell, info.source(), new Placed(file, text, offset), snippets));
            remaining = info.remaining();
        }
        return problems;
    }

    /**
     * Evaluates one snippet placed in its file ({@code start} -1 for the main call, which is in no file).
     * {@code snippets} remembers where each accepted snippet starts, to turn the lines of a stack
     * trace (JShell numbers them per snippet) back into lines of the files.
     */
    private static List<Problem> evaluate(JShell shell, String snippet, Placed at, Map<String, Placed> snippets) {
        List<Problem> problems = new ArrayList<>();
        int line = at.start() < 0 ? 0 : at.line();
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            if (at.start() >= 0) {
                snippets.put(event.snippet().id(), at);
            }
            JShellException thrown = event.exception();
            if (thrown != null) {
                problems.add(thrownAt(thrown, snippets).orElse(Problem.at(at.file(), line, "threw " + describe(thrown))));
            } else if (event.status() == Snippet.Status.REJECTED) {
                shell.diagnostics(event.snippet())
                        .filter(Diag::isError)
                        .forEach(d -> problems.add(Problem.at(at.file(),
                                at.start() < 0 ? 0 : ExampleCatalog.lineOf(at.text(), at.start() + (int) d.getPosition()),
                                "does not compile in JShell: " + d.getMessage(Locale.ROOT))));
            } else if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                problems.add(Problem.at(at.file(), line, "refers to something the file does not declare: "
                        + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) event.snippet()).toList()
                        + " (an example that builds on another says so in a '// uses: Other' line)"));
            }
        }
        return problems;
    }

    /** The problem, at the file line of the first stack frame inside the examples' own code, if any. */
    private static java.util.Optional<Problem> thrownAt(JShellException thrown, Map<String, Placed> snippets) {
        for (StackTraceElement frame : thrown.getStackTrace()) {
            String snippet = frame.getFileName() == null ? "" : frame.getFileName().replaceFirst("^#", "");
            Placed placed = snippets.get(snippet);
            if (placed != null && frame.getLineNumber() > 0) {
                return java.util.Optional.of(Problem.at(placed.file(), placed.line() + frame.getLineNumber() - 1,
                        "threw " + describe(thrown)));
            }
        }
        return java.util.Optional.empty();
    }

    private static int leadingBlank(String text, int offset) {
        int i = offset;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i - offset;
    }

    private static String describe(JShellException thrown) {
        String type = thrown instanceof EvalException eval ? eval.getExceptionClassName() : thrown.getClass().getName();
        String message = thrown.getMessage() == null ? "" : ": " + thrown.getMessage();
        StackTraceElement[] trace = thrown.getStackTrace();
        String where = trace.length == 0 ? "" : " at " + trace[0].getClassName() + "." + trace[0].getMethodName();
        return type + message + where;
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline) + " ...";
    }

    /** Line endings as on the page, whatever the platform printed. */
    static String normalise(String output) {
        return output.replace("\r\n", "\n");
    }
}
