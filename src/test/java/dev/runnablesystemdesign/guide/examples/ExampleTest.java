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
}
