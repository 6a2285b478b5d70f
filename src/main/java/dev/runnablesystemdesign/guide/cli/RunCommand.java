package dev.runnablesystemdesign.guide.cli;

import dev.runnablesystemdesign.guide.examples.Example;
import dev.runnablesystemdesign.guide.examples.ExampleCatalog;
import dev.runnablesystemdesign.guide.examples.ExampleLibraries;
import dev.runnablesystemdesign.guide.examples.ExampleRun;
import dev.runnablesystemdesign.guide.examples.JShellExampleRunner;
import dev.runnablesystemdesign.guide.project.BuildFailedException;
import dev.runnablesystemdesign.guide.project.GuideLayout;
import dev.runnablesystemdesign.guide.project.Problem;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run examples through JShell, as the build does, and print their output.",
        description = "Runs each named example in a fresh JShell, within the example time limit, and prints what it printed.")
final class RunCommand implements Runnable {

    @Mixin
    GuideOptions options;

    @Parameters(paramLabel = "EXAMPLE", arity = "1..*",
            description = "Example names, such as ConsistentHashRing (the file name without .java).")
    List<String> names;

    @Override
    public void run() {
        GuideLayout layout = options.layout();
        List<Example> examples = ExampleCatalog.scan(layout.examples()).examples();
        JShellExampleRunner runner = new JShellExampleRunner(options.exampleTimeLimit(),
                ExampleLibraries.fromClassPathFile(layout.exampleClassPath()));
        for (String name : names) {
            Example example = examples.stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow(() -> new BuildFailedException("Running " + name, List.of(Problem.in(layout.examples(),
                            "no example named " + name + "; known: "
                                    + examples.stream().map(Example::name).toList()))));
            ExampleRun run = runner.run(example);
            System.out.print(run.output());
            if (!run.succeeded()) {
                throw new BuildFailedException("Running " + name, run.problems().stream()
                        .map(p -> new Problem(layout.relative(p.file()), p.line(), p.message())).toList());
            }
        }
    }
}
