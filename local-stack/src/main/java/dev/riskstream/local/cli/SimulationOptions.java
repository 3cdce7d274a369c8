package dev.riskstream.local.cli;

import dev.riskstream.local.simulator.TransactionSimulator;
import java.time.Instant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the transaction simulator sends, and how fast: the options of every command that runs it. */
final class SimulationOptions {

  @Option(names = "--rate", description = "Simulated transactions per second (default ${DEFAULT-VALUE}).")
  double rate = 2000;

  @Option(names = "--drift", description = "Start the simulator in its drifted regime.")
  boolean drift;

  @Option(names = "--drift-at", description = "Switch the simulator to its drifted regime after this many transactions.")
  Long driftAt;

  @Option(names = "--seed", description = "Simulator seed (default ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--start", description = "When the simulated clock starts, an ISO-8601 instant (default: now). "
      + "Daily windows and the hour of day follow it, so with the same seeds the same start replays the same traffic.")
  Instant start;

  @Mixin PopulationOptions population;

  /** The simulator; its own clock sets event time from {@code --start} on, so cards behave alike at any rate. */
  TransactionSimulator simulator() {
    TransactionSimulator.Builder simulator = TransactionSimulator.builder().seed(seed).populationSeed(population.seed)
        .start(start == null ? Instant.now() : start).drift(drift);
    if (driftAt != null) {
      simulator.driftAt(driftAt);
    }
    return simulator.build();
  }
}
