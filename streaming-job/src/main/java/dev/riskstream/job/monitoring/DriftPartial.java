package dev.riskstream.job.monitoring;

import dev.riskstream.features.drift.WindowCounts;

/**
 * One subtask's bin counts of one segment's traffic scored by one model version, deciding or in
 * shadow, in one window, on their way to be merged with the other subtasks'. A Flink POJO.
 */
public class DriftPartial {

  public String modelVersion;
  /** The version scored this traffic in shadow. */
  public boolean shadow;
  public String segment;
  public long windowStart;
  public WindowCounts counts;

  public DriftPartial() {}

  public DriftPartial(String modelVersion, boolean shadow, String segment, long windowStart, WindowCounts counts) {
    this.modelVersion = modelVersion;
    this.shadow = shadow;
    this.segment = segment;
    this.windowStart = windowStart;
    this.counts = counts;
  }

  /**
   * What the partials of one window are merged by: a version's counts in shadow apart from its counts
   * deciding, as in the window it is promoted in. The deciding version's key is the one it always had,
   * so windows open in a savepoint merge on.
   */
  public String mergeKey() {
    return (shadow ? "shadow|" : "") + modelVersion + "|" + segment;
  }
}
