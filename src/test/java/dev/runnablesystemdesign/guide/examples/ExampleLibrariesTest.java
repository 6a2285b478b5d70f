package dev.runnablesystemdesign.guide.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExampleLibrariesTest {

    @TempDir
    Path folder;

    @Test
    void findsARequiredJarOnTheClassPathMavenWroteByItsFileName() throws Exception {
        Path classPath = Files.writeString(folder.resolve("cp.txt"),
                "/repo/org/x/lib/1.0/lib-1.0.jar:/repo/com/h2database/h2/2.4.240/h2-2.4.240.jar\n");

        ExampleLibraries libraries = ExampleLibraries.fromClassPathFile(classPath);

        assertEquals(Optional.of(Path.of("/repo/com/h2database/h2/2.4.240/h2-2.4.240.jar")),
                libraries.jar("com.h2database:h2:2.4.240"));
        assertEquals(Optional.empty(), libraries.jar("com.h2database:h2:2.3.232"));
    }

    @Test
    void withoutThatFileLooksWhereMavenKeepsJarsLocally() throws Exception {
        Path jar = folder.resolve("repo/com/h2database/h2/2.4.240/h2-2.4.240.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not really a jar");

        ExampleLibraries libraries = ExampleLibraries.inLocalRepository(folder.resolve("repo"));

        assertEquals(Optional.of(jar), libraries.jar("com.h2database:h2:2.4.240"));
        assertEquals(Optional.empty(), libraries.jar("org.example:absent:1.0"));
    }
}
