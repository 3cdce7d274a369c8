package dev.riskstream.job;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.batch.DecisionRow;
import dev.riskstream.job.batch.DecisionRows;
import dev.riskstream.job.batch.DecisionTable;
import dev.riskstream.job.batch.DecisionTableKey;
import dev.riskstream.job.batch.KafkaRange;
import dev.riskstream.job.batch.TransactionFileFormat;
import dev.riskstream.job.io.TransactionDeserializer;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * Batch inference: the streaming job's chain ({@link RiskstreamJob#decide}: the same validation,
 * per-card features, lookup, model and decision policy) in Flink's batch execution mode over bounded
 * input, either Avro container files of transactions or a range of the transactions topic. Decisions
 * and dead letters go to Avro container files under the output directory, and decisions optionally
 * into a PostgreSQL table keyed by transaction id.
 *
 * <p>Each card's transactions go through its history in the order the streaming job took them
 * ({@link #replayOrder}): batch mode sorts each keyed operator's input by key and timestamp, so the
 * timestamps choose that order. From a topic, with {@code features.ordering} ARRIVAL (the default),
 * they are the records' offsets: a card's transactions are replayed in the order its partition
 * delivered them, which is the order the streaming job received them in (producers key a card's
 * transactions to one partition). Files record no arrival order, so they are replayed in event-time
 * order, a card's transactions at the same millisecond in transactionId order, which is what the
 * streaming job sees from a producer that sends in event-time order. So the decisions equal the
 * streaming job's for the same transactions in the same order, model and settings, but for
 * {@code decidedAt} and {@code receivedAt}.
 */
public final class BatchScoringJob {

  public static final String JOB_NAME = "riskstream-batch-score";
  private static final int RESTART_ATTEMPTS = 2;

  private BatchScoringJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("riskstream batch scoring settings (--key value, or --config file.properties):\n"
          + BatchConfig.describe() + "\nand the settings of the streaming job:\n" + JobConfig.describe());
      return;
    }
    BatchConfig config = BatchConfig.fromArgs(args, System.getenv());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(runtimeSettings());
    wire(env, config);
    env.execute(JOB_NAME);
  }

  /** Batch execution; a failed task is retried a couple of times, then the job fails. */
  public static Configuration runtimeSettings() {
    Configuration settings = new Configuration();
    settings.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
    settings.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    return settings;
  }

  /**
   * Builds the job between the configured input and output, creating the decision table if it is
   * missing; what it decided, for more to hang on it ({@link RuleBacktestJob}).
   */
  public static RiskstreamJob.DecisionStreams wire(StreamExecutionEnvironment env, BatchConfig config)
      throws InvalidBundleException, SQLException {
    Optional<DecisionTable> table = Optional.empty();
    if (config.table().isPresent()) {
      DecisionTable.createIfMissing(config.table().get());
      table = Optional.of(new DecisionTable(config.table().get()));
    }
    return build(input(env, config),
        avroFiles(config.output(), BatchConfig.DECISIONS_DIRECTORY, Decision.class),
        avroFiles(config.output(), BatchConfig.DEAD_LETTERS_DIRECTORY, DeadLetter.class),
        table, inputOrdering(config), config.job());
  }

  /**
   * @param decisionTable where decisions are upserted besides {@code decisions}, each key's rows by one
   *     writer; empty: nowhere
   */
  public static RiskstreamJob.DecisionStreams build(DataStream<ParseResult> transactions, Sink<Decision> decisions, Sink<DeadLetter> deadLetters,
      Optional<DecisionTable> decisionTable, FeatureOrdering ordering, JobConfig config) throws InvalidBundleException {
    RiskstreamJob.DecisionStreams decided = RiskstreamJob.decide(transactions, Optional.empty(), Optional.empty(), ordering, config);
    decided.decisions().sinkTo(decisions).uid("decisions-sink").name("Decisions: files");
    decisionTable.ifPresent(table -> {
      DecisionTableKey key = table.key();
      decided.scored()
          .map(new DecisionRows(), TypeInformation.of(DecisionRow.class))
          .uid("decision-rows").name("Decision rows")
          .keyBy(row -> row.key(key))
          .sinkTo(table).uid("decision-table-sink").name("Decisions: JDBC table by " + key.column());
    });
    decided.deadLetters().sinkTo(deadLetters).uid("dead-letters-sink").name("Dead letters: files");
    return decided;
  }

  /** Files in event-time order, a topic in the order the streaming job takes it. */
  private static FeatureOrdering inputOrdering(BatchConfig config) {
    return config.input().isPresent() ? FeatureOrdering.EVENT_TIME : config.job().featureOrdering();
  }

  /**
   * Timestamps that make batch execution, which sorts keyed input by key and timestamp, replay each
   * card's transactions in {@code ordering}: event time, or, for arrival, the offset the record was
   * read from. A rejected record gets its offset either way: it never reaches the card features.
   */
  public static WatermarkStrategy<ParseResult> replayOrder(FeatureOrdering ordering, JobConfig config) {
    if (ordering == FeatureOrdering.EVENT_TIME) {
      return RiskstreamJob.eventTime(config);
    }
    return WatermarkStrategy.<ParseResult>noWatermarks().withTimestampAssigner((parsed, previous) ->
        parsed.valid == null ? parsed.rejected.getOffset() : parsed.valid.offset);
  }

  private static DataStream<ParseResult> input(StreamExecutionEnvironment env, BatchConfig config) {
    JobConfig job = config.job();
    if (config.input().isPresent()) {
      FileSource<RawRecord> files = FileSource
          .forBulkFileFormat(new TransactionFileFormat(), new Path(config.input().get()))
          .build();
      return RiskstreamJob.parsed(
          env.fromSource(files, WatermarkStrategy.noWatermarks(), "Files: " + config.input().get())
              .uid("transaction-files-source"),
          job);
    }
    KafkaSource<ParseResult> topic = KafkaSource.<ParseResult>builder()
        .setProperties(job.kafkaProperties())
        .setTopics(job.transactionsTopic())
        .setStartingOffsets(KafkaRange.starting(config.startingOffsets(), job.transactionsTopic()))
        .setBounded(KafkaRange.stopping(config.stoppingOffsets(), job.transactionsTopic()))
        .setDeserializer(new TransactionDeserializer(RiskstreamJob.parser(job)))
        .build();
    return env.fromSource(topic, replayOrder(inputOrdering(config), job),
            "Kafka: " + job.transactionsTopic() + ", parse and validate")
        .uid("transactions-source");
  }

  /** Avro container files of {@code type} in {@code output}/{@code directory}, named {@code part-*.avro}. */
  private static <T extends SpecificRecordBase> FileSink<T> avroFiles(String output, String directory, Class<T> type) {
    return FileSink.forBulkFormat(new Path(new Path(output), directory), AvroWriters.forSpecificRecord(type))
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix(".avro").build())
        .build();
  }
}
