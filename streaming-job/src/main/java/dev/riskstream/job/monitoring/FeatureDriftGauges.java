package dev.riskstream.job.monitoring;

import dev.riskstream.schemas.FeatureDrift;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.MetricGroup;

/**
 * The PSI of every feature, the score and every categorical attribute in the latest judged window of
 * each segment, as gauges labelled {@code segment} and {@code feature} (key-value metric groups), so
 * that a dashboard can show which features drift, and where. A gauge appears with the first window
 * of its segment that carries the feature and keeps the latest value since; a window older than the
 * one shown changes nothing. Updated from the task thread only.
 */
public final class FeatureDriftGauges {

  static final String SEGMENT_KEY = "segment";
  static final String FEATURE_KEY = "feature";
  static final String PSI_GAUGE = "psi";

  private final MetricGroup group;
  private final Map<String, Long> latestWindowEnd = new HashMap<>();
  /** Segment, then feature: its PSI; the maps are written here and read by the gauges. */
  private final Map<String, Map<String, Double>> psi = new HashMap<>();

  public FeatureDriftGauges(MetricGroup group) {
    this.group = group;
  }

  /** Shows {@code features} as the segment's latest, unless a later window has been shown. */
  public void show(String segment, long windowEnd, List<FeatureDrift> features) {
    if (features.isEmpty() || windowEnd < latestWindowEnd.getOrDefault(segment, Long.MIN_VALUE)) {
      return;
    }
    latestWindowEnd.put(segment, windowEnd);
    Map<String, Double> bySegment = psi.computeIfAbsent(segment, newSegment -> new HashMap<>());
    MetricGroup segmentGroup = group.addGroup(SEGMENT_KEY, segment);
    for (FeatureDrift feature : features) {
      String name = feature.getName();
      if (bySegment.put(name, feature.getPsi()) == null) {
        segmentGroup.addGroup(FEATURE_KEY, name).gauge(PSI_GAUGE, () -> bySegment.get(name));
      }
    }
  }
}
