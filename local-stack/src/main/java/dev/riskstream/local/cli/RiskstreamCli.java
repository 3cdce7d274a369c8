package dev.riskstream.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code riskstream}: runs the product on one machine. */
@Command(
    name = "riskstream",
    mixinStandardHelpOptions = true,
    version = "riskstream 0.1.0",
    description = "Real-time fraud scoring on Apache Flink with ONNX Runtime.",
    subcommands = {DemoCommand.class, BenchCommand.class, ClusterCommand.class, BatchScoreCommand.class,
        SimulateCommand.class, SeedProfilesCommand.class, TrainBaselineCommand.class, RetrainCommand.class,
        ModelCommand.class,
        CommandLine.HelpCommand.class})
public final class RiskstreamCli {

  public static void main(String[] args) {
    System.exit(new CommandLine(new RiskstreamCli()).execute(args));
  }
}
