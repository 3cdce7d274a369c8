package dev.riskstream.job.monitoring;

import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.estimation.ExpectedCounts;

/**
 * One subtask's bin counts (and expected performance counts) of one segment's traffic scored by one model version, deciding or in
 * shadow, in one window, on their way to be merged with the other subtasks'. A Flink POJO.
 */
public class DriftPartial {

  public String modelVersion;
  /** The version scored this traffic in shadow. */
  public boolean shadow;
  public String segment;
  public long windowStart;
  public WindowCounts counts;
  /** The version's expected performance counts; null when its bundle has no calibration. */
  public ExpectedCounts expected;

  public DriftPartial() {}

  public DriftPartial(String modelVersion, boolean shadow, String segment, long windowStart, WindowCounts counts,
      ExpectedCounts expected) {
    this.modelVersion = modelVersion;
    this.shadow = shadow;
    this.segment = segment;
    this.windowStart = windowStart;
    this.counts = counts;
    this.expected = expected;
  }

  /** Adds {@code other}'s counts to these and returns this. */
  public DriftPartial merge(DriftPartial other) {
    counts.merge(other.counts);
    expected = ExpectedCounts.merged(expected, other.expected);
    return this;
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
