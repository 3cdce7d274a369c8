package dev.riskstream.features.estimation;

/**
 * The equal-width score bins that realised and estimated ROC AUC are both counted in, so that the
 * two are computed the same way and compare.
 */
public final class ScoreBins {

  public static final int COUNT = 100;

  private ScoreBins() {}

  /** The bin of a probability; values outside [0, 1] fall in the end bins. */
  public static int of(double score) {
    return Math.max(0, Math.min(COUNT - 1, (int) (score * COUNT)));
  }

  /**
   * The probability that a fraud scores above a legitimate transaction, ties (a shared bin) counting
   * half: the trapezoid under the ROC curve through the bin edges; null unless both classes are there.
   * The bins may be any equal-width bins of [0, 1], in order, as many for each class.
   */
  public static Double rocAuc(double[] fraudByBin, double[] legitimateByBin) {
    if (fraudByBin.length != legitimateByBin.length) {
      throw new IllegalArgumentException(fraudByBin.length + " fraud bins but " + legitimateByBin.length
          + " legitimate ones");
    }
    double frauds = 0;
    double legitimates = 0;
    double concordant = 0;
    for (int i = 0; i < fraudByBin.length; i++) {
      concordant += fraudByBin[i] * (legitimates + 0.5 * legitimateByBin[i]);
      legitimates += legitimateByBin[i];
      frauds += fraudByBin[i];
    }
    double pairs = frauds * legitimates;
    return pairs > 0 ? concordant / pairs : null;
  }
}
