package dev.riskstream.features.drift;

import dev.riskstream.features.profile.ProfileFeatures;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Transaction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts transactions into the bins of a {@link ReferenceProfile}: the one place that decides which
 * bin a value falls in and what counts as missing, used by training to build the reference and by
 * serving to count windows, so both count the same way.
 *
 * <p>A feature counts as missing when it fell back to its default: for the profile features
 * ({@link ProfileFeatures#FEATURE_NAMES}), when the profile lookup fell back (a profile was not
 * found, the lookup timed out or failed, or none is configured; exactly when {@code profile_missing}
 * is 1); for any other feature, when it equals its default (a card without history, a transaction
 * without a device).
 *
 * <p>{@link WindowCounts#bins} is laid out as the features' bins in the reference's order, then the
 * score's, then the attributes'. Immutable and {@link Serializable}; adding allocates nothing.
 */
public final class ProfileBinning implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<NumericBins> features;
  private final NumericBins score;
  private final List<CategoryBins> attributes;

  private final int[] specIndex;
  private final double[][] featureEdges;
  private final float[] defaults;
  private final boolean[] fromProfile;
  private final int[] featureOffset;
  private final double[] scoreEdges;
  private final int scoreOffset;
  private final Attribute[] attributeKinds;
  private final List<Map<String, Integer>> binOfCategory;
  private final int[] attributeOffset;
  private final int slots;

  ProfileBinning(List<NumericBins> features, NumericBins score, List<CategoryBins> attributes) {
    this.features = List.copyOf(features);
    this.score = score;
    this.attributes = List.copyOf(attributes);
    int n = features.size();
    specIndex = new int[n];
    featureEdges = new double[n][];
    defaults = new float[n];
    fromProfile = new boolean[n];
    featureOffset = new int[n];
    int offset = 0;
    for (int f = 0; f < n; f++) {
      NumericBins bins = features.get(f);
      Feature feature = FeatureSpec.CURRENT.feature(bins.name());
      specIndex[f] = FeatureSpec.CURRENT.requireIndex(bins.name());
      featureEdges[f] = toArray(bins.edges());
      defaults[f] = feature.defaultValue();
      fromProfile[f] = ProfileFeatures.FEATURE_NAMES.contains(bins.name());
      featureOffset[f] = offset;
      offset += bins.binCount();
    }
    scoreEdges = toArray(score.edges());
    scoreOffset = offset;
    offset += score.binCount();
    attributeKinds = new Attribute[attributes.size()];
    binOfCategory = new ArrayList<>();
    attributeOffset = new int[attributes.size()];
    for (int a = 0; a < attributes.size(); a++) {
      CategoryBins bins = attributes.get(a);
      attributeKinds[a] = Attribute.named(bins.name());
      Map<String, Integer> bin = new HashMap<>();
      for (int i = 0; i < bins.top().size(); i++) {
        bin.put(bins.top().get(i), i);
      }
      bins.other().forEach(category -> bin.put(category, bins.otherBin()));
      binOfCategory.add(bin);
      attributeOffset[a] = offset;
      offset += bins.binCount();
    }
    slots = offset;
  }

  /** Empty counts in this binning's layout. */
  public WindowCounts newCounts() {
    return new WindowCounts(slots, features.size());
  }

  /**
   * Counts one scored transaction.
   *
   * @param specVector its features in {@link FeatureSpec#CURRENT} order, as scored
   * @param tx the transaction, for its categorical attributes
   * @param score the model's fraud probability
   * @param profileFallback whether its profile features are fallbacks: true unless the lookup found
   *     both the customer and the merchant profile, so exactly when {@code profile_missing} is 1
   */
  public void add(WindowCounts counts, float[] specVector, Transaction tx, double score, boolean profileFallback) {
    counts.events++;
    for (int f = 0; f < specIndex.length; f++) {
      float value = specVector[specIndex[f]];
      counts.bins[featureOffset[f] + binOf(featureEdges[f], value)]++;
      if (fromProfile[f] ? profileFallback : value == defaults[f]) {
        counts.missing[f]++;
      }
    }
    // a transaction the model gave no probability for (NaN) has no score to bin; its features still count
    if (!Double.isNaN(score)) {
      counts.bins[scoreOffset + binOf(scoreEdges, score)]++;
    }
    for (int a = 0; a < attributeKinds.length; a++) {
      Integer bin = binOfCategory.get(a).get(attributeKinds[a].valueOf(tx));
      counts.bins[attributeOffset[a] + (bin == null ? attributes.get(a).unseenBin() : bin)]++;
    }
  }

  /** The number of edges at or below {@code value}: its bin. */
  static int binOf(double[] edges, double value) {
    int low = 0;
    int high = edges.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (edges[middle] <= value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** A segment's training counts as {@link WindowCounts}, to compare windows with. */
  WindowCounts countsOf(String key, SegmentProfile segment) {
    WindowCounts counts = newCounts();
    counts.events = segment.rows();
    for (int f = 0; f < features.size(); f++) {
      NumericBins bins = features.get(f);
      copy(key, bins.name(), segment, bins.binCount(), counts, featureOffset[f]);
      Long missing = segment.missing().get(bins.name());
      if (missing == null) {
        throw new IllegalArgumentException("segment " + key + " lacks the missing count of " + bins.name());
      }
      counts.missing[f] = missing;
    }
    copy(key, score.name(), segment, score.binCount(), counts, scoreOffset);
    for (int a = 0; a < attributes.size(); a++) {
      copy(key, attributes.get(a).name(), segment, attributes.get(a).binCount(), counts, attributeOffset[a]);
    }
    return counts;
  }

  private static void copy(String key, String name, SegmentProfile segment, int binCount, WindowCounts counts,
      int offset) {
    List<Long> binCounts = segment.counts().get(name);
    if (binCounts == null || binCounts.size() != binCount) {
      throw new IllegalArgumentException("segment " + key + " has " + (binCounts == null ? "no" : binCounts.size())
          + " counts for " + name + ", which has " + binCount + " bins");
    }
    for (int i = 0; i < binCount; i++) {
      counts.bins[offset + i] = binCounts.get(i);
    }
  }

  /** {@code counts} as a segment of the reference profile. */
  SegmentProfile toSegmentProfile(WindowCounts counts) {
    Map<String, List<Long>> byName = new LinkedHashMap<>();
    Map<String, Long> missing = new LinkedHashMap<>();
    for (int f = 0; f < features.size(); f++) {
      byName.put(features.get(f).name(), slice(counts, featureOffset[f], features.get(f).binCount()));
      missing.put(features.get(f).name(), counts.missing[f]);
    }
    byName.put(score.name(), slice(counts, scoreOffset, score.binCount()));
    for (int a = 0; a < attributes.size(); a++) {
      byName.put(attributes.get(a).name(), slice(counts, attributeOffset[a], attributes.get(a).binCount()));
    }
    return new SegmentProfile(counts.events, byName, missing);
  }

  private static List<Long> slice(WindowCounts counts, int offset, int length) {
    List<Long> slice = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      slice.add(counts.bins[offset + i]);
    }
    return slice;
  }

  List<NumericBins> features() {
    return features;
  }

  NumericBins score() {
    return score;
  }

  List<CategoryBins> attributes() {
    return attributes;
  }

  int featureOffset(int feature) {
    return featureOffset[feature];
  }

  int scoreOffset() {
    return scoreOffset;
  }

  int attributeOffset(int attribute) {
    return attributeOffset[attribute];
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
