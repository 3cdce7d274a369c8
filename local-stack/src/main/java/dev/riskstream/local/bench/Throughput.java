package dev.riskstream.local.bench;

/**
 * How many records one run moved end to end and how long it took, from its start (the job's
 * submission, for Flink) until the last of them was readable downstream.
 *
 * @param steadyPerSecond the rate between the moments a tenth and nine tenths of the records were
 *     readable: without the start-up, and without the wait for the last checkpoint; NaN when both
 *     came at once (a run short enough to commit in one checkpoint)
 */
public record Throughput(long records, double seconds, double perSecond, double steadyPerSecond, String loadAverage) {

  static Throughput measured(long records, long startNanos, long endNanos, Await.Milestones milestones) {
    double seconds = (endNanos - startNanos) / 1e9;
    double steadySeconds = (milestones.nineTenthsNanos() - milestones.tenthNanos()) / 1e9;
    double steady = steadySeconds > 0 ? 0.8 * records / steadySeconds : Double.NaN;
    return new Throughput(records, seconds, records / seconds, steady, LoadAverage.now());
  }
}
