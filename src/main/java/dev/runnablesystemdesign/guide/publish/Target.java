package dev.runnablesystemdesign.guide.publish;

/**
 * Somewhere a built site is published. Planning only reads the target; applying a plan changes it
 * in an order that keeps the previously published site whole until the new one is complete.
 */
public interface Target extends AutoCloseable {

    /** Compares the site with what the target holds now. */
    Plan plan(SiteFiles site);

    /** Makes the target hold the site; does nothing when the plan is empty. */
    void apply(SiteFiles site, Plan plan);

    /** Releases connections; a target that holds none has nothing to do. */
    @Override
    default void close() {
    }
}
