package dev.riskstream.training;

import dev.riskstream.features.estimation.Calibration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Fraud scores of held-out rows next to their labels, and the metrics computed from them. */
public final class HeldOutScores {

  /**
   * What a threshold does on the held-out rows.
   *
   * @param flagged rows scored at or above the threshold
   * @param caughtFraud fraud rows among them
   */
  public record AtThreshold(double threshold, int flagged, int caughtFraud, int rows, int fraudRows) {

    /** Share of flagged rows that are fraud; 0 when nothing is flagged. */
    public double precision() {
      return flagged == 0 ? 0 : (double) caughtFraud / flagged;
    }

    public double recall() {
      return fraudRows == 0 ? 0 : (double) caughtFraud / fraudRows;
    }

    public double flaggedRate() {
      return (double) flagged / rows;
    }
  }

  private final double[] scores;
  private final boolean[] fraud;
  private final int fraudCount;

  public HeldOutScores(double[] scores, boolean[] fraud) {
    if (scores.length != fraud.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + fraud.length + " labels");
    }
    this.scores = scores.clone();
    this.fraud = fraud.clone();
    int count = 0;
    for (boolean f : fraud) {
      count += f ? 1 : 0;
    }
    this.fraudCount = count;
  }

  public int size() {
    return scores.length;
  }

  public int fraudCount() {
    return fraudCount;
  }

  public double fraudRate() {
    return (double) fraudCount / scores.length;
  }

  /**
   * Area under the ROC curve: the probability that a random fraud scores above a random legitimate
   * transaction, ties counting half (Mann-Whitney U with average ranks).
   */
  public double rocAuc() {
    int legitCount = scores.length - fraudCount;
    if (fraudCount == 0 || legitCount == 0) {
      throw new IllegalStateException("ROC AUC needs both fraud and legitimate rows");
    }
    Integer[] ascending = rowsSortedBy(Comparator.naturalOrder());
    double fraudRankSum = 0;
    int i = 0;
    while (i < ascending.length) {
      int tieEnd = i;
      while (tieEnd + 1 < ascending.length && scores[ascending[tieEnd + 1]] == scores[ascending[i]]) {
        tieEnd++;
      }
      double averageRank = (i + tieEnd) / 2.0 + 1;
      for (int k = i; k <= tieEnd; k++) {
        fraudRankSum += fraud[ascending[k]] ? averageRank : 0;
      }
      i = tieEnd + 1;
    }
    return (fraudRankSum - fraudCount * (fraudCount + 1) / 2.0) / ((double) fraudCount * legitCount);
  }

  /** What the scores mean as fraud probabilities on these rows: for estimating performance without labels. */
  public Calibration calibration() {
    return Calibration.fit(scores, fraud);
  }

  /** What flagging every row scored at or above {@code threshold} would do. */
  public AtThreshold at(double threshold) {
    int flagged = 0;
    int caught = 0;
    for (int row = 0; row < scores.length; row++) {
      if (scores[row] >= threshold) {
        flagged++;
        caught += fraud[row] ? 1 : 0;
      }
    }
    return new AtThreshold(threshold, flagged, caught, scores.length, fraudCount);
  }

  /** The fraud rows, by position, that flagging every row scored at or above {@code threshold} catches. */
  public BitSet fraudCaughtAt(double threshold) {
    BitSet caught = new BitSet(scores.length);
    for (int row = 0; row < scores.length; row++) {
      caught.set(row, fraud[row] && scores[row] >= threshold);
    }
    return caught;
  }

  /**
   * The most rows this model flags without flagging more than {@code flagged}: its operating point at
   * another model's alert volume. Rows with equal scores are flagged together, so it may flag fewer.
   */
  public AtThreshold atVolume(int flagged) {
    AtThreshold within = new AtThreshold(Double.POSITIVE_INFINITY, 0, 0, scores.length, fraudCount);
    for (AtThreshold point : sweep()) {
      if (point.flagged() > flagged) {
        break;
      }
      within = point;
    }
    return within;
  }

  /**
   * Every distinct score as a threshold, highest first: the only thresholds at which precision and
   * recall change.
   */
  public AtThreshold[] sweep() {
    Integer[] descending = rowsSortedBy(Comparator.reverseOrder());
    AtThreshold[] points = new AtThreshold[scores.length];
    int count = 0;
    int caught = 0;
    int i = 0;
    while (i < descending.length) {
      double threshold = scores[descending[i]];
      // rows with equal scores are flagged together, so they enter as one step
      while (i < descending.length && scores[descending[i]] == threshold) {
        caught += fraud[descending[i]] ? 1 : 0;
        i++;
      }
      points[count++] = new AtThreshold(threshold, i, caught, scores.length, fraudCount);
    }
    return Arrays.copyOf(points, count);
  }

  private Integer[] rowsSortedBy(Comparator<Double> scoreOrder) {
    Integer[] rows = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(rows, Comparator.comparing(row -> scores[row], scoreOrder));
    return rows;
  }
}
