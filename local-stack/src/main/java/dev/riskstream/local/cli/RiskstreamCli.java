package dev.riskstream.local.cli;

import dev.riskstream.ops.BatchScoreCommand;
import dev.riskstream.ops.FeaturesCommand;
import dev.riskstream.ops.MigrateLookupCommand;
import dev.riskstream.ops.ModelCommand;
import dev.riskstream.ops.OperationsCli;
import dev.riskstream.ops.RetrainCommand;
import dev.riskstream.ops.RulesCommand;
import dev.riskstream.ops.SqlCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code riskstream}: runs the product on one machine, and offers every command of {@link OperationsCli} too. */
@Command(
    name = "riskstream",
    mixinStandardHelpOptions = true,
    version = OperationsCli.VERSION,
    description = "Real-time fraud scoring on Apache Flink with ONNX Runtime.",
    subcommands = {DemoCommand.class, BenchCommand.class, SqlBenchCommand.class, ClusterCommand.class, BatchScoreCommand.class,
        SimulateCommand.class, ProbeCommand.class, SeedProfilesCommand.class, MigrateLookupCommand.class, TrainBaselineCommand.class,
        RetrainCommand.class, FeaturesCommand.class,
        ModelCommand.class, RulesCommand.class, SqlCommand.class,
        CommandLine.HelpCommand.class})
public final class RiskstreamCli {

  public static void main(String[] args) {
    System.exit(new CommandLine(new RiskstreamCli()).execute(args));
  }
}
