package dev.riskstream.local.cli;

import dev.riskstream.job.DeliveryChoice;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.RuleOptions;
import dev.riskstream.local.bench.Bench;
import dev.riskstream.local.bench.BenchOptions;
import dev.riskstream.local.bench.BenchReport;
import dev.riskstream.ops.ModelBundleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Throughput of the full job against raw Kafka and Flink pass-throughs on the same records, its
 * latency at fixed rates, and optionally the keyed state of many cards; a JSON file and a table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure throughput, latency and state size of the job on the embedded stack.")
final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--events", defaultValue = "2000000",
      description = "Transactions pre-loaded for the throughput runs (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--out", defaultValue = "bench.json", description = "The JSON file of figures (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--batch-size", defaultValue = "256", description = "Scoring batch size, scoring.batch-size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--delivery", defaultValue = "EXACTLY_ONCE",
      description = "Delivery guarantee of the throughput and card-state runs: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  DeliveryChoice delivery;

  @Option(names = "--latency-delivery", split = ",", defaultValue = "EXACTLY_ONCE,AT_LEAST_ONCE",
      description = "One latency run, one job, per guarantee listed (default ${DEFAULT-VALUE}).")
  List<DeliveryChoice> latencyDeliveries;

  @Option(names = "--latency-rates", split = ",", defaultValue = "1000,5000,10000",
      description = "Transactions per second of each latency run, measured one after the other on its job "
          + "(default ${DEFAULT-VALUE}).")
  List<Double> latencyRates;

  @Option(names = "--latency-duration", defaultValue = "PT30S",
      description = "Measured time at each latency rate, after its warm-up; PT0S: no latency runs (default ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(names = "--latency-warm-up", defaultValue = "PT30S",
      description = "Unmeasured time at each latency rate before it is measured; a fresh job keeps getting faster "
          + "while its code compiles, on two cores for a minute or two (default ${DEFAULT-VALUE}).")
  Duration latencyWarmUp;

  @Option(names = "--latency-customers", defaultValue = "100000",
      description = "Customers (each with one or two cards) whose transactions the latency runs send. A card's "
          + "history, read and written with each of its transactions, grows with its transactions of the last 24 "
          + "hours: many customers make each card's few, as real traffic does, few make every card a busy one "
          + "(2000: the throughput runs' population, each card a transaction every half second at 5,000/s) "
          + "(default ${DEFAULT-VALUE}).")
  int latencyCustomers;

  @Option(names = "--latency-samples",
      description = "Also write every measured transaction of each latency run, its send time and its latency on "
          + "each path, as CSV into this folder (latency-DELIVERY-RATE.csv): the timeline shows what the percentiles "
          + "hide, such as a stall at every checkpoint.")
  Path latencySamples;

  @Mixin ModelBundleOptions scoring;

  @Mixin LocalJobOptions local;

  @Option(names = "--no-lookup", description = "Run the job without the profile lookup (by default it joins the "
      + "simulator's profiles in an embedded database, as the demo does).")
  boolean noLookup;

  @Option(names = "--cards", defaultValue = "0",
      description = "Also measure the keyed state of this many distinct cards; 0: not measured (default ${DEFAULT-VALUE}).")
  long cards;

  @Option(names = "--transactions-per-card", defaultValue = "2",
      description = "Transactions of each card in the card-state run (default ${DEFAULT-VALUE}).")
  int transactionsPerCard;

  @Option(names = "--managed-memory", defaultValue = "256m",
      description = "TaskManager managed memory, which bounds RocksDB's memory where the job runs with "
          + "state.backend ROCKSDB (default ${DEFAULT-VALUE}).")
  String managedMemory;

  @Option(names = "--job", description = "A setting of the full job key=value for every run, over the bench's own "
      + "(e.g. kafka.client.linger.ms=1); repeatable.")
  Map<String, String> jobOverrides = new HashMap<>();

  @Option(names = "--writer-property", description = "A Kafka producer property of the latency runs' load generator "
      + "key=value, over its own (idempotent, acks=all, linger.ms=5 as Kafka's default; e.g. linger.ms=0); repeatable.")
  Map<String, String> writerProperties = new HashMap<>();

  @Option(names = "--flink", description = "A Flink setting key=value for every Flink run, over the job's own "
      + "(e.g. state.backend.rocksdb.timer-service.factory=HEAP); repeatable.")
  Map<String, String> flinkSettings = new HashMap<>();

  @Option(names = "--stall-timeout", defaultValue = "PT2M",
      description = "Fail a run whose output stands still this long (default ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin PopulationOptions population;

  @Option(names = "--rules", paramLabel = "FILE", description = "A rule set every job of the bench decides with, as "
      + "rules.file (default: none, the model alone).")
  Path rules;

  @Option(names = "--rule-updates", description = "Every job of the bench takes rule sets published while it runs "
      + "(rules.updates), as the deployed job does: a second input of the card features' task, whose records come "
      + "down its chain to the deciding operator.")
  boolean ruleUpdates;

  @Override
  public Integer call() throws Exception {
    if (latencyRates.stream().anyMatch(rate -> !(rate > 0))) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--latency-rates must all be positive");
    }
    if (latencyCustomers < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--latency-customers must be positive");
    }
    Path secrets = Files.createTempDirectory("riskstream-bench");
    try {
      return bench(secrets);
    } finally {
      FileUtils.deleteDirectoryQuietly(secrets.toFile());
    }
  }

  private int bench(Path secrets) throws Exception {
    Map<String, String> jobSettings = new HashMap<>();
    jobSettings.put(InputOptions.TOKEN_KEY.key(), RunSecrets.tokenKey(secrets));
    LocalStack.allowSimulatedClock(jobSettings);
    if (rules != null) {
      jobSettings.put(RuleOptions.FILE.key(), rules.toString());
    }
    if (ruleUpdates) {
      jobSettings.put(RuleOptions.UPDATES.key(), "true");
    }
    BenchOptions options = new BenchOptions(events, local.partitions, local.parallelism, batchSize, local.checkpointInterval, delivery,
        latencyDeliveries, latencyRates, latencyDuration, latencyWarmUp, latencyCustomers, latencySamples, scoring.model(), scoring.executionProvider(), !noLookup, cards,
        transactionsPerCard, MemorySize.parse(managedMemory), stallTimeout, seed, population.seed, jobSettings,
        jobOverrides, flinkSettings, writerProperties);
    BenchReport report = Bench.run(options, System.err);
    report.write(out);
    spec.commandLine().getOut().print(report.table());
    spec.commandLine().getOut().println("figures written to " + out.toAbsolutePath());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
