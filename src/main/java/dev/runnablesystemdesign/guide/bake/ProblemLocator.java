package dev.runnablesystemdesign.guide.bake;

import dev.runnablesystemdesign.guide.project.Problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points a problem at the line that has to change when Asciidoctor's report is less precise:
 * a PlantUML error is moved from the page's {@code plantuml::} line to the line of the
 * {@code .puml} file that failed to parse, and a missing-attribute warning, which Asciidoctor
 * reports without a line, gets the line of the first reference to that attribute.
 */
final class ProblemLocator {

    private static final Pattern DIAGRAM_MACRO = Pattern.compile("plantuml::([^\\[]+)\\[");
    private static final Pattern PLANTUML_LINE = Pattern.compile("\\(line (\\d+)\\)");
    private static final Pattern MISSING_ATTRIBUTE = Pattern.compile("missing attribute: ([\\w-]+)");

    private ProblemLocator() {
    }

    static Problem locate(Problem problem, Map<String, Object> attributes) {
        if (problem.file() == null || !Files.isRegularFile(problem.file())) {
            return problem;
        }
        List<String> lines = lines(problem.file());
        if (problem.message().contains("PlantUML") && problem.line() > 0 && problem.line() <= lines.size()) {
            return diagramProblem(problem, lines.get(problem.line() - 1), attributes);
        }
        Matcher missing = MISSING_ATTRIBUTE.matcher(problem.message());
        if (problem.line() == 0 && missing.find()) {
            String reference = "{" + missing.group(1) + "}";
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(reference)) {
                    return new Problem(problem.file(), i + 1, problem.message());
                }
            }
        }
        return problem;
    }

    private static Problem diagramProblem(Problem problem, String macroLine, Map<String, Object> attributes) {
        Matcher macro = DIAGRAM_MACRO.matcher(macroLine);
        if (!macro.find()) {
            return problem;
        }
        String target = macro.group(1);
        for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
            target = target.replace("{" + attribute.getKey() + "}", String.valueOf(attribute.getValue()));
        }
        Path diagram = problem.file().getParent().resolve(target).normalize();
        Matcher line = PLANTUML_LINE.matcher(problem.message());
        String reason = problem.message().contains("Syntax Error") ? "PlantUML syntax error" : firstLine(problem.message());
        String usedAt = " (diagram used at " + problem.file().getFileName() + ":" + problem.line() + ")";
        return new Problem(diagram, line.find() ? Integer.parseInt(line.group(1)) : 0, reason + usedAt);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
