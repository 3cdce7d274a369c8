package dev.riskstream.local.cli;

import picocli.CommandLine.Command;

/** {@code riskstream model ...}: work with model files and bundles. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Publish, roll back and examine models.",
    subcommands = {ModelPublishCommand.class, ModelRollbackCommand.class})
final class ModelCommand {}
