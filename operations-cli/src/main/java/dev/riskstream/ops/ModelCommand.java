package dev.riskstream.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream model}: looks at, scores, publishes, shadows, promotes and rolls back models; each
 * subcommand is a class of its own.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Inspect ONNX models, score rows with them, and publish, shadow, promote or roll back bundles in a "
        + "running job.",
    subcommands = {ModelScoreCommand.class, ModelInspectCommand.class, ModelPublishCommand.class,
        ModelRollbackCommand.class, ModelPromoteCommand.class, ModelEndShadowCommand.class})
public final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }
}
