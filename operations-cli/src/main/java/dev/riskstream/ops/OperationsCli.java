package dev.riskstream.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code riskstream} beside a deployed job: its models, batch scoring and retraining, with nothing of
 * the local stack (broker, simulator, demo), which local-stack's {@code RiskstreamCli} adds.
 */
@Command(
    name = "riskstream",
    mixinStandardHelpOptions = true,
    version = OperationsCli.VERSION,
    description = "Operate a deployed riskstream job: publish, shadow, promote and roll back its models, score "
        + "bounded input in batch, retrain, export the served features, try scoring from Flink SQL.",
    subcommands = {BatchScoreCommand.class, RetrainCommand.class, MigrateLookupCommand.class, FeaturesCommand.class, ModelCommand.class,
        RulesCommand.class, SqlCommand.class, CommandLine.HelpCommand.class})
public final class OperationsCli {

  public static final String VERSION = "riskstream 0.1.0";

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperationsCli()).execute(args));
  }
}
