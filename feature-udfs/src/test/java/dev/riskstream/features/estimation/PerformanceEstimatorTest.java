package dev.riskstream.features.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.schemas.EstimatedPerformance;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Confidence-based estimation on synthetic traffic whose true fraud probabilities are known: a model
 * that ranks by them but scores far above them (the square root of the probability, as a model
 * trained on re-weighted classes does), calibrated on one sample and estimated on windows of others.
 */
class PerformanceEstimatorTest {

  private static final int WINDOWS = 200;
  private static final int WINDOW_ROWS = 3_000;

  /** A window's realised figures, counted from its labels. */
  private record Realised(double reviewPrecision, double reviewRecall, double declinePrecision, double rocAuc) {}

  private record Window(ExpectedCounts expected, Realised realised) {}

  private final SplittableRandom random = new SplittableRandom(21);

  @Test
  void estimatesMatchRealisedPerformanceWithinTheirStatedErrors() {
    PerformanceEstimator estimator = calibratedEstimator();
    List<Window> windows = windows(estimator, 1.0);

    double[] reviewPrecisionZ = new double[WINDOWS];
    double[] reviewRecallZ = new double[WINDOWS];
    double[] declinePrecisionZ = new double[WINDOWS];
    double aucErrorSum = 0;
    for (int w = 0; w < WINDOWS; w++) {
      EstimatedPerformance estimate = estimator.estimate(windows.get(w).expected());
      Realised realised = windows.get(w).realised();
      reviewPrecisionZ[w] = (realised.reviewPrecision() - estimate.getReviewPrecision())
          / estimate.getReviewPrecisionError();
      reviewRecallZ[w] = (realised.reviewRecall() - estimate.getReviewRecall()) / estimate.getReviewRecallError();
      declinePrecisionZ[w] = (realised.declinePrecision() - estimate.getDeclinePrecision())
          / estimate.getDeclinePrecisionError();
      aucErrorSum += Math.abs(realised.rocAuc() - estimate.getRocAuc());
    }

    // when the calibration holds, the realised figure is the estimate plus noise of the stated size:
    // about 95% of windows within two standard errors, the errors of the size stated (the windows share
    // one calibration, and with it one part of their error, so their mean need not be near 0)
    for (double[] z : List.of(reviewPrecisionZ, reviewRecallZ, declinePrecisionZ)) {
      assertThat(shareWithin(z, 2)).isGreaterThan(0.9);
      assertThat(Math.sqrt(Arrays.stream(z).map(v -> v * v).average().orElseThrow())).isCloseTo(1, within(0.25));
    }
    // a window's AUC over some 90 frauds varies by about 0.025 on its own
    assertThat(aucErrorSum / WINDOWS).isLessThan(0.03);
  }

  @Test
  void theModelsOwnScoresReadAsProbabilitiesWouldBeFarOff() {
    // as if measured on so many rows that the curve itself were certain
    long rows = 1_000_000_000L;
    Calibration identity = new Calibration(Calibration.ISOTONIC,
        List.of(new Calibration.Step(0, 0, 0, rows), new Calibration.Step(1, 1, 1, rows)), 2 * rows, rows, 0);
    PerformanceEstimator raw = new PerformanceEstimator(identity, thresholds());
    List<Window> windows = windows(raw, 1.0);

    double meanOverestimate = windows.stream()
        .mapToDouble(w -> raw.estimate(w.expected()).getReviewPrecision() - w.realised().reviewPrecision())
        .average().orElseThrow();
    assertThat(meanOverestimate).isGreaterThan(0.15);
  }

  @Test
  void fraudThatChangesWhatItLooksLikeIsInvisibleToTheEstimate() {
    PerformanceEstimator estimator = calibratedEstimator();
    // twice the fraud at every score: a new attack the model scores as it scored the old traffic
    Window window = windows(estimator, 2.0).get(0);

    EstimatedPerformance estimate = estimator.estimate(window.expected());
    assertThat((window.realised().reviewPrecision() - estimate.getReviewPrecision())
        / estimate.getReviewPrecisionError()).isGreaterThan(4);
  }

  @Test
  void countsMergeByAddition() {
    PerformanceEstimator estimator = calibratedEstimator();
    ExpectedCounts whole = estimator.newCounts();
    ExpectedCounts first = estimator.newCounts();
    ExpectedCounts second = estimator.newCounts();
    for (int i = 0; i < 1_000; i++) {
      double score = random.nextDouble();
      estimator.add(whole, score);
      estimator.add(i % 3 == 0 ? first : second, score);
    }
    estimator.add(whole, Double.NaN);

    assertThat(estimator.estimate(ExpectedCounts.merged(first, second)))
        .usingRecursiveComparison()
        .withComparatorForType((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class)
        .isEqualTo(estimator.estimate(whole));
    assertThat(whole.scored()).isEqualTo(1_000);
    assertThat(ExpectedCounts.merged(null, first)).isSameAs(first);
  }

  private PerformanceEstimator calibratedEstimator() {
    int rows = 20_000;
    double[] scores = new double[rows];
    boolean[] fraud = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      double probability = trueProbability();
      scores[i] = score(probability);
      fraud[i] = random.nextDouble() < probability;
    }
    return new PerformanceEstimator(Calibration.fit(scores, fraud), thresholds());
  }

  /** Windows of fresh traffic, counted by the estimator and by their labels. */
  private List<Window> windows(PerformanceEstimator estimator, double fraudMultiplier) {
    ModelManifest.Thresholds thresholds = thresholds();
    return java.util.stream.IntStream.range(0, WINDOWS).mapToObj(w -> {
      ExpectedCounts expected = estimator.newCounts();
      long flagged = 0;
      long fraudFlagged = 0;
      long declined = 0;
      long fraudDeclined = 0;
      long frauds = 0;
      double[] fraudByBin = new double[ScoreBins.COUNT];
      double[] legitimateByBin = new double[ScoreBins.COUNT];
      for (int i = 0; i < WINDOW_ROWS; i++) {
        double probability = trueProbability();
        double score = score(probability);
        boolean fraud = random.nextDouble() < probability * fraudMultiplier;
        estimator.add(expected, score);
        frauds += fraud ? 1 : 0;
        (fraud ? fraudByBin : legitimateByBin)[ScoreBins.of(score)]++;
        if (score >= thresholds.review()) {
          flagged++;
          fraudFlagged += fraud ? 1 : 0;
        }
        if (score >= thresholds.decline()) {
          declined++;
          fraudDeclined += fraud ? 1 : 0;
        }
      }
      return new Window(expected, new Realised((double) fraudFlagged / flagged, (double) fraudFlagged / frauds,
          (double) fraudDeclined / declined, ScoreBins.rocAuc(fraudByBin, legitimateByBin)));
    }).toList();
  }

  /** Mostly small, a few percent large: about 3% fraud overall. */
  private double trueProbability() {
    return random.nextDouble() < 0.9 ? random.nextDouble() * 0.02 : 0.1 + random.nextDouble() * 0.3;
  }

  private static double score(double probability) {
    return Math.sqrt(probability);
  }

  /** About 6% reviewed, 2% declined. */
  private static ModelManifest.Thresholds thresholds() {
    return new ModelManifest.Thresholds(score(0.28), score(0.37));
  }

  private static double shareWithin(double[] z, double bound) {
    return Arrays.stream(z).filter(v -> Math.abs(v) <= bound).count() / (double) z.length;
  }
}
