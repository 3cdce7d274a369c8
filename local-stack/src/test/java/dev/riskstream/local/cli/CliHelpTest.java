package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written: picocli formats each description with
 * {@link String#format}, and prints one that does not format (a bare {@code %}) raw, with a warning on
 * standard error.
 */
class CliHelpTest {

  @Test
  void everyCommandsHelpRendersWithoutWarnings() {
    List<CommandLine> commands = new ArrayList<>();
    collect(new CommandLine(new RiskstreamCli()), commands);
    assertThat(commands).hasSizeGreaterThan(10);

    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    PrintStream standardError = System.err;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      commands.forEach(command -> assertThat(command.getUsageMessage()).isNotBlank());
    } finally {
      System.setErr(standardError);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
