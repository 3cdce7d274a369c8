package dev.riskstream.local.cli;

import dev.riskstream.local.simulator.Population;
import dev.riskstream.local.simulator.TransactionSimulator;
import picocli.CommandLine.Option;

/** Which simulated customers, merchants and cards: the simulator's and the lookup database's. */
final class PopulationOptions {

  @Option(names = "--population-seed",
      description = "Seed of the simulated customers, merchants and cards (default ${DEFAULT-VALUE}: those the baseline "
          + "model was trained on); the transactions' own seed is --seed.")
  long seed = Long.parseLong(TrainBaselineCommand.DEFAULT_SEED);

  /** Who the simulated transactions come from, and so whose profiles the lookup database needs. */
  Population population() {
    return TransactionSimulator.builder().populationSeed(seed).build().population();
  }
}
