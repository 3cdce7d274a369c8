package dev.riskstream.job;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.io.featurelog.FeatureLog;
import dev.riskstream.io.kafka.ModelUpdateKeys;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.kafka.RawRecordDeserializer;
import dev.riskstream.io.labels.ParseLabels;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.io.AvroRecordSerializer;
import dev.riskstream.job.io.BrokerTransactionTimeout;
import dev.riskstream.job.io.TransactionDeserializer;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.job.operators.CardFeatureEnricher;
import dev.riskstream.job.operators.CardFeaturesWithControls;
import dev.riskstream.job.operators.DecisionPolicy;
import dev.riskstream.job.operators.DecisionSegments;
import dev.riskstream.job.operators.DriftPreAggregator;
import dev.riskstream.job.operators.DriftReportBuilder;
import dev.riskstream.job.operators.FeatureLogEntries;
import dev.riskstream.job.operators.LabelJoin;
import dev.riskstream.job.operators.OnnxScorer;
import dev.riskstream.job.operators.ParseAndValidate;
import dev.riskstream.job.operators.ParseRecords;
import dev.riskstream.job.operators.PerformanceWindows;
import dev.riskstream.job.operators.ProfileLookup;
import dev.riskstream.job.operators.RetrainTrigger;
import dev.riskstream.job.operators.RetrainTriggerWithPerformance;
import dev.riskstream.job.operators.RuleDecisions;
import dev.riskstream.job.operators.RuleHitsOf;
import dev.riskstream.job.operators.SplitRejected;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.job.performance.SegmentedDecision;
import dev.riskstream.job.rollout.GuardrailCounts;
import dev.riskstream.job.rollout.GuardrailWindowEnd;
import dev.riskstream.job.rollout.LabelledPairs;
import dev.riskstream.job.rollout.RolloutController;
import dev.riskstream.job.rollout.RolloutSettings;
import dev.riskstream.job.rollout.RolloutSignal;
import dev.riskstream.job.rollout.WindowCounting;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.RuleSetStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time pipeline, top to bottom: Kafka transactions, parsed and validated as they are read
 * (bad records to dead letters) with event time per partition, per-card features from keyed state, the profile lookup join (when a lookup
 * database is configured), ONNX scoring in micro-batches (models swapped by announcements on the
 * model-updates topic, when a registry is configured), decision policy, Kafka decisions. Beside
 * the decisions, online monitoring: drift per event-time window and segment, the scored traffic
 * against the reference profile of the model that scored it; with labels, decisions joined with
 * their delayed labels into realised performance per window and segment; and retraining requests
 * when drift persists or, with labels, realised performance stays below its floors. With a feature
 * log path, every scored vector goes to the feature log that retraining learns from.
 *
 * <p>{@link #build} takes its source and sinks, so tests run the same pipeline on bounded input;
 * {@link #main} reads configuration and wires Kafka, for a real Flink cluster. The chain from the
 * raw record to the decision is {@link #decide}, which batch inference ({@link BatchScoringJob})
 * runs too.
 */
public final class RiskstreamJob {

  public static final String JOB_NAME = "riskstream";
  private static final String CARD_FEATURES = "De-duplicate, card features (keyed state)";
  public static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
  public static final Duration LONGEST_RESTART_DELAY = Duration.ofMinutes(1);
  /** How long building the job waits for Kafka to answer its checks of credentials and transaction.max.timeout.ms. */
  private static final Duration KAFKA_CHECK_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(RiskstreamJob.class);

  private RiskstreamJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("riskstream job settings (--key value, or --config file.properties):\n"
          + JobConfig.describe());
      return;
    }
    JobConfig config = JobConfig.fromArgs(args, System.getenv());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(runtimeSettings(config));
    env.configure(StateChangelog.settingsOver(env.getConfiguration()));
    wireKafka(env, config);
    env.execute(JOB_NAME);
  }

  /**
   * Checkpointing, state backend and restart settings the pipeline relies on; a cluster's own
   * configuration fills in everything else (checkpoint storage, high availability).
   *
   * <p>Restarts back off exponentially, from {@link #FIRST_RESTART_DELAY} doubling to
   * {@link #LONGEST_RESTART_DELAY}, without a limit on attempts: a passing fault (a lost
   * TaskManager, a broker election) costs about a second, and one that persists (the broker
   * unreachable) does not hammer it. After an hour without failure the delay starts again from the
   * first. Faults that a restart cannot fix (no GPU with model.execution-provider CUDA) fail the job
   * without restarting.
   */
  public static Configuration runtimeSettings(JobConfig config) {
    Configuration settings = new Configuration();
    settings.set(StateBackendOptions.STATE_BACKEND, config.stateBackend().flinkName());
    if (config.stateBackend() == StateBackendChoice.ROCKSDB) {
      // what the card state costs, per state, for the dashboard: RocksDB properties read at each metrics
      // report, nothing per record; the state's name a label, not part of the metric's name
      for (ConfigOption<Boolean> metric : List.of(RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE,
          RocksDBNativeMetricOptions.MONITOR_TOTAL_SST_FILES_SIZE, RocksDBNativeMetricOptions.MONITOR_CUR_SIZE_ALL_MEM_TABLE,
          RocksDBNativeMetricOptions.BLOCK_CACHE_USAGE, RocksDBNativeMetricOptions.ESTIMATE_PENDING_COMPACTION_BYTES,
          RocksDBNativeMetricOptions.MONITOR_BACKGROUND_ERRORS, RocksDBNativeMetricOptions.COLUMN_FAMILY_AS_VARIABLE)) {
        settings.set(metric, true);
      }
      // per-card state grows with the cards; incremental checkpoints upload only the changed SST files
      settings.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      settings.set(RocksDBOptions.OPTIONS_FACTORY, CheckpointFlushOptions.class.getName());
    }
    settings.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
    settings.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    // chained operators hand each other the record itself rather than a serializer's copy: the scored
    // transaction goes to the decision and to every monitoring operator chained beside it, and the copies
    // cost a sixth of the deciding task's time. It holds while no operator changes or keeps a record it
    // was given, which the architecture's conventions ask of every operator
    settings.set(PipelineOptions.OBJECT_REUSE, true);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, FIRST_RESTART_DELAY);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, LONGEST_RESTART_DELAY);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, Duration.ofHours(1));
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
    return settings;
  }

  /**
   * Builds the pipeline between the configured Kafka topics, once Kafka has accepted the configured
   * credentials.
   */
  public static void wireKafka(StreamExecutionEnvironment env, JobConfig config) throws InvalidBundleException {
    requireKafkaAuthentication(config);
    if (config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      BrokerTransactionTimeout.check(config.kafkaProperties(), config.kafkaTransactionTimeout(),
          KafkaOptions.TRANSACTION_TIMEOUT.key(), KAFKA_CHECK_WAIT);
    }
    DataStream<ParseResult> transactions = transactions(env, config);
    Optional<ModelUpdateStreams> modelUpdates = config.modelUpdates().map(settings -> new ModelUpdateStreams(
        env.fromSource(compactedTopic(config, settings.updatesTopic(), "-model-updates"),
                noEventTime(), "Kafka: " + settings.updatesTopic())
            .setParallelism(1).uid("model-updates-source"),
        kafkaSink(config, settings.statusTopic(), ModelStatus.class, ModelStatus::getModelVersion, "model-status"),
        kafkaSink(config, settings.updatesTopic(), ModelUpdate.class, update -> ModelUpdateKeys.of(update.getAction()),
            "model-updates")));
    Optional<RuleSetStreams> ruleSets = config.rules().flatMap(RuleSettings::updates).map(topics -> new RuleSetStreams(
        env.fromSource(compactedTopic(config, topics.ruleSetsTopic(), "-rule-sets"), noEventTime(),
                "Kafka: " + topics.ruleSetsTopic())
            .setParallelism(1).uid("rule-sets-source"),
        kafkaSink(config, topics.statusTopic(), RuleSetStatus.class, RuleSetStatus::getVersion, "rule-status")));
    Optional<LabelStreams> labels = config.labels().map(settings -> {
      KafkaSource<RawRecord> labelSource = KafkaSource.<RawRecord>builder()
          .setProperties(config.kafkaProperties())
          .setTopics(settings.labelsTopic())
          .setGroupId(config.groupId() + "-labels")
          .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
          .setDeserializer(new RawRecordDeserializer())
          .build();
      return new LabelStreams(
          env.fromSource(labelSource, WatermarkStrategy.noWatermarks(), "Kafka: " + settings.labelsTopic())
              .uid("labels-source"),
          kafkaSink(config, settings.reportsTopic(), PerformanceReport.class, PerformanceReport::getSegment,
              "performance-reports"));
    });
    build(transactions,
        kafkaSink(config, config.decisionsTopic(), Decision.class, Decision::getTransactionId, "decisions"),
        kafkaSink(config, config.deadLettersTopic(), DeadLetter.class,
            letter -> letter.getSourceTopic() + "/" + letter.getPartition() + "/" + letter.getOffset(),
            "dead-letters"),
        modelUpdates, ruleSets,
        new MonitoringSinks(
            kafkaSink(config, config.drift().reportsTopic(), DriftReport.class, DriftReport::getSegment, "drift-reports"),
            kafkaSink(config, config.drift().retrainRequestsTopic(), RetrainRequest.class,
                RetrainRequest::getModelVersion, "retrain-requests")),
        labels, config);
  }

  /**
   * A compacted control topic (model updates, rule sets), read whole: a fresh job ends on the latest
   * record, a restored one goes on from its checkpointed offsets. Committed records only: the job's
   * rollout writes announcements in transactions, and an aborted one must not be carried out.
   */
  private static KafkaSource<RawRecord> compactedTopic(JobConfig config, String topic, String groupSuffix) {
    return KafkaSource.<RawRecord>builder()
        .setProperties(config.kafkaProperties())
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setTopics(topic)
        .setGroupId(config.groupId() + groupSuffix)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  /**
   * The transactions topic as a stream, read from the committed offsets of the job's group, parsed
   * and validated as it is read, with event time taken per partition ({@link #eventTime}).
   */
  public static DataStream<ParseResult> transactions(StreamExecutionEnvironment env, JobConfig config) {
    KafkaSource<ParseResult> source = KafkaSource.<ParseResult>builder()
        .setProperties(config.kafkaProperties())
        .setTopics(config.transactionsTopic())
        .setGroupId(config.groupId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new TransactionDeserializer(parser(config)))
        .build();
    return env
        .fromSource(source, eventTime(config), "Kafka: " + config.transactionsTopic() + ", parse and validate")
        .uid("transactions-source");
  }

  /**
   * Records from anything but the Kafka source (files, collections) parsed and validated as
   * {@link #transactions} parses the topic's, with event time taken after parsing.
   */
  public static DataStream<ParseResult> parsed(DataStream<RawRecord> records, JobConfig config) {
    return parsed(records, eventTime(config), config);
  }

  /** As {@link #parsed(DataStream, JobConfig)}, with timestamps and watermarks from {@code timestamps}. */
  public static DataStream<ParseResult> parsed(DataStream<RawRecord> records,
      WatermarkStrategy<ParseResult> timestamps, JobConfig config) {
    return records
        .map(new ParseRecords(parser(config)), TypeInformation.of(ParseResult.class))
        .uid("parse-validate").name("Parse and validate")
        .assignTimestampsAndWatermarks(timestamps)
        .uid("event-time").name("Event time");
  }

  /**
   * Event time of valid transactions, out of order by at most {@code event-time.max-out-of-orderness}.
   * A rejected record has none ({@link Long#MIN_VALUE}): its event time is unknown or out of range, and
   * must not move the watermark.
   */
  public static WatermarkStrategy<ParseResult> eventTime(JobConfig config) {
    return WatermarkStrategy
        .<ParseResult>forBoundedOutOfOrderness(config.maxOutOfOrderness())
        .withTimestampAssigner((parsed, previous) -> parsed.valid == null
            ? Long.MIN_VALUE : parsed.valid.transaction.getEventTime().toEpochMilli())
        .withIdleness(config.sourceIdleness());
  }

  /** Parsing and validation as the configuration sets it: card keys, tokenization, input limits. */
  static ParseAndValidate parser(JobConfig config) {
    return new ParseAndValidate(config.pii(), config.input());
  }

  /**
   * Fails the submission, with Kafka's reason, when Kafka refuses the job's credentials. The sources
   * and sinks would fail on them too, but as task failures that the restart strategy retries, by
   * default without end, so a wrong password would look like a job that keeps restarting. Anything
   * else (Kafka not reachable yet) only gets a warning: the job's clients keep trying, as they do
   * when Kafka goes away while the job runs.
   */
  private static void requireKafkaAuthentication(JobConfig config) {
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_CHECK_WAIT.toMillis()))
          .nodes().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SslAuthenticationException handshake) {
        throw new IllegalStateException("The TLS handshake with Kafka at " + config.bootstrapServers() + " failed "
            + "with the " + KafkaOptions.CLIENT.key() + ".* settings: " + rootMessage(handshake) + " (the broker's "
            + "certificate must be signed by one that " + KafkaOptions.CLIENT.key() + ".ssl.truststore.* holds, "
            + "and name the address connected to)", handshake);
      }
      if (e.getCause() instanceof AuthenticationException refused) {
        throw new IllegalStateException("Kafka at " + config.bootstrapServers() + " refused authentication with "
            + "the " + KafkaOptions.CLIENT.key() + ".* settings: " + refused.getMessage(), refused);
      }
      LOG.warn("Could not check access to Kafka at {}; starting anyway", config.bootstrapServers(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking access to Kafka", e);
    }
  }

  /** Why the handshake failed at its root (a certificate path not trusted, a name not matched). */
  private static String rootMessage(Throwable failure) {
    return ExceptionUtils.findThrowable(failure, cause -> cause.getCause() == null).orElse(failure).getMessage();
  }

  /** Where drift reports and retraining requests go. */
  public record MonitoringSinks(Sink<DriftReport> driftReports, Sink<RetrainRequest> retrainRequests) {}

  /**
   * Model-update announcements in; what the scoring subtasks and the rollout did with them out, and
   * the rollout's own announcements (promotion, rejection) back to the announcements' topic.
   */
  public record ModelUpdateStreams(DataStream<RawRecord> announcements, Sink<ModelStatus> statuses,
      Sink<ModelUpdate> rolloutAnnouncements) {}

  /** Rule sets published while the job runs in, what the job did with each out. */
  public record RuleSetStreams(DataStream<RawRecord> publications, Sink<RuleSetStatus> statuses) {}

  /** Delayed labels in, realised performance per window out. */
  public record LabelStreams(DataStream<RawRecord> labels, Sink<PerformanceReport> reports) {}

  /** The pipeline of a job that takes no rule sets while it runs. */
  public static void build(
      DataStream<ParseResult> transactions, Sink<Decision> decisions, Sink<DeadLetter> deadLetters,
      Optional<ModelUpdateStreams> modelUpdates, MonitoringSinks monitoring, Optional<LabelStreams> labels,
      JobConfig config)
      throws InvalidBundleException {
    build(transactions, decisions, deadLetters, modelUpdates, Optional.empty(), monitoring, labels, config);
  }

  /**
   * @param modelUpdates present exactly when the configuration names a model registry
   * @param ruleSets present exactly when the configuration turns rules.updates on
   * @param labels present exactly when the configuration turns monitoring.labels on
   */
  public static void build(
      DataStream<ParseResult> transactions, Sink<Decision> decisions, Sink<DeadLetter> deadLetters,
      Optional<ModelUpdateStreams> modelUpdates, Optional<RuleSetStreams> ruleSets, MonitoringSinks monitoring,
      Optional<LabelStreams> labels, JobConfig config)
      throws InvalidBundleException {
    if (modelUpdates.isPresent() != config.modelUpdates().isPresent()) {
      throw new IllegalArgumentException("model-update streams are needed exactly when model.registry is set");
    }
    if (ruleSets.isPresent() != config.rules().flatMap(RuleSettings::updates).isPresent()) {
      throw new IllegalArgumentException("rule-set streams are needed exactly when rules.updates is on");
    }
    if (labels.isPresent() != config.labels().isPresent()) {
      throw new IllegalArgumentException("label streams are needed exactly when monitoring.labels is on");
    }
    DecisionStreams decided = decide(transactions, modelUpdates.map(ModelUpdateStreams::announcements),
        ruleSets.map(RuleSetStreams::publications), config.featureOrdering(), config);
    DataStream<EnrichedTransaction> scored = decided.scored();
    ModelMonitors monitors = new ModelMonitors(config.modelBundle(),
        config.modelUpdates().map(ModelUpdateSettings::registry).orElse(null), config.drift().thresholds());
    DataStream<DriftReport> driftReports = scored
        .transform("Drift pre-aggregation", TypeInformation.of(DriftPartial.class),
            new DriftPreAggregator(monitors, config.monitoringWindow()))
        .uid("drift-pre-aggregation").name("Drift pre-aggregation")
        .keyBy(DriftPartial::mergeKey)
        .window(TumblingEventTimeWindows.of(config.monitoringWindow()))
        .reduce(DriftReportBuilder.merge(), new DriftReportBuilder(monitors), new AvroTypeInfo<>(DriftReport.class))
        .uid("drift-windows").name("Drift windows");
    driftReports.sinkTo(monitoring.driftReports())
        .uid("drift-reports-sink").name("Drift reports: " + config.drift().reportsTopic());

    // a task of its own: an exactly-once writer starts each checkpoint's transaction with a blocking
    // round trip to the broker (initTransactions) on its task's thread, and the deciding task should
    // wait for one per checkpoint, the decisions', not also for the rare rule statuses'
    ruleSets.ifPresent(streams -> decided.decisions().getSideOutput(PipelineState.RULE_STATUS)
        .sinkTo(streams.statuses()).uid("rule-status-sink")
        .name("Rule status: " + config.rules().flatMap(RuleSettings::updates).orElseThrow().statusTopic())
        .disableChaining());
    decided.decisions().sinkTo(decisions).uid("decisions-sink").name("Decisions: " + config.decisionsTopic());
    config.featureLogPath().ifPresent(path -> scored
        .map(new FeatureLogEntries(), new AvroTypeInfo<>(FeatureLogEntry.class))
        .uid("feature-log-entries").name("Feature log entries")
        .sinkTo(FeatureLog.sink(path)).uid("feature-log-sink").name("Feature log: " + path));

    DataStream<DeadLetter> badRecords = decided.deadLetters();
    Optional<DataStream<LabelledDecision>> labelled = Optional.empty();
    Optional<DataStream<PerformanceReport>> performance = Optional.empty();
    if (labels.isPresent()) {
      SingleOutputStreamOperator<FraudLabel> parsedLabels = labels.get().labels()
          .process(new ParseLabels(), new AvroTypeInfo<>(FraudLabel.class))
          .uid("parse-labels").name("Parse labels");
      badRecords = badRecords.union(parsedLabels.getSideOutput(DeadLetters.TAG));
      labelled = Optional.of(labelledDecisions(scored, decided.decisions(), monitors, parsedLabels, config));
      performance = Optional.of(performanceReports(labelled.get(), monitors, config));
      performance.get()
          .sinkTo(labels.get().reports()).uid("performance-reports-sink")
          .name("Performance reports: " + config.labels().get().reportsTopic());
    }
    if (modelUpdates.isPresent()) {
      ModelUpdateSettings settings = config.modelUpdates().orElseThrow();
      SingleOutputStreamOperator<ModelStatus> rollout = rollout(modelUpdates.get().announcements(), scored, labelled,
          settings.rollout());
      rollout.getSideOutput(RolloutController.ANNOUNCEMENTS)
          .sinkTo(modelUpdates.get().rolloutAnnouncements()).uid("rollout-announcements-sink")
          .name("Rollout announcements: " + settings.updatesTopic());
      offTheDecisionPath(decided.modelStatuses(), "scorer-model-status", "Scorer's model status")
          .union(rollout)
          .sinkTo(modelUpdates.get().statuses()).uid("model-status-sink")
          .name("Model status: " + settings.statusTopic());
    }
    retrainRequests(driftReports, performance, config)
        .sinkTo(monitoring.retrainRequests())
        .uid("retrain-requests-sink").name("Retrain requests: " + config.drift().retrainRequestsTopic());
    badRecords.sinkTo(deadLetters).uid("dead-letters-sink").name("Dead letters: " + config.deadLettersTopic());
  }

  /**
   * What scoring makes of the input: the scored transactions (features, score, model version), what the
   * scorer did with model-update announcements, the decisions, and a dead letter for every record that
   * could not be scored.
   */
  public record DecisionStreams(DataStream<EnrichedTransaction> scored, DataStream<ModelStatus> modelStatuses,
      SingleOutputStreamOperator<Decision> decisions, DataStream<DeadLetter> deadLetters) {}

  /**
   * The chain that real-time and batch inference share, so that both decide alike: from parsed and
   * validated records with their event time ({@link #transactions}, {@link #parsed}), de-duplication,
   * per-card features, the profile lookup join (when a lookup database is configured), ONNX scoring
   * and the decision policy, with the configured rules.
   *
   * @param modelAnnouncements model-update announcements that swap the model while the job runs;
   *     empty: every transaction is scored with the configured bundle
   * @param ruleSetPublications rule sets that replace the rules while the job runs; empty: the rules of
   *     rules.file, if any, decide throughout
   * @param ordering in which order each card's transactions go through its history: the
   *     configured one when streaming; batch inference chooses by its input
   */
  public static DecisionStreams decide(DataStream<ParseResult> transactions,
      Optional<DataStream<RawRecord>> modelAnnouncements, Optional<DataStream<RawRecord>> ruleSetPublications,
      FeatureOrdering ordering, JobConfig config)
      throws InvalidBundleException {
    // load the bundle and compile the rules here too, so that bad ones fail the submission rather than every task
    ModelBundle.load(config.modelBundle());
    String initialRules = config.rules().flatMap(RuleSettings::initialSet).orElse(null);
    if (initialRules != null) {
      try {
        RuleSetCompiler.compile(initialRules);
      } catch (InvalidRuleSetException e) {
        throw new IllegalArgumentException(RuleOptions.FILE.key() + " is not a rule set the job can use: "
            + e.getMessage(), e);
      }
    }

    SingleOutputStreamOperator<ParsedTransaction> valid = transactions
        .process(new SplitRejected(), TypeInformation.of(ParsedTransaction.class))
        .uid("split-rejected").name("Split off rejected records");
    KeyedStream<ParsedTransaction, String> byCard = valid.keyBy(parsed -> parsed.transaction.getCardNumber());
    CardFeatureEnricher enricher = new CardFeatureEnricher(ordering, config.featureMaxWait(), config.input().dedupHorizon());
    Optional<DataStream<ControlRecord>> controls = controls(modelAnnouncements, ruleSetPublications);
    // one uid either way: a job may start or stop taking control topics and keep its savepoint
    SingleOutputStreamOperator<EnrichedTransaction> cardFeatures = controls.isPresent()
        ? byCard.connect(controls.get().broadcast())
            .transform(CARD_FEATURES, TypeInformation.of(EnrichedTransaction.class), new CardFeaturesWithControls(enricher))
        : byCard.process(enricher, TypeInformation.of(EnrichedTransaction.class));
    cardFeatures.uid("card-features").name(CARD_FEATURES);
    DataStream<DeadLetter> badRecords = offTheDecisionPath(valid.getSideOutput(DeadLetters.TAG),
        "rejected-records", "Rejected records")
        .union(cardFeatures.getSideOutput(DeadLetters.TAG));

    SingleOutputStreamOperator<EnrichedTransaction> enriched = cardFeatures;
    if (config.lookup().isPresent()) {
      LookupSettings lookup = config.lookup().get();
      // unordered: decisions are keyed by transaction, nothing downstream needs input order
      enriched = AsyncDataStream.unorderedWait(enriched, new ProfileLookup(lookup),
              lookup.timeout().toMillis(), TimeUnit.MILLISECONDS, lookup.capacity())
          .uid("profile-lookup").name("Profile lookup (JDBC)");
    }
    // the registry only serves announced versions
    ModelRegistry registry = modelAnnouncements.isPresent()
        ? config.modelUpdates().map(ModelUpdateSettings::registry).orElse(null) : null;
    OnnxScorer scorer = new OnnxScorer(config.modelBundle().toString(), registry, config.scoring(),
        config.modelUpdates().flatMap(updates -> updates.rollout().canary()).orElse(null));
    SingleOutputStreamOperator<EnrichedTransaction> scored = enriched.transform("ONNX scoring", enriched.getType(), scorer)
        .uid("onnx-scoring").name("ONNX scoring");
    if (transactions.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
        == RuntimeExecutionMode.STREAMING) {
      // the decision path's one network hop, the card shuffle, ships within network.buffer-timeout;
      // the other shuffles keep the cluster's (Flink's 100 ms), whose fuller buffers cost less per
      // record. Batch execution's blocking shuffles have no timeout.
      valid.setBufferTimeout(config.bufferTimeout().toMillis());
    }

    // one uid either way: a job may start or stop taking rule sets and keep its savepoint
    SingleOutputStreamOperator<Decision> decisions = ruleSetPublications.isPresent()
        ? scored.process(new RuleDecisions(initialRules), new AvroTypeInfo<>(Decision.class))
        : scored.map(new DecisionPolicy(initialRules), new AvroTypeInfo<>(Decision.class));
    decisions.uid("decision-policy").name(config.rules().isPresent() ? "Rules and decision policy" : "Decision policy");
    // rule sets go on past the scorer to the deciding operator; monitoring sees transactions only
    DataStream<EnrichedTransaction> scoredTransactions = ruleSetPublications.isPresent()
        ? scored.filter(element -> element.control == null).uid("scored-transactions").name("Scored transactions")
        : scored;
    return new DecisionStreams(scoredTransactions, scored.getSideOutput(PipelineState.MODEL_STATUS), decisions,
        badRecords);
  }

  /**
   * The control topics' records, on their way into the deciding task at its head ({@link ControlRecord});
   * empty when the job takes neither model updates nor rule sets.
   */
  private static Optional<DataStream<ControlRecord>> controls(Optional<DataStream<RawRecord>> modelAnnouncements,
      Optional<DataStream<RawRecord>> ruleSetPublications) {
    Optional<DataStream<ControlRecord>> forScoring = modelAnnouncements.map(announcements ->
        controlsOf(announcements, ControlRecord.Kind.MODEL_UPDATE, "model-updates-for-scoring", "Model updates for scoring"));
    Optional<DataStream<ControlRecord>> forDeciding = ruleSetPublications.map(publications ->
        controlsOf(publications, ControlRecord.Kind.RULE_SET, "rule-sets-for-deciding", "Rule sets for deciding"));
    if (forScoring.isPresent() && forDeciding.isPresent()) {
      return Optional.of(forScoring.get().union(forDeciding.get()));
    }
    return forScoring.or(() -> forDeciding);
  }

  private static DataStream<ControlRecord> controlsOf(DataStream<RawRecord> records, ControlRecord.Kind kind,
      String uid, String name) {
    return records.map(record -> new ControlRecord(kind, record), TypeInformation.of(ControlRecord.class))
        .setParallelism(records.getParallelism()).uid(uid).name(name);
  }

  /**
   * A side output of a decision-path operator, through a chained operator of its own on the way to its
   * sink: Flink ships every hop out of an operator within that operator's buffer timeout, and each hop
   * at network.buffer-timeout keeps a thread waking a thousand times a second, which a side output's
   * hop to a sink does not need.
   */
  private static <T> DataStream<T> offTheDecisionPath(DataStream<T> sideOutput, String uid, String name) {
    return sideOutput.map(record -> record, sideOutput.getType()).uid(uid).name(name);
  }

  /**
   * The rollout of a candidate in shadow: the transactions it scored beside the champion and, with
   * labels, the labelled ones (shadow pairs of segment {@code all}), counted in windows of
   * rollout.guardrail-window (of transaction and of label time), are its evidence; the announcements
   * start and end it. One subtask: there is one rollout at a time.
   */
  private static SingleOutputStreamOperator<ModelStatus> rollout(DataStream<RawRecord> announcements,
      DataStream<EnrichedTransaction> scored, Optional<DataStream<LabelledDecision>> labelled,
      RolloutSettings settings) {
    // a canary's cards are decided by the candidate without a shadow (RowBatch): the guardrails and
    // the paired tests judge the other cards, a random sample
    DataStream<RolloutSignal> evidence = scored
        .filter(tx -> tx.shadowVersion != null)
        .uid("scored-in-shadow").name("Scored in shadow")
        .keyBy(tx -> tx.shadowVersion)
        .window(TumblingEventTimeWindows.of(settings.guardrailWindow()))
        .aggregate(new WindowCounting<>(GuardrailCounts::new), new GuardrailWindowEnd(),
            TypeInformation.of(GuardrailCounts.class), TypeInformation.of(GuardrailCounts.class),
            TypeInformation.of(RolloutSignal.class))
        .uid("rollout-guardrails").name("Rollout guardrail windows");
    if (labelled.isPresent()) {
      evidence = evidence.union(labelled.get()
          .filter(pair -> pair.shadow && !pair.isRuleHit() && Segmenter.ALL.equals(pair.segment))
          .uid("labelled-shadow-pairs").name("Labelled shadow pairs")
          .keyBy(pair -> pair.modelVersion)
          .window(TumblingEventTimeWindows.of(settings.guardrailWindow()))
          .aggregate(new WindowCounting<>(LabelledPairs::new), TypeInformation.of(LabelledPairs.class),
              TypeInformation.of(LabelledPairs.class))
          .uid("rollout-labelled-windows").name("Rollout labelled windows")
          .map(RolloutSignal::of, TypeInformation.of(RolloutSignal.class))
          .uid("rollout-labelled-evidence").name("Rollout labelled evidence"));
    }
    return announcements.keyBy(announcement -> RolloutController.KEY)
        .connect(evidence.keyBy(signal -> RolloutController.KEY))
        .process(new RolloutController(settings), new AvroTypeInfo<>(ModelStatus.class))
        .setParallelism(1).uid("rollout").name("Rollout");
  }

  /**
   * Decisions, with the segments drift monitoring judges their transactions in, joined with their
   * labels by transactionId. Event time of labels is labelledAt. With rules, the rules that fired are
   * joined with the same labels on their own, so that only decisions a rule fired for wait a second
   * time.
   */
  public static DataStream<LabelledDecision> labelledDecisions(DataStream<EnrichedTransaction> scored,
      DataStream<Decision> decisions, ModelMonitors monitors, DataStream<FraudLabel> labels, JobConfig config) {
    LabelSettings settings = config.labels().orElseThrow();
    KeyedStream<FraudLabel, String> timedLabels = labels
        .assignTimestampsAndWatermarks(WatermarkStrategy
            .<FraudLabel>forBoundedOutOfOrderness(config.maxOutOfOrderness())
            .withTimestampAssigner((label, previous) -> label.getLabelledAt().toEpochMilli())
            .withIdleness(config.sourceIdleness()))
        .uid("label-event-time").name("Label event time")
        .keyBy(FraudLabel::getTransactionId);
    DataStream<LabelledDecision> labelled = scored
        .map(new DecisionSegments(monitors), TypeInformation.of(SegmentedDecision.class))
        .uid("decision-segments").name("Decision segments")
        .keyBy(decision -> decision.transactionId)
        .connect(timedLabels)
        .process(LabelJoin.ofDecisions(settings.ttl()), TypeInformation.of(LabelledDecision.class))
        .uid("label-join").name("Label join (keyed state)");
    if (config.rules().isPresent()) {
      labelled = labelled.union(decisions
          .flatMap(new RuleHitsOf(), TypeInformation.of(RuleHits.class))
          .uid("rule-hits").name("Rule hits")
          .keyBy(hits -> hits.transactionId)
          .connect(timedLabels)
          .process(LabelJoin.ofRuleHits(settings.ttl()), TypeInformation.of(LabelledDecision.class))
          .uid("rule-label-join").name("Rule label join (keyed state)"));
    }
    return labelled;
  }

  /**
   * Realised performance: labelled decisions counted in windows of decision event time per model
   * version and segment, rules' hits in the segment {@code all}. A window closes only once labels up
   * to its end plus labels.wait have had their chance to arrive.
   */
  public static DataStream<PerformanceReport> performanceReports(DataStream<LabelledDecision> labelled,
      ModelMonitors monitors, JobConfig config) {
    LabelSettings settings = config.labels().orElseThrow();
    return labelled
        .keyBy(PerformanceWindows::keyOf, PerformanceWindows.KEY_TYPE)
        .process(new PerformanceWindows(monitors, config.monitoringWindow(), settings.reportWait()),
            new AvroTypeInfo<>(PerformanceReport.class))
        .uid("performance-windows").name("Performance windows");
  }

  /**
   * Retraining requests per model version, from drift and, with labels, from realised performance.
   * Either way one operator under one uid, with the same state: one cooldown per model version
   * whatever the reason.
   */
  private static DataStream<RetrainRequest> retrainRequests(DataStream<DriftReport> driftReports,
      Optional<DataStream<PerformanceReport>> performance, JobConfig config) {
    KeyedStream<DriftReport, String> drift = driftReports.keyBy(DriftReport::getModelVersion);
    AvroTypeInfo<RetrainRequest> type = new AvroTypeInfo<>(RetrainRequest.class);
    RetrainPolicy policy = config.drift().retrainPolicy();
    SingleOutputStreamOperator<RetrainRequest> requests = performance.isPresent()
        ? drift.connect(performance.get().keyBy(PerformanceReport::getModelVersion))
            .process(new RetrainTriggerWithPerformance(policy, config.labels().orElseThrow().floors()), type)
        : drift.process(new RetrainTrigger(policy), type);
    return requests.uid("retrain-trigger").name("Retrain trigger");
  }

  /**
   * The watermarks of a control topic (model updates, rule sets), whose records carry no event time:
   * none, the source idle from its first periodic emission on, so that an operator that takes them
   * beside the transactions goes on with the transactions' watermark alone, and is idle when they are.
   * Without any and active (Flink's noWatermarks), the deciding operator of a job with rules.updates
   * would hold every decision's event time back for ever. A watermark at the end of time instead would
   * become the operator's own whenever the transactions went idle (event-time.idleness): every timer
   * and window downstream would fire, and all that came later would be late.
   */
  public static WatermarkStrategy<RawRecord> noEventTime() {
    return context -> new WatermarkGenerator<>() {
      @Override
      public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {}

      @Override
      public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
      }
    };
  }

  /** The Kafka client properties of every sink: the configured ones, and the job's defaults beneath them. */
  public static Properties sinkProducerProperties(JobConfig config) {
    Properties producer = config.kafkaProperties();
    producer.setProperty("transaction.timeout.ms", String.valueOf(config.kafkaTransactionTimeout().toMillis()));
    // an authorisation waits for the decision: send at once (Kafka 4's default lingers 5 ms); records
    // still share a request while one is in flight, so batching under load stays
    producer.putIfAbsent("linger.ms", "0");
    // so a batch holds one decision or a few, and compressing it saves a few bytes for a codec set-up
    // per batch (LZ4: two 64 KB buffers, most of the job's garbage) and the broker's decompression to
    // validate it; kafka.client.compression.type still chooses one
    producer.putIfAbsent("compression.type", "none");
    return producer;
  }

  /**
   * A sink of Avro records to {@code topic} with the configured delivery guarantee; exactly-once,
   * its transactional ids are the configured prefix and {@code idSuffix}, which must be unique per
   * sink of the job and stable across its versions, so that a restarted job finds and aborts the
   * transactions its predecessor left open; it is also the output's name in {@link OutputOptions},
   * which may pin the schema version it writes.
   */
  public static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> kafkaSink(
      JobConfig config, String topic, Class<T> type,
      org.apache.flink.api.java.functions.KeySelector<T, String> key, String idSuffix) {
    var builder = KafkaSink.<T>builder()
        .setKafkaProducerConfig(sinkProducerProperties(config))
        .setDeliveryGuarantee(config.deliveryGuarantee())
        .setRecordSerializer(new AvroRecordSerializer<>(topic, type, key,
            config.writerSchemaVersions().get(idSuffix)));
    if (config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      builder.setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + idSuffix);
    }
    return builder.build();
  }
}
