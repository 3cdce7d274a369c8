package dev.riskstream.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RuleSettings;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.EstimatedPerformance;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the job committed to the decisions, dead-letter, model-status and performance-report topics, as a
 * downstream consumer sees it ({@code read_committed}), and joins the decisions with the labels: the demo's
 * status line and summary measure the product from outside. What it keeps does not grow with the traffic.
 */
final class TopicMonitor implements AutoCloseable {

  private final Consumer<byte[], byte[]> consumer;
  private final JobConfig config;
  private final Thread thread;
  private final AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
  private final AvroCodec<ModelStatus> statuses = AvroCodec.of(ModelStatus.class);
  private final AvroCodec<PerformanceReport> reports = AvroCodec.of(PerformanceReport.class);
  private final AvroCodec<DriftReport> driftReportCodec = AvroCodec.of(DriftReport.class);
  private final AvroCodec<RetrainRequest> retrainRequestCodec = AvroCodec.of(RetrainRequest.class);
  private final Map<String, java.util.function.Consumer<byte[]>> handlers = new java.util.HashMap<>();
  private final AtomicLong driftReports = new AtomicLong();
  private final AtomicLong driftingReports = new AtomicLong();
  private final Map<String, AtomicLong> shadowDriftReports = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> driftingByFeature = new ConcurrentSkipListMap<>();
  private final AtomicLong retrainRequests = new AtomicLong();
  private final java.util.Set<String> retrainEvidenceFeatures = new java.util.concurrent.ConcurrentSkipListSet<>();
  private final AtomicLong performanceReports = new AtomicLong();
  private final AtomicLong rolloutPromotions = new AtomicLong();
  private final AtomicLong rolloutRejections = new AtomicLong();
  /** Per model version, the segment-all report of its latest window that has an AUC. */
  private static final int MIN_LABELLED_FOR_ESTIMATION_ERROR = 500;

  private final Map<String, PerformanceReport> latestWithAuc = new ConcurrentSkipListMap<>();
  private final Set<String> performanceSegments = new ConcurrentSkipListSet<>();
  /** Over windows with enough labels: the largest |estimated - realised| review precision, and how many windows. */
  private final EstimationError estimationError = new EstimationError();
  private final Map<String, AtomicLong> byModelVersion = new ConcurrentSkipListMap<>();
  private final Map<Integer, String> decidingVersionBySubtask = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> byRuleSetVersion = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> ruleHits = new ConcurrentSkipListMap<>();
  /** Per rule-set version and rule: labelled hits, frauds among them, frauds the model missed. */
  private final Map<String, long[]> labelledRuleHits = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> shadowRuleHits = new ConcurrentSkipListMap<>();
  private final AtomicLong ruleSetActivations = new AtomicLong();
  private final AtomicLong ruleSetRejections = new AtomicLong();
  private final AvroCodec<RuleSetStatus> ruleStatuses = AvroCodec.of(RuleSetStatus.class);
  private final AtomicLong modelActivations = new AtomicLong();
  private final AtomicLong modelRejections = new AtomicLong();
  private final AtomicLong[] byOutcome = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong lookupHits = new AtomicLong();
  /** MISS, TIMEOUT and ERROR: decisions made with fallback profile features. */
  private final AtomicLong lookupFallbacks = new AtomicLong();
  private final AtomicReference<String> modelVersion = new AtomicReference<>("");
  private final AtomicReference<String> executionProvider = new AtomicReference<>("");
  private final long startNanos = System.nanoTime();
  private final PostDriftPerformance postDrift;
  private final AvroCodec<FraudLabel> labelCodec = AvroCodec.of(FraudLabel.class);

  /** Totals so far. */
  record Counts(long decisions, long approve, long review, long decline, long deadLetters,
      String modelVersion, String executionProvider, double elapsedSeconds) {}

  private TopicMonitor(Consumer<byte[], byte[]> consumer, JobConfig config, PostDriftPerformance postDrift) {
    this.consumer = consumer;
    this.config = config;
    this.postDrift = postDrift;
    // every partition, no consumer group: the monitor reads everything and commits nothing
    List<TopicPartition> partitions = new java.util.ArrayList<>();
    handlers.put(config.deadLettersTopic(), value -> deadLetters.incrementAndGet());
    handlers.put(config.decisionsTopic(), this::count);
    handlers.put(config.drift().reportsTopic(), this::countDriftReport);
    handlers.put(config.drift().retrainRequestsTopic(), this::countRetrainRequest);
    config.modelUpdates().ifPresent(updates -> handlers.put(updates.statusTopic(), this::countStatus));
    config.rules().flatMap(RuleSettings::updates)
        .ifPresent(updates -> handlers.put(updates.statusTopic(), this::countRuleStatus));
    config.labels().ifPresent(labels -> {
      handlers.put(labels.reportsTopic(), this::countReport);
      handlers.put(labels.labelsTopic(), this::joinLabel);
    });
    for (String topic : handlers.keySet()) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::poll, "riskstream-topic-monitor");
    thread.setDaemon(true);
  }

  /** @param driftStartedAt when the traffic drifted, in event time; empty while it has not */
  static TopicMonitor start(String bootstrapServers, JobConfig config, Supplier<Optional<Instant>> driftStartedAt) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return start(new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), config,
        driftStartedAt);
  }

  /** Reads with {@code consumer}, which it closes. */
  static TopicMonitor start(Consumer<byte[], byte[]> consumer, JobConfig config,
      Supplier<Optional<Instant>> driftStartedAt) {
    TopicMonitor monitor = new TopicMonitor(consumer, config,
        new PostDriftPerformance(driftStartedAt, PostDriftPerformance.Bounds.of(config.labels())));
    monitor.thread.start();
    return monitor;
  }

  private void poll() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handlers.get(record.topic()).accept(record.value());
        }
      }
    } catch (WakeupException stop) {
      // close() asked the loop to end
    } finally {
      consumer.close();
    }
  }

  private void count(byte[] value) {
    try {
      Decision decision = decisions.decode(value);
      byOutcome[decision.getOutcome().ordinal()].incrementAndGet();
      switch (decision.getLookupStatus()) {
        case HIT -> lookupHits.incrementAndGet();
        case MISS, TIMEOUT, ERROR -> lookupFallbacks.incrementAndGet();
        default -> { } // NOT_CONFIGURED, or UNKNOWN from a newer writer
      }
      modelVersion.set(decision.getModelVersion());
      postDrift.decided(decision);
      byModelVersion.computeIfAbsent(decision.getModelVersion(), v -> new AtomicLong()).incrementAndGet();
      executionProvider.set(decision.getExecutionProvider());
      countRules(decision);
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  /** Rule-set versions and rule ids are few (a set holds at most a few hundred rules): these maps stay small. */
  private void countRules(Decision decision) {
    if (decision.getRuleSetVersion() != null) {
      byRuleSetVersion.computeIfAbsent(decision.getRuleSetVersion(), v -> new AtomicLong()).incrementAndGet();
    }
    decision.getRulesFired().forEach(id -> ruleHits.computeIfAbsent(id, i -> new AtomicLong()).incrementAndGet());
    decision.getShadowRulesFired()
        .forEach(id -> shadowRuleHits.computeIfAbsent(id, i -> new AtomicLong()).incrementAndGet());
  }

  private void countRuleStatus(byte[] value) {
    try {
      switch (ruleStatuses.decode(value).getStatus()) {
        case ACTIVATED -> ruleSetActivations.incrementAndGet();
        case REJECTED -> ruleSetRejections.incrementAndGet();
        default -> { } // UNKNOWN, from a newer writer
      }
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  private void joinLabel(byte[] value) {
    try {
      postDrift.labelled(labelCodec.decode(value));
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  /** Decisions and realised ROC AUC per model version on the traffic from the drift on. */
  PostDriftPerformance postDrift() {
    return postDrift;
  }

  /** Prints what a scoring subtask did with a model update, or a rollout's step, as it happens. */
  private void countStatus(byte[] value) {
    try {
      ModelStatus status = statuses.decode(value);
      if (status.getRollout() != null) {
        countRollout(status);
        return;
      }
      decidingVersionBySubtask.put(status.getSubtask(), status.getActiveVersion());
      if (status.getStatus() == ModelStatusKind.ACTIVATED) {
        modelActivations.incrementAndGet();
      } else if (status.getStatus() == ModelStatusKind.REJECTED) {
        modelRejections.incrementAndGet();
      }
      System.err.printf("%nmodel %s %s by scoring subtask %d%s; it decides with %s%s%n", status.getModelVersion(),
          status.getStatus().name().toLowerCase(java.util.Locale.ROOT), status.getSubtask(),
          status.getReason() == null ? "" : " (" + status.getReason() + ")", status.getActiveVersion(),
          status.getShadowVersion() == null ? "" : ", in shadow " + status.getShadowVersion());
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  private void countRollout(ModelStatus status) {
    if (status.getStatus() == ModelStatusKind.ROLLOUT_PROMOTED) {
      rolloutPromotions.incrementAndGet();
    } else if (status.getStatus() == ModelStatusKind.ROLLOUT_REJECTED) {
      rolloutRejections.incrementAndGet();
    }
    System.err.printf("%nrollout of %s%s: %s: %s%n", status.getModelVersion(),
        status.getActiveVersion().isEmpty() ? "" : " beside " + status.getActiveVersion(),
        status.getStatus().name().substring("ROLLOUT_".length()).toLowerCase(java.util.Locale.ROOT),
        status.getReason());
  }

  private void countReport(byte[] value) {
    try {
      PerformanceReport report = reports.decode(value);
      performanceReports.incrementAndGet();
      performanceSegments.add(report.getSegment());
      report.getRules().forEach(rule -> labelledRuleHits.merge(rule.getRuleSetVersion() + "/" + rule.getRuleId(),
          new long[] {rule.getFired(), rule.getFrauds(), rule.getFraudsModelMissed()},
          (known, more) -> new long[] {known[0] + more[0], known[1] + more[1], known[2] + more[2]}));
      estimationError.add(report);
      if (report.getRocAuc() != null && report.getSegment().equals(Segmenter.ALL)) {
        latestWithAuc.merge(report.getModelVersion(), report,
            (known, arrived) -> arrived.getWindowEnd().isAfter(known.getWindowEnd()) ? arrived : known);
      }
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  private void countDriftReport(byte[] value) {
    try {
      DriftReport report = driftReportCodec.decode(value);
      if (report.getShadow()) {
        // a candidate's view of the traffic: counted apart, so the counts below stay the deciding model's
        shadowDriftReports.computeIfAbsent(report.getModelVersion(), version -> new AtomicLong()).incrementAndGet();
        return;
      }
      driftReports.incrementAndGet();
      if (report.getStatus() == DriftStatus.DRIFTING) {
        driftingReports.incrementAndGet();
        report.getFeatures().stream().filter(FeatureDrift::getDrifting).forEach(feature ->
            driftingByFeature.computeIfAbsent(feature.getName(), name -> new AtomicLong()).incrementAndGet());
        if (report.getJoint() != null && report.getJoint().getDrifting()) {
          driftingByFeature.computeIfAbsent("joint", name -> new AtomicLong()).incrementAndGet();
        }
      }
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  /** Prints a retraining request with its strongest evidence, as it happens. */
  private void countRetrainRequest(byte[] value) {
    try {
      RetrainRequest request = retrainRequestCodec.decode(value);
      retrainRequests.incrementAndGet();
      request.getEvidence().forEach(e -> retrainEvidenceFeatures.add(e.getFeature()));
      String evidence = request.getEvidence().stream().limit(3)
          .map(e -> String.format("%s %s %s=%.3f", e.getSegment(), e.getFeature(), e.getStatistic(), e.getValue()))
          .collect(java.util.stream.Collectors.joining(", "));
      System.err.printf("%nretraining requested for %s (%s) after %d failing windows: %s%n",
          request.getModelVersion(), request.getReason(), request.getConsecutiveWindows(), evidence);
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  /**
   * How far the review precision estimated from the scores was from the realised one, per model
   * version, in the segment all's windows with at least {@value #MIN_LABELLED_FOR_ESTIMATION_ERROR}
   * labelled decisions (with fewer, the realised figure is itself too noisy to judge the estimate by).
   * Each such window is printed as it arrives.
   */
  private static final class EstimationError {
    private final Map<String, Double> largestByVersion = new TreeMap<>();
    private long windows;

    synchronized void add(PerformanceReport report) {
      EstimatedPerformance estimated = report.getEstimated();
      if (!report.getSegment().equals(Segmenter.ALL) || report.getLabelled() < MIN_LABELLED_FOR_ESTIMATION_ERROR
          || estimated == null || estimated.getReviewPrecision() == null || report.getReviewPrecision() == null) {
        return;
      }
      double error = Math.abs(estimated.getReviewPrecision() - report.getReviewPrecision());
      largestByVersion.merge(report.getModelVersion(), error, Math::max);
      windows++;
      System.err.printf("%nperformance of %s from %s: review precision %.3f realised over %d labelled, %.3f ± %.3f "
              + "estimated from the scores; ROC AUC %s realised, %s estimated%n", report.getModelVersion(),
          report.getWindowStart(), report.getReviewPrecision(), report.getLabelled(), estimated.getReviewPrecision(),
          estimated.getReviewPrecisionError(), rounded(report.getRocAuc()), rounded(estimated.getRocAuc()));
    }

    private static String rounded(Double value) {
      return value == null ? "-" : String.format("%.3f", value);
    }

    /** The largest over all versions; null when no window had enough labels. */
    synchronized Double largest() {
      return largestByVersion.values().stream().max(Double::compare).map(TopicMonitor::fourDigits).orElse(null);
    }

    synchronized Map<String, Double> largestByVersion() {
      Map<String, Double> rounded = new LinkedHashMap<>();
      largestByVersion.forEach((version, error) -> rounded.put(version, fourDigits(error)));
      return rounded;
    }

    synchronized long windows() {
      return windows;
    }
  }

  private static double fourDigits(double value) {
    return Math.round(value * 1e4) / 1e4;
  }


  long performanceReports() {
    return performanceReports.get();
  }

  /** Input records with their decision or dead letter so far. */
  long handled() {
    long decided = 0;
    for (AtomicLong outcome : byOutcome) {
      decided += outcome.get();
    }
    return decided + deadLetters.get();
  }

  Counts counts() {
    long approve = byOutcome[0].get();
    long review = byOutcome[1].get();
    long decline = byOutcome[2].get();
    return new Counts(approve + review + decline, approve, review, decline, deadLetters.get(),
        modelVersion.get(), executionProvider.get(), (System.nanoTime() - startNanos) / 1e9);
  }

  String summary(String bootstrapServers) throws Exception {
    return summary(bootstrapServers, Map.of());
  }

  /**
   * The SUMMARY JSON: these counts plus the number of records on the transactions topic; with {@code
   * extra}, its entries after them.
   */
  String summary(String bootstrapServers, Map<String, Object> extra) throws Exception {
    Counts counts = counts();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("transactions", recordsIn(bootstrapServers, config.transactionsTopic()));
    summary.put("decisions", counts.decisions());
    summary.put("approve", counts.approve());
    summary.put("review", counts.review());
    summary.put("decline", counts.decline());
    summary.put("deadLetters", counts.deadLetters());
    summary.put("undecodableRecords", undecodable.get());
    summary.put("lookupHits", lookupHits.get());
    summary.put("lookupFallbacks", lookupFallbacks.get());
    summary.put("modelVersion", counts.modelVersion());
    summary.put("decisionsByModelVersion", snapshot(byModelVersion));
    summary.put("decisionsByRuleSetVersion", snapshot(byRuleSetVersion));
    summary.put("ruleHits", snapshot(ruleHits));
    summary.put("shadowRuleHits", snapshot(shadowRuleHits));
    summary.put("ruleSetActivations", ruleSetActivations.get());
    summary.put("ruleSetRejections", ruleSetRejections.get());
    summary.put("modelActivations", modelActivations.get());
    summary.put("modelRejections", modelRejections.get());
    summary.put("promotions", rolloutPromotions.get());
    summary.put("rejections", rolloutRejections.get());
    // what each scoring subtask last said it decides with: a promotion acted on shows here before any decision
    summary.put("decidingVersionBySubtask", new TreeMap<>(decidingVersionBySubtask));
    summary.put("executionProvider", counts.executionProvider());
    summary.put("driftReports", driftReports.get());
    summary.put("driftingReports", driftingReports.get());
    summary.put("driftingReportsByFeature", snapshot(driftingByFeature));
    summary.put("shadowDriftReports", snapshot(shadowDriftReports));
    summary.put("retrainRequests", retrainRequests.get());
    summary.put("retrainEvidenceFeatures", List.copyOf(retrainEvidenceFeatures));
    if (config.labels().isPresent()) {
      summary.put("labels", recordsIn(bootstrapServers, config.labels().get().labelsTopic()));
      summary.put("performanceReports", performanceReports.get());
      summary.put("performanceSegments", performanceSegments.size());
      Map<String, Double> auc = new LinkedHashMap<>();
      latestWithAuc.forEach((version, report) -> auc.put(version, Math.round(report.getRocAuc() * 1e4) / 1e4));
      summary.put("latestRocAuc", auc);
      summary.put("estimatedVsRealised", estimationError.largest());
      summary.put("estimatedVsRealisedByVersion", estimationError.largestByVersion());
      summary.put("estimatedVsRealisedWindows", estimationError.windows());
      Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
      labelledRuleHits.forEach((rule, hits) -> rules.put(rule, Map.of("labelledHits", hits[0], "frauds", hits[1],
          "precision", Math.round(hits[1] * 1e4 / hits[0]) / 1e4, "fraudsModelMissed", hits[2])));
      summary.put("rulePerformance", rules);
    }
    summary.putAll(extra);
    summary.put("elapsedSeconds", Math.round(counts.elapsedSeconds() * 10) / 10.0);
    return new ObjectMapper().writeValueAsString(summary);
  }

  private static long recordsIn(String bootstrapServers, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      partitions.forEach(p -> {
        earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
      });
      long start = admin.listOffsets(earliest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
      long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
      return end - start;
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(5_000);
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
    Map<String, Long> values = new LinkedHashMap<>();
    counts.forEach((key, count) -> values.put(key, count.get()));
    return values;
  }
}
