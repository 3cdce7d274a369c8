package dev.riskstream.features.drift;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link ReferenceProfile} of a model from its training rows.
 *
 * <p>{@value #MIN_SEGMENT_ROWS} rows per segment: with about ten bins that is some 100 rows a bin,
 * so a reference frequency is known to about a tenth of itself; a segment with fewer rows is
 * monitored only as part of {@code all}.
 */
public final class ReferenceProfiler {

  public static final int MIN_SEGMENT_ROWS = 1_000;
  /** Deciles: the common choice for PSI, fine enough to see a shift, coarse enough for small windows. */
  public static final int NUMERIC_BINS = 10;
  /** Enough for every channel and merchant-category group and the main countries and currencies. */
  public static final int TOP_CATEGORIES = 12;

  private static final int PROFILE_MISSING = FeatureSpec.CURRENT.requireIndex(FeatureSpec.PROFILE_MISSING);

  /**
   * One training row.
   *
   * @param features in {@link FeatureSpec#CURRENT} order
   * @param transaction the transaction the features came from
   * @param score the trained model's fraud probability for the row
   */
  public record Row(float[] features, Transaction transaction, double score) {}

  private final List<String> featureNames;
  private final Segmenter segmenter;
  private final int minSegmentRows;

  /**
   * @param featureNames the model's features; profiled in {@link FeatureSpec#CURRENT} order
   * @param segmenter the dimensions to profile segments for
   * @param minSegmentRows segments with fewer training rows are left out; {@link #MIN_SEGMENT_ROWS}
   */
  public ReferenceProfiler(List<String> featureNames, Segmenter segmenter, int minSegmentRows) {
    this.featureNames = FeatureSpec.CURRENT.names().stream().filter(featureNames::contains).toList();
    if (this.featureNames.size() != featureNames.size()) {
      throw new IllegalArgumentException("not all of " + featureNames + " are features of the specification");
    }
    this.segmenter = segmenter;
    this.minSegmentRows = minSegmentRows;
  }

  public ReferenceProfile profile(List<Row> rows) {
    List<NumericBins> features = new ArrayList<>();
    for (String name : featureNames) {
      int index = FeatureSpec.CURRENT.requireIndex(name);
      float[] values = new float[rows.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rows.get(i).features()[index];
      }
      features.add(NumericBins.fromValues(name, values, NUMERIC_BINS));
    }
    float[] scores = new float[rows.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rows.get(i).score();
    }
    NumericBins score = NumericBins.fromValues(ReferenceProfile.SCORE, scores, NUMERIC_BINS);
    List<CategoryBins> attributes = new ArrayList<>();
    for (Attribute attribute : Attribute.values()) {
      Map<String, Long> countByCategory = new HashMap<>();
      rows.forEach(row -> countByCategory.merge(attribute.valueOf(row.transaction()), 1L, Long::sum));
      attributes.add(CategoryBins.fromCounts(attribute.attributeName(), countByCategory, TOP_CATEGORIES));
    }

    ProfileBinning binning = new ProfileBinning(features, score, attributes);
    Map<String, WindowCounts> countsBySegment = new LinkedHashMap<>();
    countsBySegment.put(Segmenter.ALL, binning.newCounts());
    for (Row row : rows) {
      boolean profileFallback = row.features()[PROFILE_MISSING] == 1f;
      for (String key : segmenter.keysOf(row.transaction())) {
        WindowCounts counts = countsBySegment.computeIfAbsent(key, k -> binning.newCounts());
        binning.add(counts, row.features(), row.transaction(), row.score(), profileFallback);
      }
    }
    Map<String, SegmentProfile> segments = new LinkedHashMap<>();
    countsBySegment.entrySet().stream()
        .filter(entry -> entry.getValue().events >= minSegmentRows)
        .sorted(Map.Entry.comparingByKey(ReferenceProfiler::allFirst))
        .forEach(entry -> segments.put(entry.getKey(), binning.toSegmentProfile(entry.getValue())));
    return new ReferenceProfile(minSegmentRows, segmenter.dimensions(), features, score, attributes, segments,
        joint(rows, segments.keySet()));
  }

  /**
   * The principal components of the features that do not grow with the age of the state (those
   * drift monitoring leaves unjudged by default, {@link DriftThresholds#STATE_AGE_FEATURES}, for the
   * same reason), and each segment's reconstruction errors; null with fewer than two such features.
   */
  private JointReference joint(List<Row> rows, Set<String> segments) {
    List<String> jointFeatures = featureNames.stream()
        .filter(name -> !DriftThresholds.STATE_AGE_FEATURES.contains(name)).toList();
    if (jointFeatures.size() < 2) {
      return null;
    }
    PrincipalComponents components = PrincipalComponents.fit(rows.stream().map(Row::features).toList(), jointFeatures);
    PrincipalComponents.Projector projector = components.projector();
    Map<String, List<Double>> errorsBySegment = new LinkedHashMap<>();
    Map<String, List<Long>> timesBySegment = new LinkedHashMap<>();
    segments.forEach(key -> {
      errorsBySegment.put(key, new ArrayList<>());
      timesBySegment.put(key, new ArrayList<>());
    });
    for (Row row : rows) {
      double error = projector.reconstructionError(row.features());
      for (String key : segmenter.keysOf(row.transaction())) {
        List<Double> errors = errorsBySegment.get(key);
        if (errors != null) {
          errors.add(error);
          timesBySegment.get(key).add(row.transaction().getEventTime().toEpochMilli());
        }
      }
    }
    Map<String, JointReference.Segment> jointSegments = new LinkedHashMap<>();
    errorsBySegment.forEach((key, errors) ->
        jointSegments.put(key, JointReference.segment(errors, timesBySegment.get(key))));
    return new JointReference(components, jointSegments);
  }

  private static int allFirst(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(Segmenter.ALL) || b.equals(Segmenter.ALL)) {
      return a.equals(Segmenter.ALL) ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
