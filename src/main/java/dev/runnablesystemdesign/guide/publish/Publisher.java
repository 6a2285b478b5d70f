package dev.runnablesystemdesign.guide.publish;

import java.io.PrintStream;
import java.nio.file.Path;

/** The publish stage's entry point: plan, print the plan, and apply it unless this is a dry run. */
public final class Publisher {

    private final Target target;
    private final PrintStream log;

    public Publisher(Target target, PrintStream log) {
        this.target = target;
        this.log = log;
    }

    public Plan publish(Path site, boolean dryRun) {
        SiteFiles files = SiteFiles.of(site);
        Plan plan = target.plan(files);
        plan.lines().forEach(log::println);
        if (plan.isEmpty()) {
            log.println("Nothing changed; nothing published.");
        } else if (dryRun) {
            log.printf("Dry run: %d to add, %d to change, %d to delete; nothing was sent.%n",
                    plan.added().size(), plan.changed().size(), plan.deleted().size());
        } else {
            target.apply(files, plan);
            log.printf("Published: %d added, %d changed, %d deleted.%n",
                    plan.added().size(), plan.changed().size(), plan.deleted().size());
        }
        return plan;
    }
}
