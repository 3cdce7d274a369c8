package dev.riskstream.ops;

import picocli.CommandLine.Command;

/**
 * {@code riskstream rules}: checks rule sets, publishes them to a running job, lists what it has. Without a
 * subcommand, picocli refuses the command line with the usage.
 */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "Check rule sets, publish them to a running job (rolling back is publishing an earlier one), and list "
        + "what was published and what the job did with it.",
    subcommands = {RulesCheckCommand.class, RulesBacktestCommand.class, RulesPublishCommand.class, RulesListCommand.class})
public final class RulesCommand {}
