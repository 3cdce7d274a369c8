package dev.riskstream.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The help pages of a command line, its root's and every subcommand's. Picocli formats each
 * description with {@link String#format}, and prints one that does not format (a bare {@code %}) raw,
 * with a warning on standard error: {@link #warnings} is what it warned.
 */
public final class HelpPages {

  private HelpPages() {}

  /** The root and every command below it. */
  public static List<CommandLine> commands(Object cli) {
    List<CommandLine> commands = new ArrayList<>();
    collect(new CommandLine(cli), commands);
    return commands;
  }

  /** What picocli printed on standard error while rendering every help page; each page must not be blank. */
  public static String warnings(Object cli) {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    PrintStream standardError = System.err;
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      commands(cli).forEach(command -> {
        if (command.getUsageMessage().isBlank()) {
          throw new AssertionError("no help for " + command.getCommandName());
        }
      });
    } finally {
      System.setErr(standardError);
    }
    return warnings.toString(StandardCharsets.UTF_8);
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
