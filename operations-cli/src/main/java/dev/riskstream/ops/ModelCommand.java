package dev.riskstream.ops;

import picocli.CommandLine.Command;

/**
 * {@code riskstream model}: looks at, scores, publishes, shadows, promotes and rolls back models, and shows
 * what a running job scores with; each
 * subcommand is a class of its own. Without one, picocli refuses the command line with the usage.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Inspect ONNX models, score rows with them, publish, shadow, promote or roll back bundles in a "
        + "running job, and show what it scores with and its rollout.",
    subcommands = {ModelScoreCommand.class, ModelInspectCommand.class, ModelBundleCommand.class, ModelPublishCommand.class,
        ModelRollbackCommand.class, ModelPromoteCommand.class, ModelEndShadowCommand.class, ModelStatusCommand.class})
public final class ModelCommand {}
