package dev.riskstream.features.drift;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bins of a numeric feature or of the score: {@code edges.size() + 1} bins, bin {@code i}
 * holding the values {@code v} with {@code edges[i-1] <= v < edges[i]} (the first and last bins
 * are open-ended, so serving values outside the training range still land in a bin).
 *
 * @param name feature name, or {@code score}
 * @param edges strictly increasing cut points
 */
public record NumericBins(String name, List<Double> edges) implements Serializable {

  public NumericBins {
    edges = List.copyOf(edges);
    for (int i = 1; i < edges.size(); i++) {
      if (!(edges.get(i - 1) < edges.get(i))) {
        throw new IllegalArgumentException(name + ": bin edges must increase strictly, got " + edges);
      }
    }
  }

  /**
   * Bins from training values. A feature with at most {@code maxBins} distinct values (an
   * indicator, a tier) gets one bin per value, since quantile cuts would merge the rare values with
   * the common one, and one more for values above the training maximum, so that a feature constant
   * in training (a count that was always 0) still shows when serving sees other values. Any other
   * feature gets cuts at the deciles (for {@code maxBins} 10), with repeated cuts dropped, so a
   * value that fills several deciles fills one bin.
   */
  public static NumericBins fromValues(String name, float[] values, int maxBins) {
    if (values.length == 0) {
      return new NumericBins(name, List.of());
    }
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    List<Double> distinct = distinctAboveMinimum(sorted, maxBins);
    if (distinct != null) {
      distinct.add((double) Math.nextUp(sorted[sorted.length - 1]));
      return new NumericBins(name, distinct);
    }
    List<Double> edges = new ArrayList<>();
    double previous = sorted[0];
    for (int q = 1; q < maxBins; q++) {
      double cut = sorted[(int) ((long) q * sorted.length / maxBins)];
      // a cut at the minimum would make an empty first bin
      if (cut > previous) {
        edges.add(cut);
        previous = cut;
      }
    }
    return new NumericBins(name, edges);
  }

  /** Every distinct value but the smallest, or null when there are more than {@code maxBins}. */
  private static List<Double> distinctAboveMinimum(float[] sorted, int maxBins) {
    List<Double> distinct = new ArrayList<>();
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] != sorted[i - 1]) {
        if (distinct.size() + 1 >= maxBins) {
          return null;
        }
        distinct.add((double) sorted[i]);
      }
    }
    return distinct;
  }

  public int binCount() {
    return edges.size() + 1;
  }
}
