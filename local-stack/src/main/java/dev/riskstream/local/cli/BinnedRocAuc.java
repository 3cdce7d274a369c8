package dev.riskstream.local.cli;

import java.util.OptionalDouble;

/**
 * ROC AUC in fixed memory, however many scores come: fraud and legitimate scores are counted per bin
 * of width 1/{@value #BINS} of [0, 1], and a fraud and a legitimate score in the same bin count as a
 * tie (half a pair ranked right), as the exact rank statistic counts equal scores. Scores closer than
 * a bin apart are the only ones it may rank differently from the exact statistic.
 */
final class BinnedRocAuc {

  static final int BINS = 1 << 16;

  private final long[] fraud = new long[BINS];
  private final long[] legitimate = new long[BINS];
  private long fraudCount;
  private long legitimateCount;

  /** @param score a probability in [0, 1] */
  void add(double score, boolean isFraud) {
    int bin = (int) Math.min(BINS - 1, score * BINS);
    if (isFraud) {
      fraud[bin]++;
      fraudCount++;
    } else {
      legitimate[bin]++;
      legitimateCount++;
    }
  }

  /** The probability that a fraud scores above a legitimate transaction; empty until both have come. */
  OptionalDouble rocAuc() {
    if (fraudCount == 0 || legitimateCount == 0) {
      return OptionalDouble.empty();
    }
    double pairsRankedRight = 0;
    long legitimateBelow = 0;
    for (int bin = 0; bin < BINS; bin++) {
      pairsRankedRight += fraud[bin] * (legitimateBelow + legitimate[bin] / 2.0);
      legitimateBelow += legitimate[bin];
    }
    return OptionalDouble.of(pairsRankedRight / ((double) fraudCount * legitimateCount));
  }
}
