package dev.riskstream.features.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model's training data looked like, frozen in the model bundle's manifest so that drift
 * monitoring compares serving traffic with exactly what the model learned from. Bins are shared by
 * all segments (computed on all training rows), so every segment's counts, and every window's, have
 * the same layout ({@link #binning()}).
 *
 * @param minSegmentRows segments with fewer training rows are left out: their reference frequencies
 *     would be too noisy to compare with
 * @param dimensions the {@link Segmenter} dimensions the segments were cut by
 * @param features bins of every model feature, in {@code FeatureSpec} order
 * @param score bins of the model's fraud probability on the training rows
 * @param attributes bins of the categorical transaction attributes
 * @param segments by segment key ({@code all}, {@code channel=ECOM}, ...)
 * @param joint the features taken together, for drift of their joint distribution; absent from
 *     profiles made before it existed
 */
public record ReferenceProfile(
    int minSegmentRows,
    List<String> dimensions,
    List<NumericBins> features,
    NumericBins score,
    List<CategoryBins> attributes,
    Map<String, SegmentProfile> segments,
    @JsonInclude(JsonInclude.Include.NON_NULL) JointReference joint) implements Serializable {

  public static final String SCORE = "score";

  /** A profile without a joint reference. */
  public ReferenceProfile(int minSegmentRows, List<String> dimensions, List<NumericBins> features, NumericBins score,
      List<CategoryBins> attributes, Map<String, SegmentProfile> segments) {
    this(minSegmentRows, dimensions, features, score, attributes, segments, null);
  }

  public ReferenceProfile withJoint(JointReference joint) {
    return new ReferenceProfile(minSegmentRows, dimensions, features, score, attributes, segments, joint);
  }

  public ReferenceProfile {
    dimensions = List.copyOf(dimensions);
    features = List.copyOf(features);
    attributes = List.copyOf(attributes);
    segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
  }

  /** The segment's training distribution, or empty when training had too few of its rows. */
  public Optional<SegmentProfile> segment(String key) {
    return Optional.ofNullable(segments.get(key));
  }

  /** Where each transaction's values fall; checks that every segment fits the bins. */
  public ProfileBinning binning() {
    ProfileBinning binning = new ProfileBinning(features, score, attributes);
    segments.forEach((key, segment) -> binning.countsOf(key, segment));
    return binning;
  }

  /** Segments transactions by the dimensions the reference was profiled with. */
  public Segmenter segmenter() {
    return new Segmenter(dimensions);
  }
}
