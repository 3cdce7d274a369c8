package dev.riskstream.local.bench;

/**
 * How many records one run moved end to end and how long it took, from its start (the job's
 * submission, for Flink) until the last of them was readable downstream.
 *
 * @param steadyPerSecond the rate between the moments a tenth and nine tenths of the records were
 *     readable: without the start-up, and without the wait for the last checkpoint; NaN when they
 *     lie less than {@code burst} apart, since output that becomes readable in bursts (exactly-once,
 *     at each checkpoint) gives no rate over fewer than a few of them
 */
public record Throughput(long records, double seconds, double perSecond, double steadyPerSecond, String loadAverage) {

  static Throughput measured(long records, long startNanos, long endNanos, Await.Milestones milestones,
      java.time.Duration burst) {
    double seconds = (endNanos - startNanos) / 1e9;
    long steadyNanos = milestones.nineTenthsNanos() - milestones.tenthNanos();
    double steady = steadyNanos > 0 && steadyNanos >= burst.toNanos() ? 0.8 * records / (steadyNanos / 1e9) : Double.NaN;
    return new Throughput(records, seconds, records / seconds, steady, LoadAverage.now());
  }
}
