package dev.riskstream.features.estimation;

import java.io.Serializable;

/**
 * The expected confusion counts of scored transactions, from each one's calibrated fraud
 * probability: the mergeable accumulator of performance estimation. Per {@link ScoreBins} bin the
 * transactions and expected frauds (the sum of their probabilities), which give the AUC and the
 * totals; for the flagged (at or above the review threshold) and the declined, how many and their
 * expected frauds; and for all three groups the variance of their frauds (the sum of p(1 - p)); per step of the calibration the transactions
 * scored, flagged and declined, for the share of the error that comes from the calibration itself.
 * Every field is a sum, so counts of parts of a window add up to the counts of the whole; counts only
 * merge with counts of the same calibration.
 *
 * <p>A Flink POJO (public no-argument constructor, public fields), and {@link Serializable}.
 */
public final class ExpectedCounts implements Serializable {

  private static final long serialVersionUID = 1L;

  public double fraudVariance;
  /** At or above the review threshold. */
  public long flagged;
  public double expectedFraudFlagged;
  public double flaggedVariance;
  /** At or above the decline threshold. */
  public long declined;
  public double expectedFraudDeclined;
  public double declinedVariance;
  public long[] scoredByScoreBin = new long[ScoreBins.COUNT];
  public double[] expectedFraudByScoreBin = new double[ScoreBins.COUNT];
  public long[] scoredByStep;
  public long[] flaggedByStep;
  public long[] declinedByStep;

  /** For Flink's POJO serializer; use {@link PerformanceEstimator#newCounts()}. */
  public ExpectedCounts() {}

  ExpectedCounts(int steps) {
    scoredByStep = new long[steps];
    flaggedByStep = new long[steps];
    declinedByStep = new long[steps];
  }

  /**
   * @param probability the calibrated fraud probability of a transaction scored {@code score}
   * @param step the calibration step the probability was read from
   */
  void add(double score, double probability, int step, boolean isFlagged, boolean isDeclined) {
    double variance = probability * (1 - probability);
    fraudVariance += variance;
    if (isFlagged) {
      flagged++;
      expectedFraudFlagged += probability;
      flaggedVariance += variance;
      flaggedByStep[step]++;
    }
    if (isDeclined) {
      declined++;
      expectedFraudDeclined += probability;
      declinedVariance += variance;
      declinedByStep[step]++;
    }
    int bin = ScoreBins.of(score);
    scoredByScoreBin[bin]++;
    expectedFraudByScoreBin[bin] += probability;
    scoredByStep[step]++;
  }

  /** Adds {@code other}'s counts to these and returns these. */
  public ExpectedCounts merge(ExpectedCounts other) {
    if (other.scoredByStep.length != scoredByStep.length) {
      throw new IllegalArgumentException("counts of calibrations with " + scoredByStep.length + " and "
          + other.scoredByStep.length + " steps do not merge");
    }
    fraudVariance += other.fraudVariance;
    flagged += other.flagged;
    expectedFraudFlagged += other.expectedFraudFlagged;
    flaggedVariance += other.flaggedVariance;
    declined += other.declined;
    expectedFraudDeclined += other.expectedFraudDeclined;
    declinedVariance += other.declinedVariance;
    for (int i = 0; i < ScoreBins.COUNT; i++) {
      scoredByScoreBin[i] += other.scoredByScoreBin[i];
      expectedFraudByScoreBin[i] += other.expectedFraudByScoreBin[i];
    }
    for (int i = 0; i < scoredByStep.length; i++) {
      scoredByStep[i] += other.scoredByStep[i];
      flaggedByStep[i] += other.flaggedByStep[i];
      declinedByStep[i] += other.declinedByStep[i];
    }
    return this;
  }

  /** Transactions counted. */
  public long scored() {
    long scored = 0;
    for (long bin : scoredByScoreBin) {
      scored += bin;
    }
    return scored;
  }

  /** The sum of their fraud probabilities. */
  public double expectedFrauds() {
    double expected = 0;
    for (double bin : expectedFraudByScoreBin) {
      expected += bin;
    }
    return expected;
  }

  /** Either one's counts merged into the other; null when both are: for accumulators made on first use. */
  public static ExpectedCounts merged(ExpectedCounts a, ExpectedCounts b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.merge(b);
  }
}
