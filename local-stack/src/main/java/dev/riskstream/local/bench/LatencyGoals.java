package dev.riskstream.local.bench;

/**
 * The latency each path of a decision should stay within, in milliseconds; every path of every
 * latency run is judged against them on its own.
 */
public record LatencyGoals(double p50Millis, double p99Millis, double p999Millis) {

  /**
   * What a card authorisation leaves a fraud decision: issuers answer in about 100–150 ms end to end,
   * of which the score gets a few tens of milliseconds. The same for every path and rate.
   */
  public static final LatencyGoals AUTHORISATION = new LatencyGoals(10, 25, 50);

  /** Whether each percentile of one path is within its goal. */
  public record Verdict(boolean p50Met, boolean p99Met, boolean p999Met) {}

  Verdict judge(Percentiles measured) {
    return new Verdict(measured.p50() <= p50Millis, measured.p99() <= p99Millis, measured.p999() <= p999Millis);
  }
}
