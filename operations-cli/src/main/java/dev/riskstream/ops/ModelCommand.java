package dev.riskstream.ops;

import picocli.CommandLine.Command;

/**
 * {@code riskstream model}: looks at, scores, publishes, shadows, promotes and rolls back models; each
 * subcommand is a class of its own. Without one, picocli refuses the command line with the usage.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Inspect ONNX models, score rows with them, and publish, shadow, promote or roll back bundles in a "
        + "running job.",
    subcommands = {ModelScoreCommand.class, ModelInspectCommand.class, ModelBundleCommand.class, ModelPublishCommand.class,
        ModelRollbackCommand.class, ModelPromoteCommand.class, ModelEndShadowCommand.class})
public final class ModelCommand {}
