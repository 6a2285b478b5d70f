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
        String source = ExampleCatalog.read(example.source());
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
            Future<List<Problem>> session = worker.submit(() -> openAndRunMain(shell, example, source));
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

    private static List<Problem> openAndRunMain(JShell shell, Example example, String source) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> snippetOffsets = new HashMap<>();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        while (!remaining.isBlank()) {
            int offset = source.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                problems.add(Problem.at(example.source(), ExampleCatalog.lineOf(source, offset),
                        "JShell cannot read this as a complete declaration or statement"));
                return problems;
            }
            problems.addAll(evaluate(shell, example, info.source(), source, offset, snippetOffsets));
            remaining = info.remaining();
        }
        if (problems.isEmpty()) {
            problems.addAll(evaluate(shell, example, example.mainInvocation(), source, -1, snippetOffsets));
        }
        return problems;
    }

    /**
     * Evaluates one snippet; {@code offset} locates it in the file, or is -1 for the main call.
     * {@code snippetOffsets} remembers where each accepted snippet starts, to turn the lines of a
     * stack trace (JShell numbers them per snippet) back into lines of the file.
     */
    private static List<Problem> evaluate(JShell shell, Example example, String snippet, String file, int offset,
                                          Map<String, Integer> snippetOffsets) {
        List<Problem> problems = new ArrayList<>();
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.causeSnippet() != null) {
                continue;
            }
            int start = offset < 0 ? -1 : offset + leadingBlank(file, offset);
            int line = start < 0 ? 0 : ExampleCatalog.lineOf(file, start);
            if (start >= 0) {
                snippetOffsets.put(event.snippet().id(), start);
            }
            JShellException thrown = event.exception();
            if (thrown != null) {
                int thrownAt = lineInFile(thrown, file, snippetOffsets);
                problems.add(Problem.at(example.source(), thrownAt > 0 ? thrownAt : line, "threw " + describe(thrown)));
            } else if (event.status() == Snippet.Status.REJECTED) {
                shell.diagnostics(event.snippet())
                        .filter(Diag::isError)
                        .forEach(d -> problems.add(Problem.at(example.source(),
                                offset < 0 ? 0 : ExampleCatalog.lineOf(file, offset + (int) d.getPosition()),
                                "does not compile in JShell: " + d.getMessage(Locale.ROOT))));
            } else if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                problems.add(Problem.at(example.source(), line, "refers to something the file does not declare: "
                        + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) event.snippet()).toList()));
            }
        }
        return problems;
    }

    /** The file line of the first stack frame inside the example's own code, or 0. */
    private static int lineInFile(JShellException thrown, String file, Map<String, Integer> snippetOffsets) {
        for (StackTraceElement frame : thrown.getStackTrace()) {
            String snippet = frame.getFileName() == null ? "" : frame.getFileName().replaceFirst("^#", "");
            Integer start = snippetOffsets.get(snippet);
            if (start != null && frame.getLineNumber() > 0) {
                return ExampleCatalog.lineOf(file, start) + frame.getLineNumber() - 1;
            }
        }
        return 0;
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
