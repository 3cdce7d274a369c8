package dev.riskstream.io.settings;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Topics": the names of the topics the job and retraining read and write; their
 * records are the contracts.
 */
public final class TopicOptions {

  public static final ConfigOption<String> TRANSACTIONS =
      key("topic.transactions").stringType().defaultValue("transactions")
          .withDescription("Input: Avro Transaction, single-object encoded.");
  public static final ConfigOption<String> DECISIONS =
      key("topic.decisions").stringType().defaultValue("decisions")
          .withDescription("Output: Avro Decision, keyed by transactionId.");
  public static final ConfigOption<String> DEAD_LETTERS =
      key("topic.dead-letters").stringType().defaultValue("transactions-dlq")
          .withDescription("Output: Avro DeadLetter for every input record that cannot be scored.");
  public static final ConfigOption<String> MODEL_UPDATES =
      key("topic.model-updates").stringType().defaultValue("model-updates")
          .withDescription("Input, with model.registry: Avro ModelUpdate announcements; one partition, "
              + "compacted, read from the start.");
  public static final ConfigOption<String> MODEL_STATUS =
      key("topic.model-status").stringType().defaultValue("model-status")
          .withDescription("Output, with model.registry: Avro ModelStatus, what each scoring subtask did "
              + "with each announcement (activated, or rejected and why).");
  public static final ConfigOption<String> RULE_SETS =
      key("topic.rule-sets").stringType().defaultValue("rule-sets")
          .withDescription("Input, with rules.updates: Avro RuleSetUpdate publications; one partition, compacted, "
              + "read from the start.");
  public static final ConfigOption<String> RULE_STATUS =
      key("topic.rule-status").stringType().defaultValue("rule-status")
          .withDescription("Output, with rules.updates: Avro RuleSetStatus, what the job did with each publication "
              + "(activated, or rejected and why).");
  public static final ConfigOption<String> DRIFT_REPORTS =
      key("topic.drift-reports").stringType().defaultValue("drift-reports")
          .withDescription("Output: Avro DriftReport per window, segment and model version.");
  public static final ConfigOption<String> RETRAIN_REQUESTS =
      key("topic.retrain-requests").stringType().defaultValue("retrain-requests")
          .withDescription("Output: Avro RetrainRequest, with its evidence, keyed by model version.");
  public static final ConfigOption<String> LABELS =
      key("topic.labels").stringType().defaultValue("labels")
          .withDescription("Input, with monitoring.labels: Avro FraudLabel, keyed by transactionId; event time "
              + "labelledAt.");
  public static final ConfigOption<String> PERFORMANCE_REPORTS =
      key("topic.performance-reports").stringType().defaultValue("performance-reports")
          .withDescription("Output, with monitoring.labels: Avro PerformanceReport per window and model version.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Topics",
      "The names of the topics the job and retraining read and write; their records are the contracts.",
      List.of(TRANSACTIONS, DECISIONS, DEAD_LETTERS, MODEL_UPDATES, MODEL_STATUS, RULE_SETS, RULE_STATUS, DRIFT_REPORTS,
          RETRAIN_REQUESTS, LABELS, PERFORMANCE_REPORTS),
      List.of());

  private TopicOptions() {}
}
