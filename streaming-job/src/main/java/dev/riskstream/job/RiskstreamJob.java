package dev.riskstream.job;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.job.io.AvroRecordSerializer;
import dev.riskstream.job.io.RawRecord;
import dev.riskstream.job.io.RawRecordDeserializer;
import dev.riskstream.job.operators.CardFeatureEnricher;
import dev.riskstream.job.monitoring.DriftEvaluators;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.operators.DecisionPolicy;
import dev.riskstream.job.operators.DriftPreAggregator;
import dev.riskstream.job.operators.DriftReportBuilder;
import dev.riskstream.job.operators.RetrainTrigger;
import dev.riskstream.job.operators.OnnxScorer;
import dev.riskstream.job.operators.ParseAndValidate;
import dev.riskstream.job.operators.ProfileLookup;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.Transaction;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The real-time pipeline, top to bottom: Kafka transactions, parse and validate (bad records to
 * dead letters), per-card features from keyed state, the profile lookup join (when a lookup
 * database is configured), ONNX scoring in micro-batches (models swapped by announcements on the
 * model-updates topic, when a registry is configured), decision policy, Kafka decisions; and beside
 * the decisions, drift monitoring: per event-time window and segment, the scored traffic against the
 * reference profile of the model that scored it, and retraining requests when drift persists.
 *
 * <p>{@link #build} takes its source and sinks, so tests run the same pipeline on bounded input;
 * {@link #main} reads configuration and wires Kafka, for a real Flink cluster.
 */
public final class RiskstreamJob {

  public static final String JOB_NAME = "riskstream";

  private RiskstreamJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("riskstream job settings (--key value, or --config file.properties):\n"
          + JobConfig.describe());
      return;
    }
    JobConfig config = JobConfig.fromArgs(args, System.getenv());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(runtimeSettings(config));
    wireKafka(env, config);
    env.execute(JOB_NAME);
  }

  /**
   * Checkpointing and state backend settings the pipeline relies on; a cluster's own configuration
   * fills in everything else (checkpoint storage, restart strategy).
   */
  public static Configuration runtimeSettings(JobConfig config) {
    Configuration settings = new Configuration();
    settings.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    settings.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    settings.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
    settings.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    return settings;
  }

  /** Builds the pipeline between the configured Kafka topics. */
  public static void wireKafka(StreamExecutionEnvironment env, JobConfig config) throws InvalidBundleException {
    KafkaSource<RawRecord> source = KafkaSource.<RawRecord>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(config.transactionsTopic())
        .setGroupId(config.groupId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .build();
    DataStream<RawRecord> transactions = env
        .fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: " + config.transactionsTopic())
        .uid("transactions-source");
    Optional<ModelUpdateStreams> modelUpdates = config.modelUpdates().map(settings -> {
      KafkaSource<RawRecord> announcements = KafkaSource.<RawRecord>builder()
          .setBootstrapServers(config.bootstrapServers())
          .setTopics(settings.updatesTopic())
          .setGroupId(config.groupId() + "-model-updates")
          // the whole (compacted) topic: a fresh job ends on the latest announcement
          .setStartingOffsets(OffsetsInitializer.earliest())
          .setDeserializer(new RawRecordDeserializer())
          .build();
      return new ModelUpdateStreams(
          env.fromSource(announcements, WatermarkStrategy.noWatermarks(), "Kafka: " + settings.updatesTopic())
              .setParallelism(1).uid("model-updates-source"),
          kafkaSink(config, settings.statusTopic(), ModelStatus.class, ModelStatus::getModelVersion, "model-status"));
    });
    build(transactions,
        kafkaSink(config, config.decisionsTopic(), Decision.class, Decision::getTransactionId, "decisions"),
        kafkaSink(config, config.deadLettersTopic(), DeadLetter.class,
            letter -> letter.getSourceTopic() + "/" + letter.getPartition() + "/" + letter.getOffset(),
            "dead-letters"),
        modelUpdates,
        new MonitoringSinks(
            kafkaSink(config, config.drift().reportsTopic(), DriftReport.class, DriftReport::getSegment, "drift-reports"),
            kafkaSink(config, config.drift().retrainRequestsTopic(), RetrainRequest.class,
                RetrainRequest::getModelVersion, "retrain-requests")),
        config);
  }

  /** Where drift reports and retraining requests go. */
  public record MonitoringSinks(Sink<DriftReport> driftReports, Sink<RetrainRequest> retrainRequests) {}

  /** Model-update announcements in, and what the scoring subtasks did with them out. */
  public record ModelUpdateStreams(DataStream<RawRecord> announcements, Sink<ModelStatus> statuses) {}

  /**
   * @param modelUpdates present exactly when the configuration names a model registry
   */
  public static void build(
      DataStream<RawRecord> transactions, Sink<Decision> decisions, Sink<DeadLetter> deadLetters,
      Optional<ModelUpdateStreams> modelUpdates, MonitoringSinks monitoring, JobConfig config)
      throws InvalidBundleException {
    if (modelUpdates.isPresent() != config.modelUpdates().isPresent()) {
      throw new IllegalArgumentException("model-update streams are needed exactly when model.registry is set");
    }
    // load the bundle here too, so a bad bundle fails the submission rather than every task
    ModelBundle.load(config.modelBundle());

    SingleOutputStreamOperator<Transaction> valid = transactions
        .process(new ParseAndValidate(config.tokenKey()), new AvroTypeInfo<>(Transaction.class))
        .uid("parse-validate").name("Parse and validate");
    valid.getSideOutput(PipelineState.DEAD_LETTERS)
        .sinkTo(deadLetters).uid("dead-letters-sink").name("Dead letters: " + config.deadLettersTopic());

    DataStream<EnrichedTransaction> enriched = valid
        .assignTimestampsAndWatermarks(WatermarkStrategy
            .<Transaction>forBoundedOutOfOrderness(config.maxOutOfOrderness())
            .withTimestampAssigner((tx, previous) -> tx.getEventTime().toEpochMilli())
            .withIdleness(config.sourceIdleness()))
        .uid("event-time").name("Event time")
        .keyBy(tx -> tx.getCardNumber())
        .process(new CardFeatureEnricher(config.featureOrdering(), config.featureMaxWait()))
        .uid("card-features").name("Card features (keyed state)");
    if (config.lookup().isPresent()) {
      LookupSettings lookup = config.lookup().get();
      // unordered: decisions are keyed by transaction, nothing downstream needs input order
      enriched = AsyncDataStream.unorderedWait(enriched, new ProfileLookup(lookup),
              lookup.timeout().toMillis(), TimeUnit.MILLISECONDS, lookup.capacity())
          .uid("profile-lookup").name("Profile lookup (JDBC)");
    }
    OnnxScorer scorer = new OnnxScorer(config.modelBundle().toString(),
        config.modelUpdates().map(ModelUpdateSettings::registry).orElse(null),
        config.executionProvider(), config.scoringBatchSize(), config.scoringMaxWait());
    SingleOutputStreamOperator<EnrichedTransaction> scored = modelUpdates.isPresent()
        ? enriched.connect(modelUpdates.get().announcements().broadcast())
            .transform("ONNX scoring", enriched.getType(), scorer)
        : enriched.transform("ONNX scoring", enriched.getType(), scorer);
    scored.uid("onnx-scoring").name("ONNX scoring");
    modelUpdates.ifPresent(streams -> scored.getSideOutput(PipelineState.MODEL_STATUS)
        .sinkTo(streams.statuses()).uid("model-status-sink")
        .name("Model status: " + config.modelUpdates().get().statusTopic()));
    DriftEvaluators evaluators = new DriftEvaluators(config.modelBundle(),
        config.modelUpdates().map(ModelUpdateSettings::registry).orElse(null), config.drift().thresholds());
    DataStream<DriftReport> driftReports = scored
        .transform("Drift pre-aggregation", TypeInformation.of(DriftPartial.class),
            new DriftPreAggregator(evaluators, config.monitoringWindow()))
        .uid("drift-pre-aggregation").name("Drift pre-aggregation")
        .keyBy(DriftPartial::mergeKey)
        .window(TumblingEventTimeWindows.of(config.monitoringWindow()))
        .reduce(DriftReportBuilder.merge(), new DriftReportBuilder(evaluators), new AvroTypeInfo<>(DriftReport.class))
        .uid("drift-windows").name("Drift windows");
    driftReports.sinkTo(monitoring.driftReports())
        .uid("drift-reports-sink").name("Drift reports: " + config.drift().reportsTopic());
    driftReports
        .keyBy(DriftReport::getModelVersion)
        .process(new RetrainTrigger(config.drift().retrainPolicy()), new AvroTypeInfo<>(RetrainRequest.class))
        .uid("retrain-trigger").name("Retrain trigger")
        .sinkTo(monitoring.retrainRequests())
        .uid("retrain-requests-sink").name("Retrain requests: " + config.drift().retrainRequestsTopic());

    scored
        .map(new DecisionPolicy())
        .uid("decision-policy").name("Decision policy")
        .sinkTo(decisions).uid("decisions-sink").name("Decisions: " + config.decisionsTopic());
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> KafkaSink<T> kafkaSink(
      JobConfig config, String topic, Class<T> type,
      org.apache.flink.api.java.functions.KeySelector<T, String> key, String idSuffix) {
    Properties producer = new Properties();
    producer.setProperty("transaction.timeout.ms", String.valueOf(config.kafkaTransactionTimeout().toMillis()));
    producer.setProperty("compression.type", "lz4");
    var builder = KafkaSink.<T>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(config.deliveryGuarantee())
        .setRecordSerializer(new AvroRecordSerializer<>(topic, type, key));
    if (config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      builder.setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + idSuffix);
    }
    return builder.build();
  }
}
