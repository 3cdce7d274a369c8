package dev.riskstream.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.training.FeatureReplay;
import dev.riskstream.training.ModelTrainer;
import dev.riskstream.training.LabeledTransaction;
import dev.riskstream.training.TrainingResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the baseline model on simulator data and writes its bundle. */
@Command(name = "train-baseline", mixinStandardHelpOptions = true,
    description = "Train the baseline logistic-regression bundle on simulated, labelled transactions.")
final class TrainBaselineCommand implements Callable<Integer> {

  /** Fixed so that the same command reproduces the same data, and so the same bundle. */
  static final Instant SIMULATION_START = Instant.parse("2026-01-05T00:00:00Z");

  @Option(names = "--transactions", defaultValue = "300000", description = "Simulated transactions (default ${DEFAULT-VALUE}).")
  int transactions;

  /** The baseline's training population; the demo serves the same customers by default. */
  static final String DEFAULT_SEED = "7";

  @Option(names = "--seed", defaultValue = DEFAULT_SEED, description = "Simulator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--model-version", defaultValue = "baseline-1", description = "Version of the bundle (default ${DEFAULT-VALUE}).")
  String modelVersion;

  @Option(names = "--out", required = true, description = "Bundle directory to create; never overwritten.")
  Path out;

  @Override
  public Integer call() throws Exception {
    TransactionSimulator simulator = TransactionSimulator.builder().seed(seed).start(SIMULATION_START).build();
    List<LabeledTransaction> data = simulator.stream(transactions)
        .map(simulated -> new LabeledTransaction(simulated.transaction(), simulated.fraud()))
        .toList();
    String command = String.format("./riskstream train-baseline --transactions %d --seed %d --model-version %s --out %s",
        transactions, seed, modelVersion, out);
    // the profiles the demo's lookup database holds for this population
    ProfileSource profiles = ProfileSeeder.profiles(simulator.population());
    FeatureReplay.Result replay = new FeatureReplay(CurrencyRates.bundled(), profiles).replay(data);
    TrainingResult result = new ModelTrainer(Clock.systemUTC()).train(replay.rows(), modelVersion, command, out);
    System.out.println("wrote " + result.bundleDirectory() + " (ONNX vs Tribuo max |diff| "
        + result.onnxTribuoMaxAbsDiff() + "; " + replay.skippedInvalid() + " invalid transactions left out)");
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.metrics()));
    return 0;
  }
}
