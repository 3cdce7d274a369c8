package dev.riskstream.local.cli;

import dev.riskstream.features.estimation.ScoreBins;
import java.util.OptionalDouble;

/**
 * ROC AUC in fixed memory, however many scores come: fraud and legitimate scores are counted per bin
 * of width 1/{@value #BINS} of [0, 1], and a fraud and a legitimate score in the same bin count as a
 * tie (half a pair ranked right), as the exact rank statistic counts equal scores. Scores closer than
 * a bin apart are the only ones it may rank differently from the exact statistic.
 */
final class BinnedRocAuc {

  static final int BINS = 1 << 16;

  private final double[] fraud = new double[BINS];
  private final double[] legitimate = new double[BINS];

  /** @param score a probability in [0, 1] */
  void add(double score, boolean isFraud) {
    int bin = (int) Math.min(BINS - 1, score * BINS);
    (isFraud ? fraud : legitimate)[bin]++;
  }

  /** The probability that a fraud scores above a legitimate transaction; empty until both have come. */
  OptionalDouble rocAuc() {
    Double auc = ScoreBins.rocAuc(fraud, legitimate);
    return auc == null ? OptionalDouble.empty() : OptionalDouble.of(auc);
  }
}
