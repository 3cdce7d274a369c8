package dev.riskstream.training;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.io.KafkaClientProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Settings of retraining. The streaming job's keys (Kafka, topics, registry, feature log) mean the
 * same here and are read from the same names, so one properties file can serve both; the keys of
 * retraining's own are defined and documented below, once.
 *
 * @param reportsDirectory where each retraining leaves its candidate bundle and report
 * @param history train on this much event time before the latest evidence window's end; empty: from
 *     the start of the earliest evidence window
 */
public record RetrainingSettings(
    String bootstrapServers,
    KafkaClientProperties kafkaClient,
    String labelsTopic,
    String retrainRequestsTopic,
    String modelUpdatesTopic,
    String featureLogPath,
    ModelRegistry registry,
    Path initialBundle,
    Path reportsDirectory,
    String groupId,
    ValidationGate gate,
    Optional<Duration> history) {

  public static final ConfigOption<String> REPORTS =
      key("retraining.reports").stringType().defaultValue("retraining")
          .withDescription("Directory where each retraining writes <candidate>/report.json (the data, both models' "
              + "held-out results, the gate's checks and its verdict) and <candidate>/bundle (kept when rejected).");
  public static final ConfigOption<Double> MAX_AUC_LOSS =
      key("retraining.max-auc-loss").doubleType().defaultValue(0.005)
          .withDescription("How far the candidate's held-out ROC AUC may fall below the champion's (when the "
              + "request's reason is not drift or performance).");
  public static final ConfigOption<Double> MAX_PRECISION_RECALL_LOSS =
      key("retraining.max-precision-recall-loss").doubleType().defaultValue(0.05)
          .withDescription("How far the candidate's held-out precision and recall at its review and decline "
              + "thresholds may fall below the champion's at the champion's thresholds.");
  public static final ConfigOption<Double> MIN_AUC_GAIN =
      key("retraining.min-auc-gain").doubleType().defaultValue(0.0)
          .withDescription("For a request for drift or falling performance: the candidate's held-out ROC AUC must "
              + "exceed the champion's by more than this.");
  public static final ConfigOption<Duration> HISTORY =
      key("retraining.history").durationType().noDefaultValue()
          .withDescription("Train on this much event time before the end of the request's latest evidence window. "
              + "Unset: from the start of the request's earliest evidence window, the traffic the champion was "
              + "found wanting on.");
  public static final ConfigOption<String> GROUP_ID =
      key("retraining.group-id").stringType().defaultValue("riskstream-retraining")
          .withDescription("Consumer group of the retraining service on topic.retrain-requests.");

  /** Retraining's own keys; the streaming job's that it reads are documented with the job's. */
  public static final List<ConfigOption<?>> OPTIONS =
      List.of(REPORTS, MAX_AUC_LOSS, MAX_PRECISION_RECALL_LOSS, MIN_AUC_GAIN, HISTORY, GROUP_ID);

  /**
   * Reads settings given as {@code key -> value} (a properties file, {@code --key value} arguments);
   * keys that neither retraining nor the streaming job knows are refused, so that typos do not pass
   * silently and one properties file can serve both.
   */
  public static RetrainingSettings fromMap(Map<String, String> settings) {
    Set<String> known = Stream.concat(OPTIONS.stream(), JobConfig.OPTIONS.stream()).map(ConfigOption::key)
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> unknown = settings.keySet().stream()
        .filter(key -> !known.contains(key) && !key.startsWith(JobConfig.KAFKA_CLIENT.key() + "."))
        .sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown settings " + unknown + "; known: " + known);
    }
    return from(Configuration.fromMap(settings));
  }

  public static RetrainingSettings from(Configuration conf) {
    String featureLog = conf.getOptional(JobConfig.FEATURE_LOG_PATH).orElseThrow(() -> new IllegalArgumentException(
        "retraining reads the feature log: set " + JobConfig.FEATURE_LOG_PATH.key()));
    String registry = conf.getOptional(JobConfig.MODEL_REGISTRY).orElseThrow(() -> new IllegalArgumentException(
        "retraining publishes to the model registry: set " + JobConfig.MODEL_REGISTRY.key()));
    return new RetrainingSettings(
        conf.get(JobConfig.BOOTSTRAP_SERVERS),
        conf.getOptional(JobConfig.KAFKA_CLIENT).map(KafkaClientProperties::new).orElse(KafkaClientProperties.NONE),
        conf.get(JobConfig.LABELS_TOPIC),
        conf.get(JobConfig.RETRAIN_REQUESTS_TOPIC),
        conf.get(JobConfig.MODEL_UPDATES_TOPIC),
        featureLog,
        ModelRegistry.at(registry),
        Path.of(conf.get(JobConfig.MODEL_BUNDLE)),
        Path.of(conf.get(REPORTS)),
        conf.get(GROUP_ID),
        new ValidationGate(conf.get(MAX_AUC_LOSS), conf.get(MAX_PRECISION_RECALL_LOSS), conf.get(MIN_AUC_GAIN)),
        conf.getOptional(HISTORY));
  }

  /** Where the retraining that trains {@code candidateVersion} writes its report. */
  public Path reportOf(String candidateVersion) {
    return reportsDirectory.resolve(candidateVersion).resolve("report.json");
  }

  public Properties kafkaProperties() {
    return kafkaClient.toProperties(bootstrapServers);
  }
}
