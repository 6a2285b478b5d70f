package dev.runnablesystemdesign.guide.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: the jar's own, as Maven wrote it into the manifest. */
final class GuideVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = GuideVersion.class.getPackage().getImplementationVersion();
        return new String[] {"guide " + (version == null ? "(development build)" : version)
                + " on Java " + Runtime.version()};
    }
}
