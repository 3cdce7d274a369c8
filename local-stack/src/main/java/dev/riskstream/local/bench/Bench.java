package dev.riskstream.local.bench;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.DeliveryChoice;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.scoring.ScoringOptions;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.JobTopics;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.Population;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.LookupMigrations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;

/**
 * {@code riskstream bench} on the embedded stack: pre-loads the transactions, measures the two raw
 * pass-throughs and the full job on them, then the latency runs and, when asked, the keyed state of
 * many cards. Each run has topics, consumer group and transactional ids of its own.
 */
public final class Bench {

  private static final String KAFKA_COPY_TOPIC = "bench-kafka-copy";
  private static final String FLINK_COPY_TOPIC = "bench-flink-copy";

  private final BenchOptions options;
  private final PrintStream progress;
  private String bootstrapServers;

  private Bench(BenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** @param progress where the progress lines go */
  public static BenchReport run(BenchOptions options, PrintStream progress) throws Exception {
    return new Bench(options, progress).run();
  }

  private BenchReport run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      bootstrapServers = broker.bootstrapServers();
      if (options.lookup()) {
        LookupMigrations.migrate(ProfileSeeder.EMBEDDED_URL, ProfileSeeder.EMBEDDED_USER, "");
        ProfileSeeder.seed(ProfileSeeder.EMBEDDED_URL, ProfileSeeder.EMBEDDED_USER, "", lookupPopulation());
      }
      try {
        return measure(broker);
      } finally {
        if (options.lookup()) {
          ProfileSeeder.shutDownEmbedded();
        }
      }
    }
  }

  private BenchReport measure(EmbeddedKafkaBroker broker) throws Exception {
    long events = options.events();
    JobConfig full = throughputConfig("", options.delivery());
    List<JobConfig> latencyRuns = (options.latencyDuration().isZero() ? List.<DeliveryChoice>of()
        : options.latencyDeliveries()).stream()
        .map(this::latencyConfig)
        .toList();
    JobConfig cardRun = throughputConfig("cards", options.delivery());
    // every topic at the start: a producer that writes to a partition moments after its creation can
    // find the broker not yet its leader, and an idempotent producer may then not recover its sequence
    List<JobConfig> runs = new ArrayList<>(latencyRuns);
    runs.add(full);
    runs.add(cardRun);
    for (JobConfig config : runs) {
      JobTopics.create(broker, config, options.partitions());
    }
    broker.createTopics(Map.of(KAFKA_COPY_TOPIC, options.partitions(), FLINK_COPY_TOPIC, options.partitions()));
    try (TransactionWriter writer = new TransactionWriter(bootstrapServers, full.transactionsTopic(), simulator(0));
        Progress loading = Progress.start(progress, "pre-loading transactions", events, writer::written)) {
      writer.write(events);
    }
    Throughput kafkaCopy = kafkaCopyLoop(full.transactionsTopic());
    Throughput flinkCopy = flinkCopyJob(full.transactionsTopic());

    Throughput.Reading start;
    Throughput.Reading end;
    Await.Milestones milestones;
    long decisions;
    long deadLetters;
    try (TopicReader reader = TopicReader.counting(bootstrapServers,
        List.of(full.decisionsTopic(), full.deadLettersTopic()))) {
      start = Throughput.Reading.now();
      try (JobRun job = JobRun.submit(full, options, "full job",
              env -> RiskstreamJob.wireKafka(env, full));
          Progress running = Progress.start(progress, "full job", events, reader::count)) {
        milestones = job.awaitCount(reader::count, events, options.stallTimeout());
        end = Throughput.Reading.now();
      }
      decisions = reader.count(full.decisionsTopic());
      deadLetters = reader.count(full.deadLettersTopic());
    }
    Throughput fullJob = Throughput.measured(decisions + deadLetters, start, end, milestones, checkpointBursts());

    List<BenchReport.LatencyResult> latency = new ArrayList<>();
    int run = 1;
    for (JobConfig config : latencyRuns) {
      latency.addAll(LatencyRun.run(bootstrapServers, config, options,
          simulatorBuilder(run++).customers(options.latencyCustomers()).build(), progress));
    }
    BenchReport.CardState cardState = options.cards() > 0
        ? CardStateRun.run(bootstrapServers, cardRun, options, simulatorBuilder(run)
            .meanInterArrival(CardStateRun.interArrival(options.cards() * options.transactionsPerCard())).build(),
            progress)
        : null;
    BenchReport.Ratios ratios = BenchReport.Ratios.of(kafkaCopy, flinkCopy, fullJob);
    return new BenchReport(BenchReport.Machine.current(), BenchReport.Configuration.of(options), events,
        kafkaCopy, flinkCopy, fullJob, decisions, deadLetters, ratios, BenchReport.Targets.judge(fullJob, ratios),
        BenchReport.Latency.of(LatencyGoals.AUTHORISATION, latency), cardState);
  }

  private Throughput kafkaCopyLoop(String from) throws Exception {
    AtomicLong copied = new AtomicLong();
    Throughput.Reading start = Throughput.Reading.now();
    CompletableFuture<Void> copy = CompletableFuture.runAsync(
        () -> KafkaCopyLoop.copy(bootstrapServers, from, KAFKA_COPY_TOPIC, options.events(), copied));
    Await.Milestones milestones;
    try (Progress copying = Progress.start(progress, "Kafka copy loop", options.events(), copied::get)) {
      milestones = Await.count(copied::get, options.events(), options.stallTimeout(), () -> {
        if (copy.isDone()) {
          copy.get(); // throws the loop's failure
        }
      });
      copy.get(); // every record acknowledged
    }
    Throughput.Reading end = Throughput.Reading.now();
    return Throughput.measured(verifiedCount(KAFKA_COPY_TOPIC), start, end, milestones, Duration.ZERO);
  }

  /** What a downstream consumer reads from {@code topic}, once it has read as many as were loaded. */
  private long verifiedCount(String topic) throws Exception {
    try (TopicReader reader = TopicReader.counting(bootstrapServers, topic)) {
      Await.count(reader::count, options.events(), options.stallTimeout(), () -> { });
      return reader.count();
    }
  }

  private Throughput flinkCopyJob(String from) throws Exception {
    JobConfig config = throughputConfig("copy", options.delivery());
    try (TopicReader reader = TopicReader.counting(bootstrapServers, FLINK_COPY_TOPIC)) {
      Throughput.Reading start = Throughput.Reading.now();
      Throughput.Reading end;
      Await.Milestones milestones;
      try (JobRun job = JobRun.submit(config, options, "Flink copy job",
              env -> FlinkCopyJob.wire(env, config, from, FLINK_COPY_TOPIC));
          Progress copying = Progress.start(progress, "Flink copy job", options.events(), reader::count)) {
        milestones = job.awaitCount(reader::count, options.events(), options.stallTimeout());
        end = Throughput.Reading.now();
      }
      return Throughput.measured(reader.count(), start, end, milestones, checkpointBursts());
    }
  }

  /** The least time over which a rate of output committed at each checkpoint means anything. */
  private Duration checkpointBursts() {
    return options.checkpointInterval().multipliedBy(5);
  }

  /**
   * A throughput run's configuration; {@code run} empty: the default topics ({@code transactions},
   * {@code decisions}).
   */
  private JobConfig throughputConfig(String run, DeliveryChoice delivery) {
    // the last transactions of a run wait for no later watermark, only this
    return jobConfig(run, delivery, Map.of(FeatureOptions.MAX_WAIT.key(), "1 s"));
  }

  /** A latency run's configuration: the job's own ordering and waits, whose latency it measures. */
  private JobConfig latencyConfig(DeliveryChoice delivery) {
    return jobConfig("latency-" + delivery.name().toLowerCase(Locale.ROOT).replace('_', '-'), delivery, Map.of());
  }

  /** The full job's configuration for one run, {@code overrides} over the bench's settings. */
  private JobConfig jobConfig(String run, DeliveryChoice delivery, Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(options.jobSettings());
    settings.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    settings.put(ModelOptions.BUNDLE.key(), options.model().toString());
    settings.put(ModelOptions.EXECUTION_PROVIDER.key(), options.executionProvider());
    settings.put(ScoringOptions.BATCH_SIZE.key(), String.valueOf(options.batchSize()));
    settings.put(DeliveryOptions.CHECKPOINT_INTERVAL.key(), options.checkpointInterval().toMillis() + " ms");
    settings.put(DeliveryOptions.GUARANTEE.key(), delivery.name());
    settings.putAll(overrides);
    settings.putAll(options.jobOverrides());
    if (!run.isEmpty()) {
      settings.put(TopicOptions.TRANSACTIONS.key(), run + "-transactions");
      settings.put(TopicOptions.DECISIONS.key(), run + "-decisions");
      settings.put(TopicOptions.DEAD_LETTERS.key(), run + "-dead-letters");
      settings.put(KafkaOptions.GROUP_ID.key(), "riskstream-" + run);
      settings.put(KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-" + run);
    }
    if (options.lookup()) {
      settings.put(LookupOptions.JDBC_URL.key(), ProfileSeeder.EMBEDDED_URL);
      settings.put(LookupOptions.USERNAME.key(), ProfileSeeder.EMBEDDED_USER);
    }
    return JobConfig.from(Configuration.fromMap(settings));
  }

  /**
   * Whose profiles the lookup holds: every run's customers. A larger population of a seed begins
   * with the smaller one's customers, so the larger of the two serves both.
   */
  private Population lookupPopulation() {
    int customers = options.latencyDuration().isZero() ? TransactionSimulator.DEFAULT_CUSTOMERS
        : Math.max(TransactionSimulator.DEFAULT_CUSTOMERS, options.latencyCustomers());
    return simulatorBuilder(0).customers(customers).build().population();
  }

  /** The simulator of one run: the same population (whose profiles the lookup holds), transactions of its own. */
  private TransactionSimulator simulator(int run) {
    return simulatorBuilder(run).build();
  }

  private TransactionSimulator.Builder simulatorBuilder(int run) {
    return TransactionSimulator.builder().seed(options.seed() + run).populationSeed(options.populationSeed())
        .start(Instant.now());
  }
}
