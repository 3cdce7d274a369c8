package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.estimation.Calibration;
import dev.riskstream.features.estimation.ExpectedCounts;
import dev.riskstream.features.estimation.PerformanceEstimator;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.drift.DriftEvaluation;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.NumericBins;
import dev.riskstream.features.drift.ReferenceProfile;
import dev.riskstream.features.drift.ReferenceProfiler;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.DriftStatus;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelTrainerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path work;

  private static List<LabeledTransaction> transactions;
  private static FeatureReplay.Result replay;
  private static TrainingResult result;
  private static List<FeatureRow> heldOut;

  @BeforeAll
  static void trainOnce() throws Exception {
    transactions = SyntheticTransactions.generate(120, 20, 7);
    replay = new FeatureReplay(CurrencyRates.bundled(), ProfileSource.NONE).replay(transactions);
    result = train("baseline-1", "riskstream train --synthetic", work.resolve("baseline-1"));
    heldOut = TimeSplit.byEventTime(replay.rows(), ModelTrainer.TRAIN_FRACTION_OF_TIME_SPAN).test();
  }

  private static TrainingResult train(String version, String command, Path bundleDirectory) throws Exception {
    return new ModelTrainer(CLOCK).train(replay.rows(), version, command, bundleDirectory);
  }

  @Test
  void publishesABundleThatLoads() throws Exception {
    ModelBundle bundle = ModelBundle.load(result.bundleDirectory());

    assertThat(bundle.manifest()).isEqualTo(result.manifest());
    assertThat(bundle.version()).isEqualTo("baseline-1");
    assertThat(bundle.manifest().createdAt()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(bundle.manifest().training().command()).isEqualTo("riskstream train --synthetic");
    assertThat(bundle.manifest().featureVersions()).containsOnlyKeys(bundle.manifest().input().features());
  }

  @Test
  void recordsTheCalibrationOfItsHeldOutScoresForEstimatingPerformance() throws Exception {
    Calibration calibration = ModelBundle.load(result.bundleDirectory()).manifest().calibration();

    assertThat(calibration).isNotNull();
    assertThat(calibration.rows()).isEqualTo(result.manifest().training().testRows());
    assertThat(calibration.frauds()).isPositive();
    assertThat(calibration.steps()).isNotEmpty();
    // estimated on its own held-out rows, the review precision is the one measured there
    PerformanceEstimator estimator = new PerformanceEstimator(calibration, result.manifest().thresholds());
    ExpectedCounts counts = estimator.newCounts();
    List<FeatureRow> testRows = TimeSplit.byEventTime(
        new FeatureReplay(CurrencyRates.bundled(), ProfileSource.NONE).replay(transactions).rows(),
        ModelTrainer.TRAIN_FRACTION_OF_TIME_SPAN).test();
    try (OnnxBundleScorer scorer = new OnnxBundleScorer(ModelBundle.load(result.bundleDirectory()))) {
      for (double score : scorer.fraudProbabilities(testRows.stream().map(FeatureRow::features).toList())) {
        estimator.add(counts, score);
      }
    }
    assertThat(estimator.estimate(counts).getReviewPrecision())
        .isCloseTo(result.manifest().training().metrics().get("review_precision"), within(0.02));
  }

  @Test
  void recordsTheTrainingRowsDistributionForDriftMonitoring() throws Exception {
    ReferenceProfile reference = ModelBundle.load(result.bundleDirectory()).manifest().reference();

    assertThat(reference).isNotNull();
    assertThat(reference.features()).extracting(NumericBins::name)
        .containsExactlyInAnyOrderElementsOf(result.manifest().input().features());
    assertThat(reference.dimensions()).isEqualTo(Segmenter.DEFAULT_DIMENSIONS);
    assertThat(reference.segment(Segmenter.ALL).orElseThrow().rows()).isEqualTo(result.manifest().training().trainRows());
    assertThat(reference.segments().values()).allSatisfy(segment ->
        assertThat(segment.rows()).isGreaterThanOrEqualTo(ReferenceProfiler.MIN_SEGMENT_ROWS));
    assertThat(reference.score().binCount()).isBetween(2, ReferenceProfiler.NUMERIC_BINS);

    // the training rows, counted the way serving counts windows, do not drift from themselves
    DriftEvaluator evaluator = new DriftEvaluator(reference, DriftThresholds.DEFAULTS);
    List<FeatureRow> trainRows = TimeSplit.byEventTime(
        new FeatureReplay(CurrencyRates.bundled(), ProfileSource.NONE).replay(transactions).rows(),
        ModelTrainer.TRAIN_FRACTION_OF_TIME_SPAN).train();
    double[] scores;
    try (OnnxBundleScorer scorer = new OnnxBundleScorer(ModelBundle.load(result.bundleDirectory()))) {
      scores = scorer.fraudProbabilities(trainRows.stream().map(FeatureRow::features).toList());
    }
    WindowCounts window = evaluator.binning().newCounts();
    for (int i = 0; i < scores.length; i++) {
      float[] features = trainRows.get(i).features();
      evaluator.binning().add(window, features, trainRows.get(i).source().transaction(), scores[i],
          features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.PROFILE_MISSING)] == 1f);
    }
    DriftEvaluation evaluation = evaluator.evaluate(Segmenter.ALL, window);
    assertThat(evaluation.status()).isEqualTo(DriftStatus.STABLE);
    assertThat(evaluation.maxPsi()).isLessThan(1e-3);
  }

  @Test
  void recordsTheTensorNamesTheExportedModelHas() throws Exception {
    OnnxSignature signature = OnnxSignature.read(ModelBundle.load(result.bundleDirectory()).model());

    assertThat(result.manifest().input().name()).isEqualTo(signature.inputName()).isEqualTo("input");
    assertThat(result.manifest().output().name()).isEqualTo(signature.outputName()).isEqualTo("output");
    assertThat(signature.outputWidth()).isEqualTo(2);
  }

  @Test
  void takesTheColumnOrderFromTheModelNotFromTheSpecification() {
    List<String> columns = result.manifest().input().features();

    assertThat(columns).containsExactlyInAnyOrderElementsOf(FeatureSpec.CURRENT.names());
    // Tribuo numbers features alphabetically, which is not the specification's order
    assertThat(columns).isSorted().isNotEqualTo(FeatureSpec.CURRENT.names());
  }

  @Test
  void onnxRuntimeReproducesTribuoScores() {
    assertThat(result.onnxTribuoMaxAbsDiff()).isLessThan(1e-5);
  }

  @Test
  void ranksHeldOutFraudWell() {
    assertThat(result.metrics().get("roc_auc")).isGreaterThan(0.8);
  }

  @Test
  void choosesThresholdsByTheDocumentedRule() {
    ModelManifest.Thresholds thresholds = result.manifest().thresholds();

    assertThat(thresholds.review()).isLessThan(thresholds.decline());
    assertThat(result.metrics().get("review_rate")).isLessThanOrEqualTo(ThresholdRule.MAX_REVIEW_RATE);
    assertThat(result.metrics().get("review_precision")).isGreaterThanOrEqualTo(ThresholdRule.MIN_REVIEW_PRECISION);
    assertThat(result.metrics().get("decline_precision")).isGreaterThanOrEqualTo(ThresholdRule.MIN_DECLINE_PRECISION);
    assertThat(result.metrics()).containsKeys("review_recall", "decline_recall", "decline_rate",
        "train_fraud_rate", "test_fraud_rate");
  }

  @Test
  void countsTransactionsWithoutACurrencyRate() {
    long unknown = transactions.stream()
        .filter(t -> t.transaction().getCurrency().equals(SyntheticTransactions.UNKNOWN_CURRENCY)).count();

    assertThat(unknown).isPositive();
    assertThat(replay.skippedInvalid()).isEqualTo(unknown);
    assertThat(result.manifest().training().trainRows() + result.manifest().training().testRows())
        .isEqualTo(transactions.size() - unknown);
  }

  @Test
  void aManifestWithAnotherColumnOrderScoresDifferentlyAndFailsTheParityCheck() throws Exception {
    ModelBundle trained = ModelBundle.load(result.bundleDirectory());
    Path reversed = writeWithReversedColumns(trained, work.resolve("reversed-columns"));

    double[] asTrained = score(trained);

    assertThat(maxAbsDiff(asTrained, score(ModelBundle.load(reversed)))).isGreaterThan(0.1);
    // the scores of the correctly wired bundle stand in for Tribuo's, which they match to 1e-7
    assertThatThrownBy(() -> ModelTrainer.checkParity(reversed, heldOut, asTrained))
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("column order or fraud column");
    assertThat(ModelTrainer.checkParity(result.bundleDirectory(), heldOut, asTrained)).isLessThan(1e-5);
  }

  @Test
  void aManifestWithTheOtherClassIndexScoresTheComplement() throws Exception {
    ModelBundle trained = ModelBundle.load(result.bundleDirectory());
    ModelManifest manifest = trained.manifest();
    int otherClass = 1 - manifest.output().positiveClassIndex();
    Path flippedDirectory = work.resolve("other-class");
    ModelBundle.write(flippedDirectory,
        withOutput(manifest, ModelManifest.Output.column(manifest.output().name(), otherClass)), trained.model());

    double[] asTrained = score(trained);
    double[] flipped = score(ModelBundle.load(flippedDirectory));

    for (int i = 0; i < asTrained.length; i++) {
      assertThat(asTrained[i] + flipped[i]).isCloseTo(1.0, within(1e-5));
    }
    assertThat(maxAbsDiff(asTrained, flipped)).isGreaterThan(0.5);
  }

  @Test
  void retrainingTheSameDataReproducesTheBundle() throws Exception {
    TrainingResult again = train("baseline-1", "riskstream train --synthetic", work.resolve("again"));

    assertThat(again.manifest()).isEqualTo(result.manifest());
    assertThat(Files.readAllBytes(again.bundleDirectory().resolve(ModelBundle.MODEL_FILE)))
        .isEqualTo(Files.readAllBytes(result.bundleDirectory().resolve(ModelBundle.MODEL_FILE)));
  }

  @Test
  void neverOverwritesABundleNorLeavesStagingBehind() throws Exception {
    assertThatThrownBy(() -> train("baseline-1", "cmd", result.bundleDirectory()))
        .isInstanceOf(FileAlreadyExistsException.class);

    try (Stream<Path> entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("staging"));
    }
  }

  private static double[] score(ModelBundle bundle) throws Exception {
    try (OnnxBundleScorer scorer = new OnnxBundleScorer(bundle)) {
      return scorer.fraudProbabilities(heldOut.stream().map(FeatureRow::features).toList());
    }
  }

  private static double maxAbsDiff(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static Path writeWithReversedColumns(ModelBundle bundle, Path directory) throws Exception {
    ModelManifest m = bundle.manifest();
    List<String> reversed = new ArrayList<>(m.input().features());
    Collections.reverse(reversed);
    ModelManifest.Input input = new ModelManifest.Input(m.input().name(), reversed);
    ModelBundle.write(directory, new ModelManifest(m.formatVersion(), m.modelVersion(), m.createdAt(),
        m.modelSha256(), input, m.output(), m.featureVersions(), m.thresholds(), m.training()), bundle.model());
    return directory;
  }

  private static ModelManifest withOutput(ModelManifest m, ModelManifest.Output output) {
    return new ModelManifest(m.formatVersion(), m.modelVersion(), m.createdAt(), m.modelSha256(), m.input(), output,
        m.featureVersions(), m.thresholds(), m.training());
  }
}
