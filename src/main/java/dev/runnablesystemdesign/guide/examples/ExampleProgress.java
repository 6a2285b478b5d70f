package dev.runnablesystemdesign.guide.examples;

/** Told each time an example has been verified (or found verified earlier), with how far the stage has got. */
@FunctionalInterface
public interface ExampleProgress {

    ExampleProgress NONE = (example, done, total) -> { };

    void finished(Example example, int done, int total);
}
