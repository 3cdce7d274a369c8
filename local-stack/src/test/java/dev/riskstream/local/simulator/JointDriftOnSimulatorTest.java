package dev.riskstream.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.drift.DriftEvaluation;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.ReferenceProfile;
import dev.riskstream.features.drift.ReferenceProfiler;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.training.FeatureReplay;
import dev.riskstream.training.FeatureRow;
import dev.riskstream.training.LabeledTransaction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift of the joint distribution that no feature's own distribution shows, on simulated traffic: a
 * day of transactions whose card spending over the last hour is taken from another transaction of
 * the same channel, country and merchant-category group (as a feature store read on the wrong key
 * would serve it). Every segment's values of it are then the same as before, in another order, so
 * every per-feature statistic of every segment is exactly what it was; only its relation to the
 * amount and the card's other sums has gone, and the reconstruction error through the training rows'
 * principal components sees that.
 */
class JointDriftOnSimulatorTest {

  private static final int REFERENCE_ROWS = 60_000;
  /** About a day: the simulator's mean is one transaction every 10 s. */
  private static final int WINDOW_ROWS = 8_000;
  private static final int SUM_1H = FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_AMOUNT_SUM_1H_LOG);
  private static final int PROFILE_MISSING = FeatureSpec.CURRENT.requireIndex(FeatureSpec.PROFILE_MISSING);

  private static DriftEvaluator evaluator;
  private static List<FeatureRow> window;

  @BeforeAll
  static void simulate() throws Exception {
    TransactionSimulator simulator = TransactionSimulator.builder().seed(7)
        .start(Instant.parse("2026-01-05T00:00:00Z")).build();
    List<LabeledTransaction> transactions = simulator.stream(REFERENCE_ROWS + WINDOW_ROWS)
        .map(simulated -> new LabeledTransaction(simulated.transaction(), simulated.fraud())).toList();
    List<FeatureRow> rows = new FeatureReplay(CurrencyRates.bundled(), ProfileSeeder.profiles(simulator.population()))
        .replay(transactions).rows();
    List<ReferenceProfiler.Row> reference = rows.subList(0, REFERENCE_ROWS).stream()
        .map(row -> new ReferenceProfiler.Row(row.features(), row.source().transaction(), row.fraud() ? 0.9 : 0.1))
        .toList();
    List<String> features = ModelBundle.load(Path.of("..", "models", "baseline")).manifest().input().features();
    ReferenceProfile profile = new ReferenceProfiler(features, new Segmenter(Segmenter.DEFAULT_DIMENSIONS),
        ReferenceProfiler.MIN_SEGMENT_ROWS).profile(reference);
    evaluator = new DriftEvaluator(profile, DriftThresholds.DEFAULTS);
    window = rows.subList(REFERENCE_ROWS, rows.size());
  }

  @Test
  void aFeatureTakenFromAnotherTransactionMovesTheJointDistributionWhileEveryMarginalHolds() {
    List<float[]> shuffled = hourSumsShuffledWithinCells(window);
    Map<String, WindowCounts> before = counts(window.stream().map(FeatureRow::features).toList());
    Map<String, WindowCounts> after = counts(shuffled);

    DriftEvaluation allBefore = evaluator.evaluate(Segmenter.ALL, before.get(Segmenter.ALL));
    DriftEvaluation allAfter = evaluator.evaluate(Segmenter.ALL, after.get(Segmenter.ALL));
    assertThat(allBefore.driftingFeatures()).as("a day like the reference's: %s", allBefore.features()).isZero();
    assertThat(allAfter.driftingFeatures()).isZero();
    assertThat(allBefore.joint().getDrifting()).as("%s", allBefore.joint()).isFalse();
    assertThat(allAfter.joint().getDrifting()).as("%s", allAfter.joint()).isTrue();
    assertThat(allAfter.joint().getReconstructionError()).isGreaterThan(allBefore.joint().getReconstructionError());
    before.forEach((segment, counts) -> {
      DriftEvaluation was = evaluator.evaluate(segment, counts);
      DriftEvaluation is = evaluator.evaluate(segment, after.get(segment));
      assertThat(is.features()).as("every feature of %s as before", segment).isEqualTo(was.features());
      assertThat(is.driftingFeatures()).isEqualTo(was.driftingFeatures());
    });
  }

  /** The window's feature vectors, each hour's sum replaced by that of a random row of its cell. */
  private static List<float[]> hourSumsShuffledWithinCells(List<FeatureRow> rows) {
    Map<String, List<float[]>> byCell = new HashMap<>();
    List<float[]> vectors = new ArrayList<>();
    for (FeatureRow row : rows) {
      float[] vector = row.features().clone();
      vectors.add(vector);
      byCell.computeIfAbsent(String.join("|", evaluator.segmenter().keysOf(row.source().transaction())),
          cell -> new ArrayList<>()).add(vector);
    }
    SplittableRandom random = new SplittableRandom(3);
    for (List<float[]> cell : byCell.values()) {
      for (int i = cell.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        float sum = cell.get(i)[SUM_1H];
        cell.get(i)[SUM_1H] = cell.get(j)[SUM_1H];
        cell.get(j)[SUM_1H] = sum;
      }
    }
    return vectors;
  }

  /** As the job's drift pre-aggregation counts them, the window's transactions with these vectors. */
  private static Map<String, WindowCounts> counts(List<float[]> vectors) {
    Map<String, WindowCounts> counts = new HashMap<>();
    for (int i = 0; i < vectors.size(); i++) {
      float[] vector = vectors.get(i);
      var transaction = window.get(i).source().transaction();
      double error = evaluator.reconstructionError(vector);
      for (String segment : evaluator.segmentsOf(transaction)) {
        WindowCounts segmentCounts = counts.computeIfAbsent(segment, key -> evaluator.binning().newCounts());
        evaluator.binning().add(segmentCounts, vector, transaction, window.get(i).fraud() ? 0.9 : 0.1,
            vector[PROFILE_MISSING] == 1f);
        segmentCounts.reconstructionErrorSum += error;
      }
    }
    return counts;
  }
}
