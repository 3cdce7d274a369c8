package dev.riskstream.features.estimation;

import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.schemas.EstimatedPerformance;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Confidence-based performance estimation of one model version: turns each score into a fraud
 * probability through the version's {@link Calibration}, counts the expectations at the version's
 * thresholds ({@link ExpectedCounts}) and reads the expected precision, recall and ROC AUC from
 * them, each (but the AUC) with its standard error.
 *
 * <p>The figures are ratios of expectations (expected frauds caught over flagged, ...): with a few
 * hundred transactions or more they are within a small fraction of a standard error of the expected
 * ratios. A standard error has two parts: the window's own chance (the realised frauds are Bernoulli
 * draws of the probabilities: their variance is the sum of p(1 - p)) and the calibration's (each
 * step's rate is a proportion of its held-out rows, and every transaction on a step shares its
 * error: the step's variance times the square of its transactions). A recall's combines the caught
 * and the missed frauds' by the delta method, as if independent. Immutable and {@link Serializable};
 * adding allocates nothing.
 */
public final class PerformanceEstimator implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double[] stepLowScores;
  private final double[] stepVariances;
  private final double[] knotScores;
  private final double[] knotProbabilities;
  private final double review;
  private final double decline;

  public PerformanceEstimator(Calibration calibration, ModelManifest.Thresholds thresholds) {
    List<Calibration.Step> steps = calibration.steps();
    stepLowScores = steps.stream().mapToDouble(Calibration.Step::lowScore).toArray();
    stepVariances = steps.stream().mapToDouble(PerformanceEstimator::rateVariance).toArray();
    List<double[]> knots = new ArrayList<>();
    for (Calibration.Step step : steps) {
      knots.add(new double[] {step.lowScore(), step.probability()});
      if (step.highScore() > step.lowScore()) {
        knots.add(new double[] {step.highScore(), step.probability()});
      }
    }
    knotScores = knots.stream().mapToDouble(knot -> knot[0]).toArray();
    knotProbabilities = knots.stream().mapToDouble(knot -> knot[1]).toArray();
    review = thresholds.review();
    decline = thresholds.decline();
  }

  public ExpectedCounts newCounts() {
    return new ExpectedCounts(stepLowScores.length);
  }

  /** Counts a transaction the model scored {@code score}; one it gave no probability (NaN) is left out. */
  public void add(ExpectedCounts counts, double score) {
    if (!Double.isNaN(score)) {
      counts.add(score, probability(score), step(score), score >= review, score >= decline);
    }
  }

  /** The calibrated fraud probability of {@code score}. */
  public double probability(double score) {
    int last = knotScores.length - 1;
    if (score <= knotScores[0]) {
      return knotProbabilities[0];
    }
    if (score >= knotScores[last]) {
      return knotProbabilities[last];
    }
    int at = Arrays.binarySearch(knotScores, score);
    if (at >= 0) {
      return knotProbabilities[at];
    }
    int upper = -at - 1;
    int lower = upper - 1;
    double share = (score - knotScores[lower]) / (knotScores[upper] - knotScores[lower]);
    return knotProbabilities[lower] + share * (knotProbabilities[upper] - knotProbabilities[lower]);
  }

  /** The last step starting at or below {@code score}, the first below them all. */
  private int step(double score) {
    int at = Arrays.binarySearch(stepLowScores, score);
    return at >= 0 ? at : Math.max(0, -at - 2);
  }

  /** The figures the counts lead to. */
  public EstimatedPerformance estimate(ExpectedCounts counts) {
    double expectedFrauds = counts.expectedFrauds();
    double caughtVariance = counts.flaggedVariance + calibrationVariance(counts.flaggedByStep, null);
    double missed = expectedFrauds - counts.expectedFraudFlagged;
    double missedVariance = counts.fraudVariance - counts.flaggedVariance
        + calibrationVariance(counts.scoredByStep, counts.flaggedByStep);
    double declinedVariance = counts.declinedVariance + calibrationVariance(counts.declinedByStep, null);
    double notDeclined = expectedFrauds - counts.expectedFraudDeclined;
    double notDeclinedVariance = counts.fraudVariance - counts.declinedVariance
        + calibrationVariance(counts.scoredByStep, counts.declinedByStep);
    double[] legitimateByBin = new double[ScoreBins.COUNT];
    for (int i = 0; i < ScoreBins.COUNT; i++) {
      legitimateByBin[i] = Math.max(0, counts.scoredByScoreBin[i] - counts.expectedFraudByScoreBin[i]);
    }
    return EstimatedPerformance.newBuilder()
        .setScored(counts.scored())
        .setExpectedFrauds(expectedFrauds)
        .setReviewPrecision(ratio(counts.expectedFraudFlagged, counts.flagged))
        .setReviewPrecisionError(precisionError(caughtVariance, counts.flagged))
        .setReviewRecall(ratio(counts.expectedFraudFlagged, expectedFrauds))
        .setReviewRecallError(recallError(counts.expectedFraudFlagged, caughtVariance, missed, missedVariance))
        .setDeclinePrecision(ratio(counts.expectedFraudDeclined, counts.declined))
        .setDeclinePrecisionError(precisionError(declinedVariance, counts.declined))
        .setDeclineRecall(ratio(counts.expectedFraudDeclined, expectedFrauds))
        .setDeclineRecallError(
            recallError(counts.expectedFraudDeclined, declinedVariance, notDeclined, notDeclinedVariance))
        .setRocAuc(ScoreBins.rocAuc(counts.expectedFraudByScoreBin, legitimateByBin))
        .build();
  }

  /**
   * The variance of a step's rate as a proportion of its rows, with half a fraud added to both
   * classes' counts: a step without a fraud among its rows is not certain to have none.
   */
  private static double rateVariance(Calibration.Step step) {
    double rate = (step.probability() * step.rows() + 0.5) / (step.rows() + 1);
    return rate * (1 - rate) / step.rows();
  }

  /** The variance the calibration adds to the expected frauds among {@code counts} (less {@code minus}) per step. */
  private double calibrationVariance(long[] counts, long[] minus) {
    double variance = 0;
    for (int step = 0; step < counts.length; step++) {
      double n = counts[step] - (minus == null ? 0 : minus[step]);
      variance += n * n * stepVariances[step];
    }
    return variance;
  }

  private static Double ratio(double part, double whole) {
    return whole > 0 ? part / whole : null;
  }

  private static Double precisionError(double variance, long flagged) {
    return flagged > 0 ? Math.sqrt(Math.max(0, variance)) / flagged : null;
  }

  /** Of caught / (caught + missed). */
  private static Double recallError(double caught, double caughtVariance, double missed, double missedVariance) {
    double total = caught + missed;
    if (!(total > 0)) {
      return null;
    }
    double variance = (missed * missed * Math.max(0, caughtVariance) + caught * caught * Math.max(0, missedVariance))
        / (total * total * total * total);
    return Math.sqrt(variance);
  }
}
