package dev.riskstream.local.cli;

import dev.riskstream.local.simulator.Labeller;
import java.time.Duration;
import picocli.CommandLine.Option;

/** When the simulated fraud labels come: the options of the commands that send labels beside transactions. */
final class LabelDelayOptions {

  @Option(names = "--label-delay",
      description = "Typical delay of a label after its transaction, in simulated time (10 s per transaction on "
          + "average); 93%% come within half to one and a half times it, 2%% three to five times later, 5%% never "
          + "(default ${DEFAULT-VALUE}).")
  Duration labelDelay = Duration.ofHours(1);

  /** Labels for the transactions of the simulator seeded with {@code simulatorSeed}. */
  Labeller labeller(long simulatorSeed) {
    return new Labeller(simulatorSeed, labelDelay);
  }
}
