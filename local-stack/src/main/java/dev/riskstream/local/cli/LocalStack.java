package dev.riskstream.local.cli;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.local.cli.JobHost.RunningJob;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.JobTopics;
import dev.riskstream.local.simulator.Labeller;
import dev.riskstream.local.simulator.TransactionSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.flink.util.FileUtils;

/**
 * The job on this machine with all it needs around it, as {@code demo} and {@code cluster} run it: an
 * embedded Kafka broker and the job's topics, the lookup database, the job on its {@link JobHost}, and
 * the simulator feeding it; a live status line until done, then a {@code SUMMARY} JSON line. The
 * commands say what to run; one instance runs once.
 */
final class LocalStack {

  /**
   * The simulator's feed.
   *
   * @param simulator made when the feed starts: its clock starts then
   * @param labeller null: no labels are sent
   */
  record Feed(Supplier<TransactionSimulator> simulator, double rate, Labeller labeller) {}

  /**
   * How many seconds at the feed's rate the closed loop's feed may run ahead of the decisions, and at
   * least two checkpoint intervals: exactly-once decisions are seen when their checkpoint commits.
   */
  static final int LOOP_LEAD_SECONDS = 5;

  private final int kafkaPort;
  private final LocalJobOptions local;
  private final JobHost host;
  private Map<String, String> jobSettings = Map.of();
  private List<String> extraTopics = List.of();
  private boolean encryptCards;
  private Feed feed;
  private LookupDatabase lookup;
  private InProcessRetraining retraining;
  private Long events;
  private Duration stallTimeout;
  private boolean printsReady;
  /** Set once the feed runs; the topic monitor's thread reads it. */
  private volatile SimulatorFeed runningFeed;

  /** Runs the job on {@code host} with {@code local}'s parallelism, partitions and checkpoint interval. */
  LocalStack(int kafkaPort, LocalJobOptions local, JobHost host) {
    this.kafkaPort = kafkaPort;
    this.local = local;
    this.host = host;
  }

  /** The job's settings that the command chooses, beside those the stack sets (broker, checkpoints, keys). */
  LocalStack jobSettings(Map<String, String> settings) {
    this.jobSettings = settings;
    return this;
  }

  /** Topics beside the job's, one partition each, for the user's own producers and consumers. */
  LocalStack extraTopics(List<String> topics) {
    this.extraTopics = List.copyOf(topics);
    return this;
  }

  /** The simulator sends every PAN encrypted under a key made for this run, which the job reads. */
  LocalStack encryptCards(boolean encrypt) {
    this.encryptCards = encrypt;
    return this;
  }

  /** Without a feed, external producers write to the transactions topic. */
  LocalStack feed(Feed simulated) {
    this.feed = simulated;
    return this;
  }

  LocalStack lookup(LookupDatabase database) {
    this.lookup = database;
    return this;
  }

  LocalStack retraining(InProcessRetraining loop) {
    this.retraining = loop;
    return this;
  }

  /**
   * Exit 0 once this many input records have their decision or dead letter; null: run until
   * interrupted.
   *
   * @param stall null: wait however long; else exit 1 when nothing is decided for this long
   */
  LocalStack awaiting(Long records, Duration stall) {
    this.events = records;
    this.stallTimeout = stall;
    return this;
  }

  /** Print {@code READY} on standard output once producers may write, for a caller that waits for it. */
  LocalStack printingReady(boolean ready) {
    this.printsReady = ready;
    return this;
  }

  /** Starts everything, watches until done, prints the summary; returns the exit code. */
  int run() throws Exception {
    Path scratch = Files.createTempDirectory("riskstream-run");
    // Ctrl-C: the main loop stops, and the JVM waits until the summary is out
    ShutdownRequest shutdown = ShutdownRequest.install();
    try (CardEncryptionOption.RunCardKey cardKey = encryptCards ? CardEncryptionOption.RunCardKey.create() : null;
        LookupDatabase database = lookup;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(kafkaPort)) {
      String bootstrapServers = broker.bootstrapServers();
      Map<String, String> settings = settings(bootstrapServers, cardKey, database, scratch);
      settings.putIfAbsent(InputOptions.TOKEN_KEY.key(), RunSecrets.tokenKey(scratch));
      JobConfig config = JobConfig.fromMap(settings, System.getenv());
      JobTopics.create(broker, config, local.partitions);
      if (!extraTopics.isEmpty()) {
        broker.createTopics(extraTopics.stream().collect(Collectors.toMap(topic -> topic, topic -> 1)));
      }
      try (TopicMonitor monitor = TopicMonitor.start(bootstrapServers, config, this::driftStartedAt)) {
        RunningJob job = host.start(config, settings, scratch);
        try (job) {
          Watch watch = new Watch(job, monitor, shutdown, bootstrapServers);
          watch.announceOnceRunning();
          try (InProcessRetraining answering = startRetraining(settings)) {
            // a retraining takes half a minute, days of the demo's traffic: simulated time stands still meanwhile
            BooleanSupplier retrainingUnderWay = () -> answering != null && answering.underWay();
            BooleanSupplier feedHolds = answering == null || feed == null ? retrainingUnderWay
                : atTheJobsPace(retrainingUnderWay, monitor);
            try (SimulatorFeed feeding = startFeed(config, cardKey, bootstrapServers, feedHolds)) {
              runningFeed = feeding;
              return watch.untilDone(config.labels().isPresent(), retrainingUnderWay);
            }
          }
        } finally {
          System.out.println("SUMMARY " + monitor.summary(bootstrapServers, loopSummary(config, monitor)));
          System.out.flush();
        }
      }
    } finally {
      FileUtils.deleteDirectoryQuietly(scratch.toFile());
      shutdown.close();
    }
  }

  private Map<String, String> settings(String bootstrapServers, CardEncryptionOption.RunCardKey cardKey,
      LookupDatabase database, Path scratch) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    settings.put(DeliveryOptions.CHECKPOINT_INTERVAL.key(), local.checkpointInterval.toMillis() + " ms");
    // the feed can end (--events): its last transactions then wait for no watermark, only this
    settings.put(FeatureOptions.MAX_WAIT.key(), "1 s");
    settings.putAll(jobSettings);
    if (feed != null) {
      allowSimulatedClock(settings);
    }
    if (database != null) {
      settings.putAll(database.prepare(scratch));
    }
    if (retraining != null) {
      // a feature log the caller named is the one retraining reads
      retraining.jobSettings(scratch).forEach(settings::putIfAbsent);
    }
    if (cardKey != null) {
      settings.putAll(cardKey.jobSettings());
    }
    return settings;
  }

  private InProcessRetraining startRetraining(Map<String, String> settings) {
    if (retraining != null) {
      retraining.start(settings);
    }
    return retraining;
  }

  /** @param holding while true, nothing is sent and simulated time stands still */
  private SimulatorFeed startFeed(JobConfig config, CardEncryptionOption.RunCardKey cardKey, String bootstrapServers,
      BooleanSupplier holding) {
    if (feed == null) {
      return null;
    }
    SimulatorFeed.LabelFeed labels = feed.labeller() == null ? null
        : new SimulatorFeed.LabelFeed(config.labels().orElseThrow().labelsTopic(), feed.labeller());
    return SimulatorFeed.start(KafkaClientProperties.NONE.toProperties(bootstrapServers), config.transactionsTopic(),
        feed.simulator().get(), labels, cardKey == null ? null : cardKey.sealing(), feed.rate(), events, holding);
  }

  /**
   * Holds the feed while {@code holding}, and while it is more than {@link #LOOP_LEAD_SECONDS} of its
   * rate ahead of the decisions. The loop answers drift at the event time the job has reached: a feed
   * far ahead of a job slower than its rate (a loaded machine, a cold start) had sent nearly all of
   * the traffic by the time a retrained model was announced, leaving it none to decide.
   */
  private BooleanSupplier atTheJobsPace(BooleanSupplier holding, TopicMonitor monitor) {
    Duration lead = Collections.max(List.of(Duration.ofSeconds(LOOP_LEAD_SECONDS),
        local.checkpointInterval.multipliedBy(2)));
    long mostAhead = (long) (lead.toMillis() * feed.rate() / 1000);
    return () -> {
      SimulatorFeed started = runningFeed;
      return holding.getAsBoolean() || started != null && started.sent() - monitor.handled() > mostAhead;
    };
  }

  /** When the traffic drifted, in event time; empty while it has not. */
  private Optional<Instant> driftStartedAt() {
    SimulatorFeed started = runningFeed;
    return started == null ? Optional.empty() : started.driftStartedAt();
  }

  /**
   * What the summary adds about the loop: once the traffic drifted, decisions and realised ROC AUC
   * per model version on the traffic from then on, where the job takes labels; what each retraining did.
   */
  private Map<String, Object> loopSummary(JobConfig config, TopicMonitor monitor) {
    Map<String, Object> loop = new LinkedHashMap<>();
    if (config.labels().isPresent()) {
      driftStartedAt().ifPresent(from -> {
        loop.put("driftStartedAt", from.toString());
        loop.put("postDriftDecisionsByModelVersion", monitor.postDrift().decisionsByModelVersion());
        loop.put("postDriftRocAuc", monitor.postDrift().rocAucByModelVersion());
      });
    }
    if (retraining != null) {
      loop.put("retrainings", retraining.summary());
    }
    return loop;
  }

  /** The simulator's clock runs ahead of the wall clock (about 10 s of event time per transaction). */
  static void allowSimulatedClock(Map<String, String> settings) {
    settings.put(InputOptions.MAX_EVENT_TIME_AHEAD.key(), "3650 d");
  }

  /** One look a second at the job and the output topics, until the run is done. */
  private final class Watch {

    private final RunningJob job;
    private final TopicMonitor monitor;
    private final ShutdownRequest shutdown;
    private final String bootstrapServers;
    private final StatusLine status = new StatusLine(System.err);
    private boolean announced;

    Watch(RunningJob job, TopicMonitor monitor, ShutdownRequest shutdown, String bootstrapServers) {
      this.job = job;
      this.monitor = monitor;
      this.shutdown = shutdown;
      this.bootstrapServers = bootstrapServers;
    }

    /**
     * @param performanceReports whether the job writes performance reports, which the last labels close
     * @param holding while true, the feed holds: no decision is no stall
     */
    int untilDone(boolean performanceReports, BooleanSupplier holding) throws Exception {
      long lastProgress = System.nanoTime();
      long lastHandled = 0;
      while (!shutdown.requested()) {
        Thread.sleep(1_000);
        Optional<String> ended = job.ended();
        if (ended.isPresent()) {
          status.finish();
          System.err.println(ended.get());
          return 1;
        }
        announceOnceRunning();
        TopicMonitor.Counts counts = monitor.counts();
        status.show(counts);
        long handled = monitor.handled();
        if (handled > lastHandled || holding.getAsBoolean()) {
          lastHandled = handled;
          lastProgress = System.nanoTime();
        }
        if (events != null) {
          if (handled >= events) {
            status.finish();
            if (performanceReports) {
              awaitPerformanceReports();
            }
            return 0;
          }
          if (stallTimeout != null && Duration.ofNanos(System.nanoTime() - lastProgress).compareTo(stallTimeout) > 0) {
            status.finish();
            System.err.println("no decision for " + stallTimeout + "; giving up");
            return 1;
          }
        }
      }
      status.finish();
      return 0;
    }

    private void announceOnceRunning() throws Exception {
      if (!announced && job.running()) {
        announced = true;
        System.err.println(job.whereToWatch(bootstrapServers));
        if (printsReady) {
          System.out.println("READY");
          System.out.flush();
        }
      }
    }

    /**
     * Reports of the windows closed by the last labels become visible with a checkpoint after the last
     * decision: waits until two checkpoint intervals bring no new one, 30 s at most.
     */
    private void awaitPerformanceReports() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long seen = -1;
      while (monitor.performanceReports() != seen && System.nanoTime() < deadline) {
        seen = monitor.performanceReports();
        Thread.sleep(local.checkpointInterval.multipliedBy(2).toMillis());
      }
    }
  }
}
