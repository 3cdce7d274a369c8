package dev.riskstream.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every figure of one bench run, with the configuration and the machine it was measured on: the
 * JSON file the bench writes, and the table it prints.
 *
 * @param fullJob decisions and dead letters of the full job
 * @param cardState null when the run had no keyed-state run
 */
public record BenchReport(Machine machine, Configuration configuration, long events, Throughput kafkaCopyLoop,
    Throughput flinkCopyJob, Throughput fullJob, long fullJobDecisions, long fullJobDeadLetters, Ratios ratios,
    Targets targets,
    List<LatencyResult> latency, CardState cardState) {

  /** The targets: 30,000 transactions/s end to end, and half the raw Kafka pass-through. */
  static final double TARGET_PER_SECOND = 30_000;
  static final double TARGET_RATIO = 0.5;

  public record Machine(int cores, String jvm, String os, long heapMaxBytes) {
    static Machine current() {
      return new Machine(Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
          Runtime.getRuntime().maxMemory());
    }
  }

  public record Configuration(int parallelism, int partitions, int batchSize, long checkpointIntervalMillis,
      String delivery, String model, String executionProvider, boolean lookup, long managedMemoryBytes,
      double latencyRate, double latencySeconds, double latencyWarmupSeconds, Map<String, String> flinkSettings) {
    static Configuration of(BenchOptions options) {
      return new Configuration(options.parallelism(), options.partitions(), options.batchSize(),
          options.checkpointInterval().toMillis(), options.delivery().name(), options.model().toString(),
          options.executionProvider(), options.lookup(), options.managedMemory().getBytes(), options.rate(),
          options.latencyDuration().toMillis() / 1e3, options.latencyWarmup().toMillis() / 1e3,
          new TreeMap<>(options.flinkSettings()));
    }
  }

  /** Full job's throughput over each baseline's: start to end, steady, and per CPU second. */
  public record Ratios(double fullJobToKafkaCopyLoop, double fullJobToFlinkCopyJob, double steadyFullJobToKafkaCopyLoop,
      double steadyFullJobToFlinkCopyJob, double perCpuFullJobToKafkaCopyLoop, double perCpuFullJobToFlinkCopyJob) {
    static Ratios of(Throughput kafkaCopyLoop, Throughput flinkCopyJob, Throughput fullJob) {
      return new Ratios(fullJob.perSecond() / kafkaCopyLoop.perSecond(),
          fullJob.perSecond() / flinkCopyJob.perSecond(),
          fullJob.steadyPerSecond() / kafkaCopyLoop.steadyPerSecond(),
          fullJob.steadyPerSecond() / flinkCopyJob.steadyPerSecond(),
          fullJob.perCpuSecond() / kafkaCopyLoop.perCpuSecond(),
          fullJob.perCpuSecond() / flinkCopyJob.perCpuSecond());
    }
  }

  public record Targets(double perSecond, boolean perSecondMet, double ratioToKafkaCopyLoop, boolean ratioMet) {
    static Targets judge(Throughput fullJob, Ratios ratios) {
      return new Targets(TARGET_PER_SECOND, fullJob.perSecond() >= TARGET_PER_SECOND, TARGET_RATIO,
          ratios.fullJobToKafkaCopyLoop() >= TARGET_RATIO);
    }
  }

  /**
   * One fixed-rate run, measured after its warm-up: from each transaction's send time to its
   * decision's write (the record's broker-side timestamp, stamped when the sink's producer wrote it)
   * and to the moment a read_committed consumer read it.
   */
  public record LatencyResult(String delivery, double rate, double seconds, long sent, long decided,
      Percentiles toWrittenMillis, Percentiles toVisibleMillis, String loadAverage) {}

  /**
   * The keyed state of many active cards, from a savepoint taken once every transaction is decided.
   *
   * @param cardFeaturesCanonicalBytes the card-features operator's state in a canonical savepoint (serialized key-value pairs)
   * @param cardFeaturesNativeBytes the same state in a native savepoint (RocksDB's own SST files)
   * @param heapPeakUsedBytes highest heap occupancy during the run, each heap pool's peak summed
   */
  public record CardState(long cards, long transactions, long decisions, double seconds, double perSecond,
      long cardFeaturesCanonicalBytes, double canonicalBytesPerCard, long cardFeaturesNativeBytes,
      double nativeBytesPerCard, long managedMemoryBytes, long heapMaxBytes, long heapPeakUsedBytes,
      String loadAverage) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  /** The figures for people. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "riskstream bench: %,d transactions, parallelism %d, %d partitions, "
            + "batch %d, checkpoint every %d ms, %s, model %s on %s, lookup %s%n", events,
        configuration.parallelism(), configuration.partitions(), configuration.batchSize(),
        configuration.checkpointIntervalMillis(), configuration.delivery(), configuration.model(),
        configuration.executionProvider(), configuration.lookup() ? "on" : "off"));
    if (!configuration.flinkSettings().isEmpty()) {
      out.append("Flink settings: ").append(configuration.flinkSettings()).append(System.lineSeparator());
    }
    out.append(String.format(Locale.ROOT, "machine: %d cores, %s, %s%n%n", machine.cores(), machine.jvm(),
        machine.os()));
    out.append(String.format(Locale.ROOT, "%-16s %10s %8s %10s %6s %12s %6s %12s %6s  %s%n", "throughput",
        "records", "seconds", "records/s", "full/", "steady rec/s", "full/", "rec/CPU s", "full/", "load average"));
    throughputRow(out, "Kafka copy loop", kafkaCopyLoop, ratios.fullJobToKafkaCopyLoop(),
        ratios.steadyFullJobToKafkaCopyLoop(), ratios.perCpuFullJobToKafkaCopyLoop());
    throughputRow(out, "Flink copy job", flinkCopyJob, ratios.fullJobToFlinkCopyJob(),
        ratios.steadyFullJobToFlinkCopyJob(), ratios.perCpuFullJobToFlinkCopyJob());
    throughputRow(out, "full job", fullJob, 1, 1, 1);
    out.append(String.format(Locale.ROOT, "full job: %,d decisions, %,d dead letters%n", fullJobDecisions,
        fullJobDeadLetters));
    out.append(String.format(Locale.ROOT, "targets: %,.0f/s %s; full/Kafka copy loop >= %.2f %s%n%n",
        targets.perSecond(), targets.perSecondMet() ? "MET" : "NOT MET", targets.ratioToKafkaCopyLoop(),
        targets.ratioMet() ? "MET" : "NOT MET"));
    out.append(String.format(Locale.ROOT, "%-32s %9s %9s %9s %9s %9s  %s%n", "latency, ms", "events", "p50", "p99",
        "p99.9", "max", "load average"));
    for (LatencyResult run : latency) {
      latencyRow(out, run.delivery() + " to write", run.toWrittenMillis(), run.loadAverage());
      latencyRow(out, run.delivery() + " to read_committed", run.toVisibleMillis(), run.loadAverage());
    }
    if (cardState != null) {
      out.append(String.format(Locale.ROOT, "%nkeyed state: %,d cards, %,d transactions in %.1f s (%,.0f/s); "
              + "card features %,.0f bytes/card canonical, %,.0f bytes/card in RocksDB files; managed memory %,d MiB, "
              + "heap peak %,d of %,d MiB%n", cardState.cards(), cardState.transactions(), cardState.seconds(),
          cardState.perSecond(), cardState.canonicalBytesPerCard(), cardState.nativeBytesPerCard(),
          cardState.managedMemoryBytes() >> 20, cardState.heapPeakUsedBytes() >> 20, cardState.heapMaxBytes() >> 20));
    }
    return out.toString();
  }

  private static void throughputRow(StringBuilder out, String name, Throughput run, double ratio,
      double steadyRatio, double perCpuRatio) {
    out.append(String.format(Locale.ROOT, "%-16s %,10d %8.1f %,10.0f %6.3f %,12.0f %6.3f %,12.0f %6.3f  %s%n", name,
        run.records(), run.seconds(), run.perSecond(), ratio, run.steadyPerSecond(), steadyRatio, run.perCpuSecond(),
        perCpuRatio, run.loadAverage()));
  }

  private static void latencyRow(StringBuilder out, String name, Percentiles p, String load) {
    out.append(String.format(Locale.ROOT, "%-32s %,9d %9.0f %9.0f %9.0f %9.0f  %s%n", name, p.count(), p.p50(),
        p.p99(), p.p999(), p.max(), load));
  }
}
