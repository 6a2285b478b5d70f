package dev.runnablesystemdesign.guide.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExampleTest {

    @Test
    void withoutDeclaredOptionsTheCommandsAreTheReadersPlainOnes() {
        Example example = new Example("Ring", Path.of("Ring.java"), List.of());

        assertEquals("java Ring.java", example.javaCommand());
        assertEquals("echo 'Ring.main(new String[0]);' | jshell -q Ring.java -", example.jshellCommand());
    }

    @Test
    void declaredJavaOptionsReachBothCommandsJShellsThroughItsRemoteVm() {
        List<String> options = Example.javaOptions("""
                import java.util.List;

                // java-options: -XX:+UseSerialGC   -Xmx64m
                public class Heap { }
                """);
        Example example = new Example("Heap", Path.of("Heap.java"), options);

        assertEquals(List.of("-XX:+UseSerialGC", "-Xmx64m"), options);
        assertEquals("java -XX:+UseSerialGC -Xmx64m Heap.java", example.javaCommand());
        assertEquals("echo 'Heap.main(new String[0]);' | jshell -R-XX:+UseSerialGC -R-Xmx64m -q Heap.java -",
                example.jshellCommand());
    }

    @Test
    void aRequiredJarGoesOnBothClassPathsByItsFileName() {
        List<String> requires = Example.requires("// requires: com.h2database:h2:2.4.240\npublic class Db { }\n");
        Example example = new Example("Db", Path.of("Db.java"), List.of("-Xmx64m"), requires);

        assertEquals(List.of("com.h2database:h2:2.4.240"), requires);
        assertEquals("java -cp h2-2.4.240.jar -Xmx64m Db.java", example.javaCommand());
        assertEquals("echo 'Db.main(new String[0]);' | jshell --class-path h2-2.4.240.jar -R-Xmx64m -q Db.java -",
                example.jshellCommand());
        assertEquals("https://repo1.maven.org/maven2/com/h2database/h2/2.4.240/h2-2.4.240.jar",
                Example.downloadUrl("com.h2database:h2:2.4.240"));
    }

    @Test
    void requirementsThatAreNotMavenCoordinatesAreRejected() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Example("Db", Path.of("Db.java"), List.of(), List.of("h2.jar")));
    }
}
