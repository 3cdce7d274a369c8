package dev.riskstream.features.evaluation;

import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * DeLong's test of two ROC AUCs on the same cases, from scores binned on a grid: each case is a
 * cell {@code aBin * bins + bBin} of the two models' score bins, counted per class. A fraud and a
 * legitimate case in the same bin of a model count as half concordant, as the AUC from bins does;
 * with scores that differ within a bin, both AUCs and the test are those of the binned scores.
 * DeLong, DeLong and Clarke-Pearson (1988): the AUC difference over its standard error, whose
 * variance comes from each case's placement values under both models, is asymptotically normal.
 */
public final class PairedAuc {

  private PairedAuc() {}

  /**
   * @param aucA model A's ROC AUC
   * @param aucB model B's
   * @param pValueAHigher one-sided: the chance of A's AUC exceeding B's by this much if both ranked
   *     alike; 1 when the difference has no variance (both rank every pair alike)
   * @param pValueALower the other side
   */
  public record Comparison(double aucA, double aucB, double pValueAHigher, double pValueALower) {}

  /** Null unless both classes have cases. */
  public static Comparison compare(Map<Integer, Long> frauds, Map<Integer, Long> legitimate, int bins) {
    long fraudCount = total(frauds);
    long legitimateCount = total(legitimate);
    if (fraudCount == 0 || legitimateCount == 0) {
      return null;
    }
    // per model, cases per score bin of each class
    long[] fraudA = new long[bins];
    long[] fraudB = new long[bins];
    long[] legitimateA = new long[bins];
    long[] legitimateB = new long[bins];
    marginals(frauds, bins, fraudA, fraudB);
    marginals(legitimate, bins, legitimateA, legitimateB);
    // placement of a fraud in a bin: the share of legitimate cases it outranks; of a legitimate case,
    // the share of frauds that outrank it
    double[] fraudPlacementA = placements(legitimateA, legitimateCount, true);
    double[] fraudPlacementB = placements(legitimateB, legitimateCount, true);
    double[] legitimatePlacementA = placements(fraudA, fraudCount, false);
    double[] legitimatePlacementB = placements(fraudB, fraudCount, false);
    Moments fraudMoments = moments(frauds, bins, fraudPlacementA, fraudPlacementB);
    Moments legitimateMoments = moments(legitimate, bins, legitimatePlacementA, legitimatePlacementB);
    double aucA = fraudMoments.meanA();
    double aucB = fraudMoments.meanB();
    double variance = fraudMoments.differenceVariance() / fraudCount
        + legitimateMoments.differenceVariance() / legitimateCount;
    if (!(variance > 0)) {
      return new Comparison(aucA, aucB, 1, 1);
    }
    double z = (aucA - aucB) / Math.sqrt(variance);
    NormalDistribution normal = new NormalDistribution(null, 0, 1);
    return new Comparison(aucA, aucB, 1 - normal.cumulativeProbability(z), normal.cumulativeProbability(z));
  }

  private static void marginals(Map<Integer, Long> cells, int bins, long[] a, long[] b) {
    cells.forEach((cell, count) -> {
      a[cell / bins] += count;
      b[cell % bins] += count;
    });
  }

  /**
   * For a fraud in each bin ({@code outranked} true): the share of {@code others} below, ties half;
   * for a legitimate case: the share of {@code others} (frauds) above, ties half.
   */
  private static double[] placements(long[] others, long othersCount, boolean outranked) {
    double[] placement = new double[others.length];
    long below = 0;
    for (int bin = 0; bin < others.length; bin++) {
      double belowShare = (below + 0.5 * others[bin]) / othersCount;
      placement[bin] = outranked ? belowShare : 1 - belowShare;
      below += others[bin];
    }
    return placement;
  }

  /** Means of both models' placements over one class's cases, and the variance of their difference. */
  private record Moments(double meanA, double meanB, double differenceVariance) {}

  private static Moments moments(Map<Integer, Long> cells, int bins, double[] placementA, double[] placementB) {
    double n = 0;
    double sumA = 0;
    double sumB = 0;
    double sumDifferenceSquared = 0;
    for (Map.Entry<Integer, Long> cell : cells.entrySet()) {
      double a = placementA[cell.getKey() / bins];
      double b = placementB[cell.getKey() % bins];
      long count = cell.getValue();
      n += count;
      sumA += count * a;
      sumB += count * b;
      sumDifferenceSquared += count * (a - b) * (a - b);
    }
    double meanDifference = (sumA - sumB) / n;
    // sample variance (n - 1) of the placement differences, as DeLong's covariance matrix gives it
    double variance = n > 1 ? (sumDifferenceSquared - n * meanDifference * meanDifference) / (n - 1) : 0;
    return new Moments(sumA / n, sumB / n, variance);
  }

  private static long total(Map<Integer, Long> cells) {
    return cells.values().stream().mapToLong(Long::longValue).sum();
  }
}
