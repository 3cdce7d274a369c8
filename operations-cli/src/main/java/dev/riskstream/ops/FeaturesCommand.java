package dev.riskstream.ops;

import picocli.CommandLine.Command;

/**
 * {@code riskstream features}: what serving computed, for work outside riskstream. Without a
 * subcommand, picocli refuses the command line with the usage.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Export the features the job served, with their labels, for training outside riskstream.",
    subcommands = {FeaturesExportCommand.class})
public final class FeaturesCommand {}
