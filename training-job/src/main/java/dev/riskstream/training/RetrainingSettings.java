package dev.riskstream.training;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.OptionGroup;
import dev.riskstream.io.settings.RolloutOptions;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.io.settings.Settings;
import dev.riskstream.io.settings.TopicOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
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
 * @param rolloutPolicy how a candidate that passes the gate goes live: decides at once under
 *     IMMEDIATE, otherwise into shadow, where the job's rollout judges it
 * @param schedule how often the service requests a scheduled retraining; empty: never
 * @param labelLag how far before now a scheduled retraining's data ends
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
    Optional<Duration> history,
    RolloutPolicy rolloutPolicy,
    Optional<Duration> schedule,
    Duration labelLag) {

  public RetrainingSettings {
    if (schedule.filter(period -> period.isNegative() || period.isZero()).isPresent()) {
      throw new IllegalArgumentException(SCHEDULE.key() + " must be positive, not " + schedule.get());
    }
    if (labelLag.isNegative()) {
      throw new IllegalArgumentException(LABEL_LAG.key() + " must not be negative, not " + labelLag);
    }
  }

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
  public static final ConfigOption<Double> LOSS_SIGNIFICANCE =
      key("retraining.loss-significance").doubleType().defaultValue(0.05)
          .withDescription("A loss of precision or recall beyond retraining.max-precision-recall-loss fails the "
              + "gate only when the paired test of the frauds the two models disagree on gives it a p-value below "
              + "this: the held-out rows must show the loss, not chance.");
  public static final ConfigOption<Double> MIN_AUC_GAIN =
      key("retraining.min-auc-gain").doubleType().defaultValue(0.0)
          .withDescription("For a request for drift or falling performance: the candidate's held-out ROC AUC must "
              + "exceed the champion's by more than this.");
  public static final ConfigOption<Duration> HISTORY =
      key("retraining.history").durationType().noDefaultValue()
          .withDescription("Train on this much event time before the end of the request's latest evidence window. "
              + "Unset: from the start of the request's earliest evidence window, the traffic the champion was "
              + "found wanting on.");
  public static final ConfigOption<Duration> SCHEDULE =
      key("retraining.schedule").durationType().noDefaultValue()
          .withDescription("Retrain on a cadence too, whatever the monitors say: every this much wall-clock time the "
              + "retraining service requests a retraining of reason SCHEDULED for the deciding model, over the "
              + "decisions of the last period up to retraining.label-lag ago (retraining.history widens it). The "
              + "period starts when the service starts; for calendar times, run ScheduledRetraining from a scheduler "
              + "(the CronJob of deploy/k8s) instead, with this set to its period. Unset: no cadence.");
  public static final ConfigOption<Duration> LABEL_LAG =
      key("retraining.label-lag").durationType().defaultValue(Duration.ofDays(3))
          .withDescription("How far before now a scheduled retraining's data ends: labels of newer decisions are "
              + "still arriving, and a decision whose fraud is not reported yet would be learnt as genuine.");
  public static final ConfigOption<String> GROUP_ID =
      key("retraining.group-id").stringType().defaultValue("riskstream-retraining")
          .withDescription("Consumer group of the retraining service on topic.retrain-requests.");

  /** Retraining's own settings; those it shares with the streaming job are in the shared groups. */
  public static final OptionGroup GROUP = new OptionGroup("Retraining",
      "The retraining service's and the retraining job's own settings; they also read the Kafka, topic, model "
          + "and feature-log settings above.",
      List.of(REPORTS, MAX_AUC_LOSS, MAX_PRECISION_RECALL_LOSS, LOSS_SIGNIFICANCE, MIN_AUC_GAIN, HISTORY, SCHEDULE,
          LABEL_LAG, GROUP_ID),
      List.of(HISTORY, SCHEDULE));

  /** Every setting retraining reads. */
  public static final List<OptionGroup> GROUPS =
      List.of(GROUP, KafkaOptions.GROUP, TopicOptions.GROUP, ModelOptions.GROUP, FeatureLogOptions.GROUP,
          RolloutOptions.GROUP);

  /**
   * Reads settings given as {@code key -> value} (a properties file, {@code --key value} arguments).
   * A key in an area that retraining reads ({@code retraining.}, {@code kafka.}, {@code topic.},
   * {@code model.}, {@code feature-log.}) and that none of its settings has is refused, so that typos
   * do not pass silently; keys of the streaming job's other areas are left to the job, which checks
   * them, so that one properties file can serve both.
   */
  public static RetrainingSettings fromMap(Map<String, String> settings) {
    List<ConfigOption<?>> known = OptionGroup.optionsOf(GROUPS);
    Set<String> areas = known.stream().map(option -> areaOf(option.key())).collect(Collectors.toSet());
    Settings.refuseUnknown(settings.keySet().stream().filter(key -> areas.contains(areaOf(key))).toList(), known);
    return from(Configuration.fromMap(settings));
  }

  /** A key's area: what comes before its first dot. */
  private static String areaOf(String key) {
    return key.substring(0, Math.max(key.indexOf('.'), 0));
  }

  public static RetrainingSettings from(Configuration conf) {
    String featureLog = conf.getOptional(FeatureLogOptions.PATH).orElseThrow(() -> new IllegalArgumentException(
        "retraining reads the feature log: set " + FeatureLogOptions.PATH.key()));
    String registry = conf.getOptional(ModelOptions.REGISTRY).orElseThrow(() -> new IllegalArgumentException(
        "retraining publishes to the model registry: set " + ModelOptions.REGISTRY.key()));
    return new RetrainingSettings(
        conf.get(KafkaOptions.BOOTSTRAP_SERVERS),
        conf.getOptional(KafkaOptions.CLIENT).map(KafkaClientProperties::new).orElse(KafkaClientProperties.NONE),
        conf.get(TopicOptions.LABELS),
        conf.get(TopicOptions.RETRAIN_REQUESTS),
        conf.get(TopicOptions.MODEL_UPDATES),
        featureLog,
        ModelRegistry.at(registry),
        Path.of(conf.get(ModelOptions.BUNDLE)),
        Path.of(conf.get(REPORTS)),
        conf.get(GROUP_ID),
        new ValidationGate(conf.get(MAX_AUC_LOSS), conf.get(MAX_PRECISION_RECALL_LOSS), conf.get(MIN_AUC_GAIN),
            conf.get(LOSS_SIGNIFICANCE)),
        conf.getOptional(HISTORY),
        conf.get(RolloutOptions.POLICY),
        conf.getOptional(SCHEDULE),
        conf.get(LABEL_LAG));
  }

  /** Where the retraining that trains {@code candidateVersion} writes its report. */
  public Path reportOf(String candidateVersion) {
    return reportsDirectory.resolve(candidateVersion).resolve("report.json");
  }

  public Properties kafkaProperties() {
    return kafkaClient.toProperties(bootstrapServers);
  }
}
