package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.ops.HelpPages;
import dev.riskstream.ops.OperationsCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliHelpTest {

  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    assertThat(HelpPages.commands(new RiskstreamCli())).hasSizeGreaterThan(15);
    assertThat(HelpPages.warnings(new RiskstreamCli())).isEmpty();
  }

  /** One CLI on a developer's machine: the local stack's commands and the operations commands. */
  @Test
  void offersEveryOperationsCommand() {
    assertThat(new CommandLine(new RiskstreamCli()).getSubcommands().keySet())
        .containsAll(new CommandLine(new OperationsCli()).getSubcommands().keySet());
  }
}
