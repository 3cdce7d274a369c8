package dev.riskstream.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code riskstream rules}: checks rule sets, publishes them to a running job, lists what it has. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "Check rule sets, publish them to a running job (rolling back is publishing an earlier one), and list "
        + "what was published and what the job did with it.",
    subcommands = {RulesCheckCommand.class, RulesPublishCommand.class, RulesListCommand.class})
public final class RulesCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }
}
