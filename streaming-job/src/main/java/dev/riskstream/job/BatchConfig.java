package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import dev.riskstream.io.settings.Settings;
import dev.riskstream.job.batch.DecisionTableKey;
import dev.riskstream.job.batch.DecisionTableSettings;
import dev.riskstream.job.batch.KafkaRange;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Settings of batch inference ({@link BatchScoringJob}): the {@code batch.*} keys below, and every
 * {@link JobConfig} key for the pipeline it shares with the streaming job (model, token key, lookup,
 * input limits, Kafka). Read like the streaming job's, from {@code --key value} arguments, optionally
 * on top of a properties file given by {@code --config}; the decision table's password is a
 * reference, as the streaming job's secrets are.
 *
 * @param input Avro container files of transactions; empty: the transactions topic, from Kafka
 * @param table the decision table to upsert into; empty: decisions go to files only
 */
public record BatchConfig(
    JobConfig job,
    Optional<String> input,
    String startingOffsets,
    String stoppingOffsets,
    String output,
    Optional<DecisionTableSettings> table) {

  public static final String JDBC_PASSWORD_ENV = "RISKSTREAM_BATCH_JDBC_PASSWORD";
  public static final String DECISIONS_DIRECTORY = "decisions";
  public static final String DEAD_LETTERS_DIRECTORY = "dead-letters";

  public static final ConfigOption<String> INPUT =
      key("batch.input").stringType().noDefaultValue()
          .withDescription("Avro object container file of Transaction records, or a directory of them (read "
              + "recursively, hidden files skipped); a path or a URI of any file system Flink reads. Unset: the "
              + "transactions topic (topic.transactions at kafka.bootstrap-servers) between "
              + "batch.kafka.starting-offsets and batch.kafka.stopping-offsets.");
  public static final ConfigOption<String> STARTING_OFFSETS =
      key("batch.kafka.starting-offsets").stringType().defaultValue(KafkaRange.EARLIEST)
          .withDescription("Without batch.input: where reading the topic starts. earliest, latest, an ISO-8601 "
              + "instant (the first record whose Kafka timestamp is at or after it) or partition:offset pairs "
              + "such as 0:1200,3:900 (partitions not listed: from the earliest).");
  public static final ConfigOption<String> STOPPING_OFFSETS =
      key("batch.kafka.stopping-offsets").stringType().defaultValue(KafkaRange.LATEST)
          .withDescription("Without batch.input: where reading the topic stops, exclusive. latest (what the "
              + "partitions hold when the job starts), an ISO-8601 instant, or partition:offset pairs (partitions "
              + "not listed: to the latest).");
  public static final ConfigOption<String> OUTPUT =
      key("batch.output").stringType().noDefaultValue()
          .withDescription("Directory the job writes to: Avro container files of Decision records under "
              + DECISIONS_DIRECTORY + "/, of DeadLetter records (every input record that could not be scored, "
              + "with its reason) under " + DEAD_LETTERS_DIRECTORY + "/.");
  public static final ConfigOption<String> JDBC_URL =
      key("batch.jdbc.url").stringType().noDefaultValue()
          .withDescription("PostgreSQL JDBC URL of the decision table. Set: decisions are also upserted into "
              + "batch.jdbc.table, keyed as batch.jdbc.key says (created when missing). Unset: files only.");
  public static final ConfigOption<String> JDBC_TABLE =
      key("batch.jdbc.table").stringType().defaultValue("decisions")
          .withDescription("The decision table, optionally schema-qualified.");
  public static final ConfigOption<DecisionTableKey> JDBC_KEY =
      key("batch.jdbc.key").enumType(DecisionTableKey.class).defaultValue(DecisionTableKey.TRANSACTION)
          .withDescription("TRANSACTION: a row per transaction, keyed by transaction_id. CUSTOMER: a row per "
              + "customer, keyed by customer_id, holding the decision of the customer's latest transaction in "
              + "event time, for applications that read a customer's current score.");
  public static final ConfigOption<String> JDBC_USERNAME =
      key("batch.jdbc.username").stringType().noDefaultValue()
          .withDescription("User of batch.jdbc.url; needs to create the table (once) and write to it.");
  public static final ConfigOption<String> JDBC_PASSWORD =
      key("batch.jdbc.password").stringType().defaultValue("env:" + JDBC_PASSWORD_ENV)
          .withDescription("Where the password of batch.jdbc.url is: env:NAME (not set: no password) or file:PATH.");
  public static final ConfigOption<Integer> JDBC_BATCH_SIZE =
      key("batch.jdbc.batch-size").intType().defaultValue(500)
          .withDescription("Decisions each writer upserts in one JDBC batch and transaction.");

  /** The settings of batch scoring, as {@code --help} and the configuration page list them. */
  public static final OptionGroup GROUP = new OptionGroup("Batch inference",
      "What batch scoring reads and where it writes its decisions; every other setting is the streaming job's.",
      List.of(INPUT, STARTING_OFFSETS, STOPPING_OFFSETS, OUTPUT, JDBC_URL, JDBC_TABLE, JDBC_KEY, JDBC_USERNAME,
          JDBC_PASSWORD, JDBC_BATCH_SIZE),
      List.of(INPUT, JDBC_URL, JDBC_USERNAME));

  public BatchConfig {
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("set the output directory with --" + OUTPUT.key());
    }
  }

  /** Parses {@code --key value} arguments: {@code batch.*} keys here, every other one as {@link JobConfig}'s. */
  public static BatchConfig fromArgs(String[] args, Map<String, String> environment) throws IOException {
    return fromMap(Settings.fromArgs(args), environment);
  }

  public static BatchConfig fromMap(Map<String, String> settings, Map<String, String> environment) {
    Map<String, String> batch = new HashMap<>();
    Map<String, String> job = new HashMap<>();
    settings.forEach((key, value) -> (key.startsWith("batch.") ? batch : job).put(key, value));
    Settings.refuseUnknown(batch.keySet(), GROUP.options());
    Configuration conf = Configuration.fromMap(batch);
    BatchConfig config = new BatchConfig(
        JobConfig.fromMap(job, environment),
        conf.getOptional(INPUT),
        conf.get(STARTING_OFFSETS),
        conf.get(STOPPING_OFFSETS),
        conf.getOptional(OUTPUT).orElse(null),
        conf.getOptional(JDBC_URL).map(url -> new DecisionTableSettings(url, conf.get(JDBC_TABLE), conf.get(JDBC_KEY),
            conf.getOptional(JDBC_USERNAME).orElse(null), JobConfig.secret(conf, JDBC_PASSWORD),
            conf.get(JDBC_BATCH_SIZE))));
    config.table().ifPresent(table -> table.password().read(environment));
    return config;
  }

  /** One entry per batch setting: key, default and description; printed by {@code --help}. */
  public static String describe() {
    return OptionGroup.describe(List.of(GROUP));
  }
}
