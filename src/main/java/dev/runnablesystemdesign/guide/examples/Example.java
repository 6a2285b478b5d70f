package dev.runnablesystemdesign.guide.examples;

import java.nio.file.Path;

/**
 * One example: a self-contained source file in the default package whose public class, named
 * after the file, has a {@code main} method. That shape is what lets a reader run it with
 * {@code java Name.java} or open it in {@code jshell} with nothing else on the class path.
 */
public record Example(String name, Path source) {

    public static Example of(Path source) {
        String fileName = source.getFileName().toString();
        if (!fileName.endsWith(".java")) {
            throw new IllegalArgumentException("not a Java source file: " + source);
        }
        return new Example(fileName.substring(0, fileName.length() - ".java".length()), source);
    }

    /** The statement a reader types into JShell after opening the file. */
    public String mainInvocation() {
        return name + ".main(new String[0]);";
    }

    public String fileName() {
        return name + ".java";
    }
}
