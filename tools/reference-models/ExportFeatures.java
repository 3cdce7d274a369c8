import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.training.FeatureReplay;
import dev.riskstream.training.FeatureRow;
import dev.riskstream.training.LabeledTransaction;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the features of simulated transactions as the serving code computes them, one CSV line per
 * transaction: the baseline bundle's 26 columns in its order, then the fraud label (0 or 1). The
 * reference models are trained on these rows, so that they are fed what the job would feed them.
 *
 * <p>Usage, from the repository root after a build: {@code java -cp "local-stack/target/classes:$(cat
 * local-stack/target/cli.classpath)" tools/reference-models/ExportFeatures.java TRANSACTIONS SEED > FILE}
 */
public class ExportFeatures {

  public static void main(String[] args) throws Exception {
    int transactions = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    TransactionSimulator simulator = TransactionSimulator.builder()
        .seed(seed).start(Instant.parse("2026-01-05T00:00:00Z")).build();
    List<LabeledTransaction> data = simulator.stream(transactions)
        .map(simulated -> new LabeledTransaction(simulated.transaction(), simulated.fraud()))
        .toList();
    FeatureReplay replay = new FeatureReplay(CurrencyRates.bundled(), ProfileSeeder.profiles(simulator.population()));
    ModelBundle baseline = ModelBundle.load(Path.of("models", "baseline"));
    float[] columns = new float[baseline.inputWidth()];
    PrintStream out = System.out;
    for (FeatureRow row : replay.replay(data).rows()) {
      baseline.toModelColumns(row.features(), columns);
      StringBuilder line = new StringBuilder();
      for (float value : columns) {
        line.append(value).append(',');
      }
      out.println(line.append(row.fraud() ? 1 : 0));
    }
  }
}
