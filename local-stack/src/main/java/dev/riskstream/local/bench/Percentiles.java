package dev.riskstream.local.bench;

import java.util.Arrays;

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile is the smallest sample that
 * at least p% of the samples do not exceed, so every reported figure is a latency that was measured.
 */
public record Percentiles(long count, double p50, double p99, double p999, double max) {

  /** @param samples milliseconds, in any order; sorted in place */
  public static Percentiles of(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no latency samples");
    }
    Arrays.sort(samples);
    return new Percentiles(samples.length, rank(samples, 50), rank(samples, 99), rank(samples, 99.9),
        samples[samples.length - 1]);
  }

  private static double rank(long[] sorted, double percent) {
    // less a hair, so that 99.9% of 1,000 samples is rank 999 despite floating-point rounding
    int rank = (int) Math.ceil(percent * sorted.length / 100 - 1e-9);
    return sorted[Math.max(rank, 1) - 1];
  }
}
