package dev.riskstream.local.bench;

/**
 * How many records one run moved end to end and how long it took, from its start (the job's
 * submission, for Flink) until the last of them was readable downstream.
 *
 * @param perCpuSecond records per second of CPU time this process (broker, Flink, bench) used
 *     meanwhile: on a machine shared with other work, the figure that depends least on their load
 *
 * @param steadyPerSecond the rate between the moments a tenth and nine tenths of the records were
 *     readable: without the start-up, and without the wait for the last checkpoint; NaN when they
 *     lie less than {@code burst} apart, since output that becomes readable in bursts (exactly-once,
 *     at each checkpoint) gives no rate over fewer than a few of them
 */
public record Throughput(long records, double seconds, double perSecond, double steadyPerSecond,
    double perCpuSecond, String loadAverage) {

  /** A moment in wall-clock time and in this process's CPU time. */
  record Reading(long wallNanos, long cpuNanos) {
    static Reading now() {
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return new Reading(System.nanoTime(), os.getProcessCpuTime());
    }
  }

  static Throughput measured(long records, Reading start, Reading end, Await.Milestones milestones,
      java.time.Duration burst) {
    double seconds = (end.wallNanos() - start.wallNanos()) / 1e9;
    double cpuSeconds = (end.cpuNanos() - start.cpuNanos()) / 1e9;
    long steadyNanos = milestones.nineTenthsNanos() - milestones.tenthNanos();
    double steady = steadyNanos > 0 && steadyNanos >= burst.toNanos() ? 0.8 * records / (steadyNanos / 1e9) : Double.NaN;
    return new Throughput(records, seconds, records / seconds, steady, records / cpuSeconds, LoadAverage.now());
  }
}
