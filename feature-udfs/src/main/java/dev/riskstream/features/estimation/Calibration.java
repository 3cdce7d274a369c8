package dev.riskstream.features.estimation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a model's score means as a fraud probability, measured on the held-out rows of its training
 * and frozen in the bundle's manifest: the isotonic regression of the labels on the scores (the
 * non-decreasing step function closest to the labels, by pool-adjacent-violators), read between its
 * steps by linear interpolation and held flat beyond the scores it saw. Performance estimation turns
 * every live score into a probability through it.
 *
 * <p>A model need not be calibrated to be estimated: a model trained on re-weighted classes scores
 * far above the fraud rate, and the curve maps its scores back to the rates seen. What the curve
 * cannot fix is a ranking that changes, or fraud that changes what it looks like: the same score
 * meaning more or less fraud on live traffic than on the held-out rows. {@code rawCalibrationError}
 * says how far the model's own scores were from the fraud rates; the estimate's own error shows once
 * labels arrive, beside the realised figures.
 *
 * @param method {@value #ISOTONIC}
 * @param steps the curve's steps, by ascending score: between two steps it rises linearly
 * @param rows held-out rows it was measured on
 * @param frauds fraud rows among them
 * @param rawCalibrationError expected calibration error of the model's own scores on those rows: the
 *     row-weighted mean distance between mean score and fraud rate over ten bins of equal rows
 */
public record Calibration(String method, List<Step> steps, long rows, long frauds, double rawCalibrationError)
    implements Serializable {

  public static final String ISOTONIC = "isotonic";
  private static final int ERROR_BINS = 10;

  /**
   * Held-out rows pooled into one fraud rate.
   *
   * @param lowScore the lowest score pooled
   * @param highScore the highest
   * @param probability their fraud rate
   * @param rows how many: the rate's own uncertainty is that of a proportion of this many
   */
  public record Step(double lowScore, double highScore, double probability, long rows) implements Serializable {}

  public Calibration {
    steps = List.copyOf(steps);
    if (!ISOTONIC.equals(method)) {
      throw new IllegalArgumentException("unknown calibration method '" + method + "'; known: " + ISOTONIC);
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a calibration needs at least one step");
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Step previous = i == 0 ? null : steps.get(i - 1);
      if (!(step.probability() >= 0 && step.probability() <= 1) || step.rows() <= 0
          || step.highScore() < step.lowScore()
          || previous != null && (step.lowScore() <= previous.highScore() || step.probability() < previous.probability())) {
        throw new IllegalArgumentException("a calibration's steps ascend in score, their probabilities in [0, 1] do "
            + "not fall and each pools rows; step " + i + " is " + step);
      }
    }
  }

  /** The isotonic calibration of {@code scores} by {@code fraud}, which must hold both classes. */
  public static Calibration fit(double[] scores, boolean[] fraud) {
    if (scores.length != fraud.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + fraud.length + " labels");
    }
    int[] order = IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble(row -> scores[row])).mapToInt(Integer::intValue).toArray();
    long frauds = IntStream.range(0, fraud.length).filter(row -> fraud[row]).count();
    if (frauds == 0 || frauds == scores.length) {
      throw new IllegalArgumentException("calibration needs fraud and legitimate rows; there are " + frauds
          + " fraud of " + scores.length);
    }
    List<Block> blocks = new ArrayList<>();
    for (int row : order) {
      Block last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
      if (last != null && last.highScore == scores[row]) {
        last.add(fraud[row]); // equal scores must get one probability
      } else {
        blocks.add(new Block(scores[row], fraud[row]));
      }
      while (blocks.size() > 1 && blocks.get(blocks.size() - 2).rate() >= blocks.get(blocks.size() - 1).rate()) {
        blocks.get(blocks.size() - 2).absorb(blocks.remove(blocks.size() - 1));
      }
    }
    List<Step> steps = blocks.stream()
        .map(block -> new Step(block.lowScore, block.highScore, block.rate(), block.rows)).toList();
    return new Calibration(ISOTONIC, steps, scores.length, frauds, expectedCalibrationError(scores, fraud, order));
  }

  private static double expectedCalibrationError(double[] scores, boolean[] fraud, int[] ascending) {
    double error = 0;
    for (int bin = 0; bin < ERROR_BINS; bin++) {
      int from = (int) ((long) ascending.length * bin / ERROR_BINS);
      int to = (int) ((long) ascending.length * (bin + 1) / ERROR_BINS);
      double scoreSum = 0;
      int fraudCount = 0;
      for (int i = from; i < to; i++) {
        scoreSum += scores[ascending[i]];
        fraudCount += fraud[ascending[i]] ? 1 : 0;
      }
      error += Math.abs(scoreSum - fraudCount) / ascending.length;
    }
    return error;
  }


  /** Rows pooled into one step of the curve. */
  private static final class Block {
    private final double lowScore;
    private double highScore;
    private long rows;
    private long frauds;

    Block(double score, boolean fraud) {
      lowScore = score;
      highScore = score;
      add(fraud);
    }

    void add(boolean fraud) {
      rows++;
      frauds += fraud ? 1 : 0;
    }

    void absorb(Block next) {
      highScore = next.highScore;
      rows += next.rows;
      frauds += next.frauds;
    }

    double rate() {
      return (double) frauds / rows;
    }
  }
}
