package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliHelpTest {

  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    assertThat(HelpPages.commands(new OperationsCli())).hasSizeGreaterThan(8);
    assertThat(HelpPages.warnings(new OperationsCli())).isEmpty();
  }
}
