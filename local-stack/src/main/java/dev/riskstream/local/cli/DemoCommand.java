package dev.riskstream.local.cli;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.monitoring.MonitoringOptions;
import dev.riskstream.local.flink.PrometheusReporter;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.JobTopics;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.training.LoggedFeatures;
import dev.riskstream.training.Retraining;
import dev.riskstream.training.RetrainingService;
import dev.riskstream.training.RetrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole product on one machine: an embedded Kafka broker, a lookup database with the simulated
 * customers' and merchants' profiles (embedded H2, or an external database), the job on a Flink
 * MiniCluster with its web dashboard, and the transaction simulator feeding it; a live status line,
 * and a {@code SUMMARY} JSON line at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run broker, job, dashboard and simulator on this machine until interrupted.")
final class DemoCommand implements Callable<Integer> {

  /** Not a secret: the demo's card tokens only need to be stable. Deployments set their own key. */

  @Option(names = "--events", description = "Simulate this many transactions (with --no-simulator: await this many "
      + "input records), exit 0 once each has its decision or dead letter.")
  Long events;

  @Option(names = "--no-simulator", description = "Serve only: external producers write to the transactions topic.")
  boolean noSimulator;

  @Mixin CardEncryptionOption cardEncryption;

  @Mixin SimulationOptions simulation;

  @Mixin LabelOptions labelling;

  @Option(names = "--monitoring-window", defaultValue = "P1D",
      description = "Monitoring window in simulated time: about 8,600 transactions a day, a few seconds of the "
          + "demo (default ${DEFAULT-VALUE}).")
  Duration monitoringWindow;

  @Option(names = "--prometheus-port", description = "Serve the job's metrics for Prometheus on this port at /metrics, "
      + "through Flink's Prometheus reporter as the deployed images do (default: not served).")
  Integer prometheusPort;

  @Mixin ModelOptions scoring;

  @Mixin PortOptions ports;

  @Mixin LocalJobOptions local;

  @Option(names = "--registry", defaultValue = ModelRegistryOptions.DEFAULT_REGISTRY,
      description = "Model registry the job takes announced versions from; `riskstream model publish` writes "
          + "to it (default ${DEFAULT-VALUE}).")
  String registry;

  /** Without --lookup-jdbc-url: an embedded H2 database. When preparing it fails, the demo runs on with fallbacks. */
  @Mixin LookupDatabaseOptions lookup;

  @Option(names = "--no-lookup", description = "Run the job without the profile lookup join (lookupStatus NOT_CONFIGURED).")
  boolean noLookup;

  @Option(names = "--retrain", description = "Close the loop: the job writes its feature log, and a retraining "
      + "service in this process answers each retraining request by training on the logged features and the labels "
      + "so far, judging the candidate against the model in use on the same held-out rows, and publishing and "
      + "announcing it when it passes (see docs/retraining.md). The simulator holds while a retraining runs, and "
      + "unless --rate says otherwise sends " + RETRAINING_RATE + " transactions per second, so that the job keeps "
      + "up with it beside the retraining.")
  boolean retrain;

  /**
   * The demo compresses a day of traffic into seconds, but not retraining: at this rate the job keeps up
   * with the feed while retraining joins share the machine, so holding the feed while a retraining runs
   * also holds the job, and the retrained model decides the traffic after the drift that was detected.
   */
  static final int RETRAINING_RATE = 1000;

  @Spec CommandSpec spec;

  @Option(names = "--retraining-reports", defaultValue = "models/retraining",
      description = "With --retrain: where each retraining leaves its report and candidate bundle (default ${DEFAULT-VALUE}).")
  Path retrainingReports;

  /** Task slots the demo's cluster keeps for retraining joins, with --retrain. */
  private static final int RETRAINING_SLOTS = 2;

  @Option(names = "--stall-timeout", defaultValue = "PT3M",
      description = "With --events: give up (exit 1) when nothing is decided for this long (default ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @Override
  public Integer call() throws Exception {
    if (ports.uiPort == 0) {
      ports.uiPort = freePort();
    }
    Path checkpoints = Files.createTempDirectory("riskstream-checkpoints");
    CardEncryptionOption.RunCardKey cardKey = cardEncryption.create();
    Path featureLog = retrain ? Files.createTempDirectory("riskstream-feature-log") : null;
    // Ctrl-C: the main loop stops, and the JVM waits until the summary is out
    ShutdownRequest shutdown = ShutdownRequest.install();
    try (cardKey; EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(ports.kafkaPort)) {
      Map<String, String> settings = new HashMap<>(Map.of(
          // no key in the repository: without the variable, a fresh one per run (the demo's state lives as long)
          InputOptions.TOKEN_KEY.key(), tokenKey(),
          DeliveryOptions.CHECKPOINT_INTERVAL.key(), local.checkpointInterval.toMillis() + " ms",
          // the feed can end (--events): its last transactions then wait for no watermark, only this
          FeatureOptions.MAX_WAIT.key(), "1 s",
          dev.riskstream.io.settings.KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          dev.riskstream.io.settings.ModelOptions.REGISTRY.key(), registry));
      settings.putAll(scoring.jobSettings());
      settings.putAll(labelSettings());
      if (featureLog != null) {
        settings.put(FeatureLogOptions.PATH.key(), featureLog.toUri().toString());
      }
      if (!noSimulator) {
        allowSimulatedClock(settings);
      }
      if (!noLookup) {
        settings.putAll(prepareLookupDatabase());
      }
      if (cardKey != null) {
        settings.putAll(cardKey.jobSettings());
      }
      JobConfig config = JobConfig.from(Configuration.fromMap(settings));
      JobTopics.create(broker, config, local.partitions);
      try (TopicMonitor monitor = TopicMonitor.start(broker.bootstrapServers(), config)) {
        JobClient job = submit(config, checkpoints);
        RetrainingService retraining = null;
        SimulatorFeed feed = null;
        try {
          retraining = retrain ? startRetraining(settings) : null;
          // a retraining takes half a minute, days of the demo's traffic: simulated time stands still meanwhile
          BooleanSupplier retrainingUnderWay = retraining == null ? () -> false : retraining::answering;
          feed = noSimulator ? null
              : SimulatorFeed.start(KafkaClientProperties.NONE.toProperties(broker.bootstrapServers()),
                  config.transactionsTopic(), simulation.simulator(),
                  new SimulatorFeed.LabelFeed(config.labels().orElseThrow().labelsTopic(), labelling.labeller(simulation.seed)),
                  cardKey == null ? null : cardKey.sealing(), rate(), events, retrainingUnderWay);
          return runUntilDone(job, monitor, shutdown, broker.bootstrapServers(), retrainingUnderWay);
        } finally {
          if (feed != null) {
            feed.close();
          }
          if (retraining != null) {
            retraining.close();
          }
          stop(job);
          System.out.println("SUMMARY " + monitor.summary(broker.bootstrapServers(), loopSummary(monitor, feed, retraining)));
          System.out.flush();
        }
      }
    } finally {
      if (!noLookup && lookup.jdbcUrl == null) {
        ProfileSeeder.shutDownEmbedded();
      }
      FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
      if (featureLog != null) {
        FileUtils.deleteDirectoryQuietly(featureLog.toFile());
      }
      shutdown.close();
    }
  }

  private double rate() {
    return retrain && !spec.commandLine().getParseResult().hasMatchedOption("--rate") ? RETRAINING_RATE : simulation.rate;
  }

  /** Retraining reads what the job was configured with: broker, topics, registry, feature log. */
  private RetrainingService startRetraining(Map<String, String> jobSettings) {
    Map<String, String> settings = new HashMap<>(jobSettings);
    settings.put(RetrainingSettings.REPORTS.key(), retrainingReports.toString());
    RetrainingSettings retraining = RetrainingSettings.from(Configuration.fromMap(settings));
    return RetrainingService.start(retraining,
        new Retraining(retraining, this::retrainingEnvironment, Clock.systemUTC()));
  }

  /**
   * Each retraining's join runs on the demo's cluster, in slots of its own beside the job's: a
   * MiniCluster of its own took 15 s to start on a busy machine, a quarter of a retraining.
   */
  private StreamExecutionEnvironment retrainingEnvironment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment("localhost", ports.uiPort);
    env.setParallelism(RETRAINING_SLOTS);
    return env;
  }

  /**
   * What the summary adds about the loop: once the traffic drifted, decisions and realised ROC AUC
   * per model version on the traffic from then on; with --retrain, what each retraining did.
   */
  private static Map<String, Object> loopSummary(TopicMonitor monitor, SimulatorFeed feed, RetrainingService retraining) {
    Map<String, Object> loop = new java.util.LinkedHashMap<>();
    Optional<Instant> driftStartedAt = feed == null ? Optional.empty() : feed.driftStartedAt();
    driftStartedAt.ifPresent(from -> {
      loop.put("driftStartedAt", from.toString());
      loop.put("postDriftDecisionsByModelVersion", monitor.decisionsSince(from));
      loop.put("postDriftRocAuc", monitor.realisedRocAucSince(from));
    });
    if (retraining != null) {
      loop.put("retrainings", retraining.reports().stream().map(report -> {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("champion", report.championVersion());
        entry.put("candidate", report.candidateVersion());
        entry.put("outcome", report.outcome().name());
        entry.put("trainedFrom", report.from());
        entry.put("trainedTo", report.to());
        entry.put("labelledRows", report.labelledRows());
        if (report.candidate() != null) {
          entry.put("heldOutRocAuc", Map.of(report.championVersion(), Math.round(report.champion().rocAuc() * 1e4) / 1e4,
              report.candidateVersion(), Math.round(report.candidate().rocAuc() * 1e4) / 1e4));
        }
        return entry;
      }).toList());
    }
    return loop;
  }

  /** The simulator's clock runs ahead of the wall clock (about 10 s of event time per transaction). */
  static void allowSimulatedClock(Map<String, String> settings) {
    settings.put(InputOptions.MAX_EVENT_TIME_AHEAD.key(), "3650 d");
  }

  /** The card-token key from the environment, else a random one: no key lives in the repository. */
  static String tokenKey() {
    String fromEnvironment = System.getenv(InputOptions.TOKEN_KEY_ENV);
    if (fromEnvironment != null) {
      return fromEnvironment;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /**
   * Labels on, in the simulator's time: a report waits twice the typical label delay after its
   * window, so that only stragglers come late, and decisions and labels wait for each other six
   * times the typical delay, so that stragglers still find their decision.
   */
  private Map<String, String> labelSettings() {
    return Map.of(
        dev.riskstream.job.performance.LabelOptions.ENABLED.key(), "true",
        MonitoringOptions.WINDOW.key(), monitoringWindow.toMillis() + " ms",
        dev.riskstream.job.performance.LabelOptions.WAIT.key(), labelling.labelDelay.multipliedBy(2).toMillis() + " ms",
        dev.riskstream.job.performance.LabelOptions.TTL.key(), labelling.labelDelay.multipliedBy(6).toMillis() + " ms");
  }

  /**
   * Migrates the lookup database and writes the profiles of the simulator's population, the same
   * seed as the feed, so that its transactions find them; returns the job's lookup settings.
   */
  private Map<String, String> prepareLookupDatabase() throws Exception {
    boolean embedded = lookup.jdbcUrl == null;
    String url = embedded ? ProfileSeeder.EMBEDDED_URL : lookup.jdbcUrl;
    String user = embedded ? ProfileSeeder.EMBEDDED_USER : lookup.username;
    String password = embedded ? "" : lookup.password();
    try {
      ProfileSeeder.migrate(url, user, password);
      ProfileSeeder.Seeded seeded = ProfileSeeder.seed(url, user, password, simulation.population.population());
      System.err.printf("Lookup database %s: %d customer and %d merchant profiles%n",
          url, seeded.customers(), seeded.merchants());
    } catch (Exception e) {
      if (embedded) {
        throw e;
      }
      // the demo shows what the job does without its database: it scores on, with fallbacks
      System.err.printf("Lookup database %s cannot be prepared (%s); the job will use fallback profile features%n",
          url, e.getMessage());
    }
    Map<String, String> settings = new HashMap<>();
    settings.put(LookupOptions.JDBC_URL.key(), url);
    if (user != null) {
      settings.put(LookupOptions.USERNAME.key(), user);
    }
    if (password != null) {
      settings.put(LookupOptions.PASSWORD.key(), password);
    }
    return settings;
  }

  /** Cancels the job and waits until its tasks are gone, so nothing writes after the summary. */
  private static void stop(JobClient job) throws Exception {
    if (!job.getJobExecutionResult().isDone()) {
      job.cancel().handle((ack, alreadyOver) -> ack).get();
    }
    // completes exceptionally once cancelled: the outcome is what the summary reports
    job.getJobExecutionResult().handle((result, failure) -> result).get();
  }

  /** Why the job ended, in the words of the code that failed it rather than of Flink's wrappers. */
  private static String howItEnded(JobClient job) {
    try {
      job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
      return "the job finished";
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "the job failed: " + ExceptionUtils.findThrowable(e, t -> t.getClass().getName().startsWith("dev.riskstream."))
          .orElse(root).getMessage();
    }
  }

  /** The dashboard URL must be printable before Flink binds, so port 0 is resolved here. */
  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JobClient submit(JobConfig config, Path checkpoints) throws Exception {
    Configuration flink = RiskstreamJob.runtimeSettings(config);
    flink.set(RestOptions.PORT, ports.uiPort);
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, local.parallelism + (retrain ? RETRAINING_SLOTS : 0));
    if (retrain) {
      flink.addAll(LoggedFeatures.READER_SETTINGS);
    }
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    if (prometheusPort != null) {
      PrometheusReporter.enable(flink, String.valueOf(prometheusPort));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
    env.setParallelism(local.parallelism);
    RiskstreamJob.wireKafka(env, config);
    return env.executeAsync(RiskstreamJob.JOB_NAME);
  }

  /**
   * Reports of the windows closed by the last labels become visible with a checkpoint after the last
   * decision: waits until two checkpoint intervals bring no new one, 30 s at most.
   */
  private void awaitPerformanceReports(TopicMonitor monitor) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long seen = -1;
    while (monitor.performanceReports() != seen && System.nanoTime() < deadline) {
      seen = monitor.performanceReports();
      Thread.sleep(local.checkpointInterval.multipliedBy(2).toMillis());
    }
  }

  /** @param holding while true, the feed holds: no decision is no stall */
  private int runUntilDone(JobClient job, TopicMonitor monitor, ShutdownRequest shutdown, String bootstrapServers,
      BooleanSupplier holding) throws Exception {
    String dashboardUrl = "http://localhost:" + ports.uiPort;
    boolean announcedReady = false;
    long lastProgress = System.nanoTime();
    long lastHandled = 0;
    StatusLine status = new StatusLine(System.err);
    while (!shutdown.requested()) {
      Thread.sleep(1_000);
      // the MiniCluster shuts down with its only job, so ask the result before the status
      if (job.getJobExecutionResult().isDone()) {
        status.finish();
        System.err.println(howItEnded(job));
        return 1;
      }
      JobStatus state = job.getJobStatus().handle((current, clusterGone) -> current).get();
      if (!announcedReady && state == JobStatus.RUNNING) {
        announcedReady = true;
        System.err.printf("Flink dashboard: %s  Kafka: %s%n", dashboardUrl, bootstrapServers);
        if (noSimulator) {
          System.out.println("READY");
          System.out.flush();
        }
      }
      TopicMonitor.Counts counts = monitor.counts();
      status.show(counts);
      long handled = counts.decisions() + counts.deadLetters();
      if (handled > lastHandled || holding.getAsBoolean()) {
        lastHandled = handled;
        lastProgress = System.nanoTime();
      }
      if (events != null) {
        if (handled >= events) {
          status.finish();
          awaitPerformanceReports(monitor);
          return 0;
        }
        if (Duration.ofNanos(System.nanoTime() - lastProgress).compareTo(stallTimeout) > 0) {
          status.finish();
          System.err.println("no decision for " + stallTimeout + "; giving up");
          return 1;
        }
      }
    }
    status.finish();
    return 0;
  }
}
