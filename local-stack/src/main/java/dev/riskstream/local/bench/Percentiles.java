package dev.riskstream.local.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles by the nearest-rank method, as HdrHistogram reads them: the p-th percentile is
 * the smallest sample that at least p% of the samples do not exceed, so every reported figure is a
 * latency that was measured.
 */
public record Percentiles(long count, double p50, double p99, double p999, double max) {

  /**
   * HdrHistogram's most: every latency below 262,144 ms (2^18, about 4.4 minutes) has a bucket of its
   * own, so the figures are the milliseconds measured, not a bucket's bound. A longer one, which only a
   * backlog of minutes brings, is within 1/131,072 of it.
   */
  private static final int SIGNIFICANT_DIGITS = 5;

  /** @param samples milliseconds, in any order */
  public static Percentiles of(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no latency samples");
    }
    Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    for (long sample : samples) {
      if (sample < 0) {
        // send and read times come from the same wall clock: it stepped back in between
        throw new IllegalArgumentException("a latency below zero, " + sample + " ms: the wall clock stepped back");
      }
      histogram.recordValue(sample);
    }
    return new Percentiles(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
  }
}
