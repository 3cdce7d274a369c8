package dev.riskstream.job;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.OptionGroup;
import dev.riskstream.io.settings.RolloutOptions;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.io.settings.Settings;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.monitoring.MonitoringOptions;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.job.rollout.RolloutSettings;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringOptions;
import dev.riskstream.job.scoring.ScoringSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Every setting of the job, typed. The settings are declared area by area beside what they
 * configure, with their defaults and meanings, and listed here in {@link #GROUPS}. Read from
 * {@code --key value} arguments, optionally on top of a properties file given by {@code --config}.
 * Secrets (the card-token key, the card keys, the lookup password) are settings that say where it is
 * ({@link SecretReference}): the job graph carries where, the TaskManagers read what.
 *
 * @param pii where the keys that protect card numbers are
 * @param input what the job accepts beyond the schema: size, event-time range, de-duplication
 * @param stateBackend where keyed state lives: the heap or RocksDB
 * @param kafkaClient client properties of every Kafka client of the job (security, above all)
 * @param lookup the profile database of the lookup join; empty: the job runs without the join
 * @param modelUpdates hot model swap; empty: the job scores with {@code modelBundle} until it stops
 * @param rules rules beside the model; empty: the model alone decides
 * @param monitoringWindow size of the event-time windows of online monitoring
 * @param labels the delayed-label join and performance reports; empty: the job reads no labels
 * @param featureLogPath where the feature log goes; empty: no feature log
 * @param writerSchemaVersions the released schema version each output named is written with, by
 *     {@link OutputOptions#OUTPUTS} name; an output not named writes the current schema
 */
public record JobConfig(
    String bootstrapServers,
    KafkaClientProperties kafkaClient,
    String groupId,
    String transactionsTopic,
    String decisionsTopic,
    String deadLettersTopic,
    Path modelBundle,
    ScoringSettings scoring,
    PiiKeys pii,
    InputSettings input,
    DeliveryGuarantee deliveryGuarantee,
    String transactionalIdPrefix,
    Duration kafkaTransactionTimeout,
    Duration checkpointInterval,
    Duration bufferTimeout,
    StateBackendChoice stateBackend,
    Duration maxOutOfOrderness,
    Duration sourceIdleness,
    FeatureOrdering featureOrdering,
    Duration featureMaxWait,
    Optional<LookupSettings> lookup,
    Optional<ModelUpdateSettings> modelUpdates,
    Optional<RuleSettings> rules,
    Duration monitoringWindow,
    DriftSettings drift,
    Optional<LabelSettings> labels,
    Optional<String> featureLogPath,
    Map<String, Integer> writerSchemaVersions) {






  /** The settings of the job, area by area, as {@code --help} and the configuration page list them. */
  public static final List<OptionGroup> GROUPS = List.of(KafkaOptions.GROUP, TopicOptions.GROUP, ModelOptions.GROUP,
      ScoringOptions.GROUP, RuleOptions.GROUP, InputOptions.GROUP, FeatureOptions.GROUP, DeliveryOptions.GROUP,
      StateOptions.GROUP, LookupOptions.GROUP, MonitoringOptions.GROUP, LabelOptions.GROUP, RolloutOptions.GROUP,
      FeatureLogOptions.GROUP, OutputOptions.GROUP);
  public static final List<ConfigOption<?>> OPTIONS = OptionGroup.optionsOf(GROUPS);

  public JobConfig {
    writerSchemaVersions = Map.copyOf(writerSchemaVersions);
    OutputOptions.requireWritable(writerSchemaVersions);
    if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
        && kafkaTransactionTimeout.compareTo(checkpointInterval) <= 0) {
      throw new IllegalArgumentException(KafkaOptions.TRANSACTION_TIMEOUT.key() + " (" + kafkaTransactionTimeout
          + ") must be longer than " + DeliveryOptions.CHECKPOINT_INTERVAL.key() + " (" + checkpointInterval
          + "), or transactions abort before they are committed");
    }
    if (modelUpdates.map(updates -> updates.rollout().acts()).orElse(false) && labels.isEmpty()) {
      throw new IllegalArgumentException(RolloutOptions.POLICY.key() + " "
          + modelUpdates.get().rollout().policy() + " promotes on labelled evidence: turn " + LabelOptions.ENABLED.key()
          + " on, or choose " + RolloutPolicy.MANUAL);
    }
    if (monitoringWindow.isNegative() || monitoringWindow.isZero()) {
      throw new IllegalArgumentException(MonitoringOptions.WINDOW.key() + " must be positive, not " + monitoringWindow);
    }
  }

  /** Parses {@code --key value} arguments; unknown keys are refused so that typos do not pass silently. */
  public static JobConfig fromArgs(String[] args, Map<String, String> environment) throws IOException {
    return fromMap(Settings.fromArgs(args), environment);
  }

  /**
   * Reads settings given as {@code key -> value}, as a submission does: unknown keys are refused,
   * every secret named is read once from {@code environment} or its file, and the model registry's
   * file system must be there, so that what is missing stops the submission with its reason instead
   * of failing each task as it starts.
   */
  public static JobConfig fromMap(Map<String, String> settings, Map<String, String> environment) {
    Settings.refuseUnknown(settings.keySet(), OPTIONS);
    JobConfig config = from(Configuration.fromMap(settings));
    config.requireSecretsReadable(environment);
    config.modelUpdates().ifPresent(updates -> updates.registry().requireReachable());
    return config;
  }

  /** Reads each secret the settings name once, failing with where it was looked for. */
  public void requireSecretsReadable(Map<String, String> environment) {
    pii.requireReadable(environment);
    lookup.ifPresent(database -> database.password().read(environment));
  }

  public static JobConfig from(Configuration conf) {
    return new JobConfig(
        conf.get(KafkaOptions.BOOTSTRAP_SERVERS),
        conf.getOptional(KafkaOptions.CLIENT).map(KafkaClientProperties::new).orElse(KafkaClientProperties.NONE),
        conf.get(KafkaOptions.GROUP_ID),
        conf.get(TopicOptions.TRANSACTIONS),
        conf.get(TopicOptions.DECISIONS),
        conf.get(TopicOptions.DEAD_LETTERS),
        Path.of(conf.get(ModelOptions.BUNDLE)),
        scoring(conf),
        new PiiKeys(secret(conf, InputOptions.TOKEN_KEY),
            conf.getOptional(InputOptions.CARD_KEYS).map(value -> SecretReference.parse(InputOptions.CARD_KEYS.key(), value))
                .orElse(null),
            conf.get(InputOptions.CARD_KEYS_REFRESH)),
        new InputSettings(conf.get(InputOptions.MAX_RECORD_BYTES), conf.get(InputOptions.MAX_EVENT_TIME_AHEAD),
            conf.getOptional(InputOptions.MAX_EVENT_TIME_BEHIND).orElse(null), conf.get(InputOptions.DEDUP_HORIZON)),
        conf.get(DeliveryOptions.GUARANTEE).guarantee(),
        conf.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX),
        conf.get(KafkaOptions.TRANSACTION_TIMEOUT),
        conf.get(DeliveryOptions.CHECKPOINT_INTERVAL),
        conf.get(DeliveryOptions.BUFFER_TIMEOUT),
        conf.get(StateOptions.BACKEND),
        conf.get(FeatureOptions.MAX_OUT_OF_ORDERNESS),
        conf.get(FeatureOptions.SOURCE_IDLENESS),
        conf.get(FeatureOptions.ORDERING),
        conf.get(FeatureOptions.MAX_WAIT),
        conf.getOptional(LookupOptions.JDBC_URL).map(url -> new LookupSettings(url,
            conf.getOptional(LookupOptions.USERNAME).orElse(null),
            secret(conf, LookupOptions.PASSWORD),
            conf.get(LookupOptions.TIMEOUT),
            conf.get(LookupOptions.CAPACITY),
            conf.get(LookupOptions.POOL_SIZE),
            conf.get(LookupOptions.CACHE_TTL),
            conf.get(LookupOptions.CACHE_SIZE),
            conf.get(LookupOptions.MAX_RETRIES))),
        conf.getOptional(ModelOptions.REGISTRY).map(registry -> new ModelUpdateSettings(ModelRegistry.at(registry),
            conf.get(TopicOptions.MODEL_UPDATES), conf.get(TopicOptions.MODEL_STATUS), RolloutSettings.from(conf))),
        rules(conf),
        conf.get(MonitoringOptions.WINDOW),
        driftSettings(conf),
        conf.get(LabelOptions.ENABLED)
            ? Optional.of(new LabelSettings(conf.get(TopicOptions.LABELS), conf.get(TopicOptions.PERFORMANCE_REPORTS),
                conf.get(LabelOptions.TTL), conf.get(LabelOptions.WAIT), performanceFloors(conf)))
            : Optional.empty(),
        conf.getOptional(FeatureLogOptions.PATH),
        OutputOptions.writerSchemaVersions(conf));
  }

  static SecretReference secret(Configuration conf, ConfigOption<String> option) {
    return SecretReference.parse(option.key(), conf.get(option));
  }

  /** The rule set of rules.file is read here, at submission, and travels with the job: no TaskManager needs the file. */
  private static Optional<RuleSettings> rules(Configuration conf) {
    Optional<String> initialSet = conf.getOptional(RuleOptions.FILE).map(file -> {
      try {
        return Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RuleOptions.FILE.key() + " " + file, e);
      }
    });
    Optional<RuleSettings.RuleUpdateTopics> updates = conf.get(RuleOptions.UPDATES)
        ? Optional.of(new RuleSettings.RuleUpdateTopics(conf.get(TopicOptions.RULE_SETS), conf.get(TopicOptions.RULE_STATUS)))
        : Optional.empty();
    return initialSet.isEmpty() && updates.isEmpty() ? Optional.empty()
        : Optional.of(new RuleSettings(initialSet, updates));
  }

  private static ScoringSettings scoring(Configuration conf) {
    return new ScoringSettings(new ProviderPlan(conf.get(ModelOptions.EXECUTION_PROVIDER), conf.get(ScoringOptions.CUDA_MIN_ROWS)),
        conf.get(ScoringOptions.BATCH_SIZE), conf.get(ScoringOptions.MAX_WAIT), conf.get(ScoringOptions.LANE),
        conf.get(ScoringOptions.SHARED_MAX_ROWS));
  }

  private static DriftSettings driftSettings(Configuration conf) {
    DriftThresholds thresholds = new DriftThresholds(conf.get(MonitoringOptions.PSI), conf.get(MonitoringOptions.SECOND_STATISTIC),
        conf.get(MonitoringOptions.UNSEEN_RATE), conf.get(MonitoringOptions.MISSING_RATE_INCREASE), conf.get(MonitoringOptions.MIN_EVENTS),
        Set.copyOf(conf.get(MonitoringOptions.UNJUDGED_FEATURES)));
    return new DriftSettings(thresholds,
        new RetrainPolicy(conf.get(MonitoringOptions.CONSECUTIVE_WINDOWS), conf.get(MonitoringOptions.COOLDOWN), conf.get(MonitoringOptions.WARM_UP),
            thresholds, estimatedFloors(conf, thresholds)),
        conf.get(TopicOptions.DRIFT_REPORTS), conf.get(TopicOptions.RETRAIN_REQUESTS));
  }

  /** Null when no estimated floor is set. */
  private static PerformanceFloors estimatedFloors(Configuration conf, DriftThresholds thresholds) {
    Double minRocAuc = conf.getOptional(MonitoringOptions.MIN_ESTIMATED_ROC_AUC).orElse(null);
    Double minReviewRecall = conf.getOptional(MonitoringOptions.MIN_ESTIMATED_REVIEW_RECALL).orElse(null);
    Double minDeclinePrecision = conf.getOptional(MonitoringOptions.MIN_ESTIMATED_DECLINE_PRECISION).orElse(null);
    if (minRocAuc == null && minReviewRecall == null && minDeclinePrecision == null) {
      return null;
    }
    return new PerformanceFloors(thresholds.minEvents(), conf.get(MonitoringOptions.MIN_EXPECTED_FRAUDS), minRocAuc,
        minReviewRecall, minDeclinePrecision);
  }

  private static PerformanceFloors performanceFloors(Configuration conf) {
    return new PerformanceFloors(conf.get(LabelOptions.MIN_LABELLED), conf.get(LabelOptions.MIN_FRAUDS),
        conf.get(LabelOptions.MIN_ROC_AUC),
        conf.getOptional(LabelOptions.MIN_REVIEW_RECALL).orElse(null),
        conf.getOptional(LabelOptions.MIN_DECLINE_PRECISION).orElse(null));
  }

  /** Properties of one Kafka client of the job: the bootstrap servers and {@code kafka.client.*}. */
  public Properties kafkaProperties() {
    return kafkaClient.toProperties(bootstrapServers);
  }

  /** One entry per setting, area by area: key, default and description; printed by {@code --help}. */
  public static String describe() {
    return OptionGroup.describe(GROUPS);
  }

  /**
   * Everything but Kafka's password properties, which must not reach logs; secrets of riskstream's own
   * settings are references, shown as they are.
   */
  @Override
  public String toString() {
    return "JobConfig[bootstrapServers=" + bootstrapServers + ", kafkaClient=" + kafkaClient + ", groupId=" + groupId
        + ", transactionsTopic=" + transactionsTopic + ", decisionsTopic=" + decisionsTopic
        + ", deadLettersTopic=" + deadLettersTopic + ", modelBundle=" + modelBundle
        + ", scoring=" + scoring + ", pii=" + pii + ", input=" + input + ", deliveryGuarantee=" + deliveryGuarantee
        + ", transactionalIdPrefix=" + transactionalIdPrefix
        + ", kafkaTransactionTimeout=" + kafkaTransactionTimeout
        + ", checkpointInterval=" + checkpointInterval + ", bufferTimeout=" + bufferTimeout + ", stateBackend=" + stateBackend
        + ", maxOutOfOrderness=" + maxOutOfOrderness
        + ", sourceIdleness=" + sourceIdleness + ", featureOrdering=" + featureOrdering
        + ", featureMaxWait=" + featureMaxWait
        + ", lookup=" + lookup + ", modelUpdates=" + modelUpdates
        + ", rules=" + rules.map(r -> "[initialSet=" + r.initialSet().isPresent() + ", updates=" + r.updates() + "]")
        + ", monitoringWindow=" + monitoringWindow + ", drift=" + drift + ", labels=" + labels + ", featureLogPath=" + featureLogPath
        + ", writerSchemaVersions=" + writerSchemaVersions + "]";
  }
}
