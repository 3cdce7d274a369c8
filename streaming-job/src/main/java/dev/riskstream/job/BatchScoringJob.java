package dev.riskstream.job;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.job.batch.DecisionRow;
import dev.riskstream.job.batch.DecisionRows;
import dev.riskstream.job.batch.DecisionTable;
import dev.riskstream.job.batch.DecisionTableKey;
import dev.riskstream.job.batch.KafkaRange;
import dev.riskstream.job.batch.TransactionFileFormat;
import dev.riskstream.job.io.RawRecord;
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
 * <p>Batch mode sorts each keyed operator's input by key and event time, and fires a key's event-time
 * timers once its records are in, so every card's transactions reach the feature operator in
 * event-time order, with the history the streaming job gives them when they arrive in order within
 * the watermark's bound. So the decisions equal the streaming job's for the same transactions, model
 * and settings, but for {@code decidedAt}.
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

  /** Builds the job between the configured input and output, creating the decision table if it is missing. */
  public static void wire(StreamExecutionEnvironment env, BatchConfig config)
      throws InvalidBundleException, SQLException {
    Optional<DecisionTable> table = Optional.empty();
    if (config.table().isPresent()) {
      DecisionTable.createIfMissing(config.table().get());
      table = Optional.of(new DecisionTable(config.table().get()));
    }
    build(input(env, config),
        avroFiles(config.output(), BatchConfig.DECISIONS_DIRECTORY, Decision.class),
        avroFiles(config.output(), BatchConfig.DEAD_LETTERS_DIRECTORY, DeadLetter.class),
        table, config.job());
  }

  /**
   * @param decisionTable where decisions are upserted besides {@code decisions}, each key's rows by one
   *     writer; empty: nowhere
   */
  public static void build(DataStream<ParseResult> transactions, Sink<Decision> decisions, Sink<DeadLetter> deadLetters,
      Optional<DecisionTable> decisionTable, JobConfig config) throws InvalidBundleException {
    RiskstreamJob.DecisionStreams decided = RiskstreamJob.decide(transactions, Optional.empty(), config);
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
    return env.fromSource(topic, RiskstreamJob.eventTime(job), "Kafka: " + job.transactionsTopic() + ", parse and validate")
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
