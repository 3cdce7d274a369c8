package dev.riskstream.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every figure of one bench run, with the configuration and the machine it was measured on: the
 * JSON file the bench writes, and the table it prints.
 *
 * @param fullJob decisions and dead letters of the full job
 * @param cardState null when the run had no keyed-state run
 */
public record BenchReport(Machine machine, Configuration configuration, long events, Throughput kafkaCopyLoop,
    Throughput flinkCopyJob, Throughput fullJob, long fullJobDecisions, long fullJobDeadLetters, Ratios ratios,
    Targets targets, Latency latency, CardState cardState) {

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
      List<Double> latencyRates, double latencySeconds, double latencyWarmupSeconds, int latencyCustomers,
      Map<String, String> jobSettings,
      Map<String, String> flinkSettings, Map<String, String> writerProperties) {
    static Configuration of(BenchOptions options) {
      return new Configuration(options.parallelism(), options.partitions(), options.batchSize(),
          options.checkpointInterval().toMillis(), options.delivery().name(), options.model().toString(),
          options.executionProvider(), options.lookup(), options.managedMemory().getBytes(), options.latencyRates(),
          options.latencyDuration().toMillis() / 1e3, options.latencyWarmup().toMillis() / 1e3,
          options.latencyCustomers(), new TreeMap<>(options.jobOverrides()), new TreeMap<>(options.flinkSettings()),
          new TreeMap<>(options.writerProperties()));
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

  /** One path's latency percentiles and whether each is within its goal. */
  public record PathLatency(Percentiles millis, LatencyGoals.Verdict verdict) {
    static PathLatency judge(Percentiles millis, LatencyGoals goals) {
      return new PathLatency(millis, goals.judge(millis));
    }
  }

  /**
   * One rate of a latency run, measured after its warm-up: from each transaction's send time (its
   * event time and its record's timestamp) to its decision's write (the decision record's timestamp,
   * which the sink's producer stamps as the sink hands it the record) and to the moments a
   * read_uncommitted and a read_committed consumer read it.
   *
   * @param seconds how long sending the measured transactions took: longer than asked when the
   *     writer could not keep the rate
   * @param decided measured transactions whose decisions were read on every path
   */
  public record LatencyResult(String delivery, double rate, double seconds, long sent, long decided,
      PathLatency toWrite, PathLatency toReadUncommitted, PathLatency toReadCommitted, String loadAverage) {}

  /**
   * The latency runs and the goals each of their paths was judged by.
   *
   * @param highestRateMeetingWriteP99 per guarantee, the highest rate measured whose to-write p99 was
   *     within its goal; null where none was
   */
  public record Latency(LatencyGoals goals, List<LatencyResult> runs, Map<String, Double> highestRateMeetingWriteP99) {
    public static Latency of(LatencyGoals goals, List<LatencyResult> runs) {
      Map<String, Double> highest = new LinkedHashMap<>();
      for (LatencyResult run : runs) {
        Double best = highest.get(run.delivery());
        boolean better = run.toWrite().verdict().p99Met() && (best == null || run.rate() > best);
        highest.put(run.delivery(), better ? Double.valueOf(run.rate()) : best);
      }
      return new Latency(goals, List.copyOf(runs), Collections.unmodifiableMap(highest));
    }

    /** The figures for people: a row per run and path, the goals, the highest rate within them. */
    public String table() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%-34s %8s %9s %7s %-7s %7s %-7s %7s %-7s %7s  %s%n", "latency, ms",
          "rate/s", "events", "p50", "", "p99", "", "p99.9", "", "max", "load average"));
      for (LatencyResult run : runs) {
        latencyRow(out, run, " to write", run.toWrite());
        latencyRow(out, run, " to read_uncommitted", run.toReadUncommitted());
        latencyRow(out, run, " to read_committed", run.toReadCommitted());
      }
      String highest = highestRateMeetingWriteP99.entrySet().stream()
          .map(e -> e.getKey() + " " + (e.getValue() == null ? "none" : String.format(Locale.ROOT, "%,.0f/s", e.getValue())))
          .collect(Collectors.joining(", "));
      out.append(String.format(Locale.ROOT, "latency goals: p50 <= %.0f ms, p99 <= %.0f ms, p99.9 <= %.0f ms; "
          + "highest rate with to-write p99 <= %.0f ms: %s%n", goals.p50Millis(), goals.p99Millis(), goals.p999Millis(),
          goals.p99Millis(), highest));
      return out.toString();
    }
  }

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
      long heapHeldBytes, double heapHeldBytesPerCard, String loadAverage) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  /** The figures for people. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "riskstream bench: %,d transactions, parallelism %d, %d partitions, "
            + "batch %d, checkpoint every %d ms, %s, model %s on %s, lookup %s; latency runs' traffic from %,d "
            + "customers%n", events,
        configuration.parallelism(), configuration.partitions(), configuration.batchSize(),
        configuration.checkpointIntervalMillis(), configuration.delivery(), configuration.model(),
        configuration.executionProvider(), configuration.lookup() ? "on" : "off", configuration.latencyCustomers()));
    if (!configuration.jobSettings().isEmpty()) {
      out.append("job settings: ").append(configuration.jobSettings()).append(System.lineSeparator());
    }
    if (!configuration.writerProperties().isEmpty()) {
      out.append("load generator's producer: ").append(configuration.writerProperties()).append(System.lineSeparator());
    }
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
        targets.perSecond(), met(targets.perSecondMet()), targets.ratioToKafkaCopyLoop(),
        met(targets.ratioMet())));
    if (!latency.runs().isEmpty()) {
      out.append(latency.table());
    }
    if (cardState != null) {
      out.append(String.format(Locale.ROOT, "%nkeyed state: %,d cards, %,d transactions in %.1f s (%,.0f/s); "
              + "card features %,.0f bytes/card canonical, %,.0f bytes/card native; heap held by the job %,.0f "
              + "bytes/card; managed memory %,d MiB, heap peak %,d of %,d MiB%n", cardState.cards(),
          cardState.transactions(), cardState.seconds(), cardState.perSecond(), cardState.canonicalBytesPerCard(),
          cardState.nativeBytesPerCard(), cardState.heapHeldBytesPerCard(), cardState.managedMemoryBytes() >> 20,
          cardState.heapPeakUsedBytes() >> 20, cardState.heapMaxBytes() >> 20));
    }
    return out.toString();
  }

  private static void throughputRow(StringBuilder out, String name, Throughput run, double ratio,
      double steadyRatio, double perCpuRatio) {
    out.append(String.format(Locale.ROOT, "%-16s %,10d %8.1f %,10.0f %6.3f %,12.0f %6.3f %,12.0f %6.3f  %s%n", name,
        run.records(), run.seconds(), run.perSecond(), ratio, run.steadyPerSecond(), steadyRatio, run.perCpuSecond(),
        perCpuRatio, run.loadAverage()));
  }

  private static void latencyRow(StringBuilder out, LatencyResult run, String path, PathLatency latency) {
    Percentiles p = latency.millis();
    LatencyGoals.Verdict verdict = latency.verdict();
    out.append(String.format(Locale.ROOT, "%-34s %,8.0f %,9d %7.0f %-7s %7.0f %-7s %7.0f %-7s %7.0f  %s%n",
        run.delivery() + path, run.rate(), p.count(), p.p50(), met(verdict.p50Met()), p.p99(), met(verdict.p99Met()),
        p.p999(), met(verdict.p999Met()), p.max(), run.loadAverage()));
  }

  private static String met(boolean met) {
    return met ? "MET" : "NOT MET";
  }
}
