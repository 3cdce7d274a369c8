package dev.riskstream.job.monitoring;

import dev.riskstream.features.drift.WindowCounts;

/**
 * One subtask's bin counts of one segment's traffic scored by one model version in one window, on
 * their way to be merged with the other subtasks'. A Flink POJO.
 */
public class DriftPartial {

  public String modelVersion;
  public String segment;
  public long windowStart;
  public WindowCounts counts;

  public DriftPartial() {}

  public DriftPartial(String modelVersion, String segment, long windowStart, WindowCounts counts) {
    this.modelVersion = modelVersion;
    this.segment = segment;
    this.windowStart = windowStart;
    this.counts = counts;
  }

  /** What the partials of one window are merged by. */
  public String mergeKey() {
    return modelVersion + "|" + segment;
  }
}
