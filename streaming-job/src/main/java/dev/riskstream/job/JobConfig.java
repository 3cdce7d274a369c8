package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.job.io.KafkaClientProperties;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * Every setting of the job, typed, with its default and meaning in one place. Read from
 * {@code --key value} arguments, optionally on top of a properties file given by {@code --config};
 * the card tokenization key may come from the environment variable {@value #TOKEN_KEY_ENV} instead,
 * and the lookup database's password from {@value #LOOKUP_PASSWORD_ENV}, so that neither appears in
 * a process list; the card keys file may be named by {@value #CARD_KEYS_FILE_ENV}.
 *
 * @param cardKeys keys of encrypted card envelopes; {@link CardKeys#NONE} without a key file
 * @param input what the job accepts beyond the schema: size, event-time range, de-duplication
 * @param kafkaClient client properties of every Kafka client of the job (security, above all)
 * @param lookup the profile database of the lookup join; empty: the job runs without the join
 * @param modelUpdates hot model swap; empty: the job scores with {@code modelBundle} until it stops
 * @param monitoringWindow size of the event-time windows of online monitoring
 * @param labels the delayed-label join and performance reports; empty: the job reads no labels
 * @param featureLogPath where the feature log goes; empty: no feature log
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
    byte[] tokenKey,
    CardKeys cardKeys,
    InputSettings input,
    DeliveryGuarantee deliveryGuarantee,
    String transactionalIdPrefix,
    Duration kafkaTransactionTimeout,
    Duration checkpointInterval,
    Duration bufferTimeout,
    Duration maxOutOfOrderness,
    Duration sourceIdleness,
    FeatureOrdering featureOrdering,
    Duration featureMaxWait,
    Optional<LookupSettings> lookup,
    Optional<ModelUpdateSettings> modelUpdates,
    Duration monitoringWindow,
    DriftSettings drift,
    Optional<LabelSettings> labels,
    Optional<String> featureLogPath) {

  public static final String TOKEN_KEY_ENV = "RISKSTREAM_TOKEN_KEY";
  public static final String LOOKUP_PASSWORD_ENV = "RISKSTREAM_LOOKUP_PASSWORD";
  public static final String CARD_KEYS_FILE_ENV = "RISKSTREAM_CARD_KEYS_FILE";

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key("kafka.bootstrap-servers").stringType().defaultValue("localhost:9092")
          .withDescription("Kafka bootstrap servers.");
  public static final ConfigOption<Map<String, String>> KAFKA_CLIENT =
      key("kafka.client").mapType().noDefaultValue()
          .withDescription("A Kafka client property, under its own name after kafka.client., that the transactions "
              + "and other sources, every sink and the job's access check all get, e.g. kafka.client.security.protocol "
              + "SASL_SSL, kafka.client.sasl.mechanism SCRAM-SHA-512, kafka.client.sasl.jaas.config, "
              + "kafka.client.ssl.truststore.location. Keep secrets out of arguments with Kafka's config "
              + "providers: kafka.client.config.providers file,env, kafka.client.config.providers.file.class "
              + "org.apache.kafka.common.config.provider.FileConfigProvider, kafka.client.config.providers.env.class "
              + "org.apache.kafka.common.config.provider.EnvVarConfigProvider, then values like "
              + "${file:/etc/riskstream/kafka-secrets.properties:sasl.jaas.config} or ${env:KAFKA_JAAS_CONFIG}, "
              + "resolved where each client starts (JobManager and TaskManagers). Properties no Kafka client "
              + "knows are refused, as are those with a setting of their own (bootstrap.servers, group.id, "
              + "transactional.id, transaction.timeout.ms); password values are masked in logs.");
  public static final ConfigOption<String> GROUP_ID =
      key("kafka.group-id").stringType().defaultValue("riskstream")
          .withDescription("Consumer group of the transactions source (offsets are committed on checkpoints).");
  public static final ConfigOption<String> TRANSACTIONS_TOPIC =
      key("topic.transactions").stringType().defaultValue("transactions")
          .withDescription("Input: Avro Transaction, single-object encoded.");
  public static final ConfigOption<String> DECISIONS_TOPIC =
      key("topic.decisions").stringType().defaultValue("decisions")
          .withDescription("Output: Avro Decision, keyed by transactionId.");
  public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
      key("topic.dead-letters").stringType().defaultValue("transactions-dlq")
          .withDescription("Output: Avro DeadLetter for every input record that cannot be scored.");
  public static final ConfigOption<String> MODEL_BUNDLE =
      key("model.bundle").stringType().defaultValue("models/baseline")
          .withDescription("Directory of the model bundle (model.onnx and manifest.json), readable by every TaskManager.");
  public static final ConfigOption<String> MODEL_REGISTRY =
      key("model.registry").stringType().noDefaultValue()
          .withDescription("Directory (a path or file: URI, readable by every TaskManager) holding model bundles "
              + "as <registry>/<modelVersion>/, as `riskstream model publish` writes them. Set: the job takes "
              + "announcements from topic.model-updates and swaps models while it runs, and model.bundle is "
              + "only the model it starts with. Unset: no hot swap.");
  public static final ConfigOption<String> MODEL_UPDATES_TOPIC =
      key("topic.model-updates").stringType().defaultValue("model-updates")
          .withDescription("Input, with model.registry: Avro ModelUpdate announcements; one partition, "
              + "compacted, read from the start.");
  public static final ConfigOption<String> MODEL_STATUS_TOPIC =
      key("topic.model-status").stringType().defaultValue("model-status")
          .withDescription("Output, with model.registry: Avro ModelStatus, what each scoring subtask did "
              + "with each announcement (activated, or rejected and why).");
  public static final ConfigOption<ExecutionProviderChoice> EXECUTION_PROVIDER =
      key("model.execution-provider").enumType(ExecutionProviderChoice.class)
          .defaultValue(ExecutionProviderChoice.AUTO)
          .withDescription("AUTO: CUDA when it loads, else CPU. CUDA: fail at start without it. CPU.");
  public static final ConfigOption<Integer> SCORING_BATCH_SIZE =
      key("scoring.batch-size").intType().defaultValue(256)
          .withDescription("Most transactions a scoring subtask scores in one ONNX Runtime call. Larger batches "
              + "cost less per row (on a GPU they only pay off from about a thousand rows) but fill more slowly.");
  public static final ConfigOption<Duration> SCORING_MAX_WAIT =
      key("scoring.max-wait").durationType().defaultValue(Duration.ofMillis(1))
          .withDescription("Longest a transaction waits, in processing time, for its batch to fill before the "
              + "batch is scored as it is; the latency a decision pays for batching when traffic is light. Under "
              + "load a batch holds what arrived meanwhile (at 10,000/s a subtask, some 10 rows a millisecond).");
  public static final ConfigOption<ScoringLaneChoice> SCORING_LANE =
      key("scoring.lane").enumType(ScoringLaneChoice.class).defaultValue(ScoringLaneChoice.AUTO)
          .withDescription("Which thread runs the model. TASK_THREAD: the scoring subtask's own task thread. "
              + "SHARED: one per model and TaskManager, merging the batches of all its slots into one run while "
              + "their task threads fill the next (for GPUs). AUTO: SHARED on CUDA, TASK_THREAD on the CPU.");
  public static final ConfigOption<Integer> SCORING_SHARED_MAX_ROWS =
      key("scoring.shared-max-rows").intType().defaultValue(16_384)
          .withDescription("Most rows the SHARED lane merges into one run; at least scoring.batch-size.");
  public static final ConfigOption<Integer> SCORING_CUDA_MIN_ROWS =
      key("scoring.cuda-min-rows").intType().defaultValue(1024)
          .withDescription("On CUDA, runs of fewer rows go to a CPU session of the same model, which is faster "
              + "for them (on an H200, the CPU scored a small MLP as fast as the GPU at 1,024 rows a run and "
              + "2.8 times as fast at 256). Their decisions say cpu. 0: every run on CUDA.");
  public static final ConfigOption<String> TOKEN_KEY =
      key("pii.token-key").stringType().noDefaultValue()
          .withDescription("Secret key (at least 16 bytes) of the HMAC that replaces PANs by card tokens. "
              + "Prefer the environment variable " + TOKEN_KEY_ENV + ".");
  public static final ConfigOption<String> CARD_KEYS_FILE =
      key("pii.card-keys-file").stringType().noDefaultValue()
          .withDescription("File of the AES-256 keys of encrypted card numbers (Transaction.encryptedCard), one "
              + "keyId=base64key a line; list every id producers may still use while keys rotate. Read when the "
              + "job is submitted. Unset: an encrypted card is a dead letter (UNKNOWN_CARD_KEY). Or name it by the "
              + "environment variable " + CARD_KEYS_FILE_ENV + ".");
  public static final ConfigOption<Integer> INPUT_MAX_RECORD_BYTES =
      key("input.max-record-bytes").intType().defaultValue(16_384)
          .withDescription("Largest transaction record, in bytes; a larger one becomes a dead letter (OVERSIZE) "
              + "without being decoded. A transaction is about 200 bytes; the bound leaves room for long merchant "
              + "names in any script and stops a producer's mistake from costing a decode.");
  public static final ConfigOption<Duration> INPUT_MAX_EVENT_TIME_AHEAD =
      key("input.max-event-time-ahead").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("How far a transaction's eventTime may lie after the processing time; beyond, it "
              + "becomes a dead letter (EVENT_TIME_OUT_OF_RANGE): scored, it would move the watermark so far "
              + "that every later transaction is late. A day covers clock skew and time-zone mistakes.");
  public static final ConfigOption<Duration> INPUT_MAX_EVENT_TIME_BEHIND =
      key("input.max-event-time-behind").durationType().noDefaultValue()
          .withDescription("How far a transaction's eventTime may lie before the processing time; beyond, it "
              + "becomes a dead letter (EVENT_TIME_OUT_OF_RANGE). Unset: unchecked, because a job that catches up "
              + "after an outage, or replays a topic, reads old transactions legitimately; set it above the "
              + "topic's retention (e.g. P30D) to catch epoch-zero and seconds-for-milliseconds mistakes.");
  public static final ConfigOption<Duration> DEDUP_HORIZON =
      key("dedup.horizon").durationType().defaultValue(Duration.ofHours(1))
          .withDescription("A transaction whose transactionId was already seen within this much event time "
              + "after the first one's becomes a dead letter (DUPLICATE) and is not scored. Keyed state holds "
              + "about one horizon of transactionIds (some 60 bytes each), so an hour covers producer retries "
              + "and redeliveries at a bounded cost; longer catches late replays.");
  public static final ConfigOption<DeliveryChoice> DELIVERY_GUARANTEE =
      key("delivery.guarantee").enumType(DeliveryChoice.class).defaultValue(DeliveryChoice.EXACTLY_ONCE)
          .withDescription("EXACTLY_ONCE: decisions become visible to read_committed consumers at each "
              + "checkpoint, once each, also across failures. AT_LEAST_ONCE: visible as soon as written (latency "
              + "not tied to the checkpoint interval), but a restart writes the decisions since the last "
              + "checkpoint again; consumers de-duplicate by transactionId.");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      key("kafka.transactional-id-prefix").stringType().defaultValue("riskstream")
          .withDescription("Prefix of the Kafka transactional ids of the sinks; unique per job on a cluster.");
  public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT =
      key("kafka.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
          .withDescription("transaction.timeout.ms of the sinks; must exceed the checkpoint interval and "
              + "stay within the brokers' transaction.max.timeout.ms (15 min by default), which building the job "
              + "checks (exactly-once only).");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("How often state is checkpointed and, exactly-once, decisions are committed.");
  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      key("network.buffer-timeout").durationType().defaultValue(Duration.ofMillis(1))
          .withDescription("Longest a transaction waits in a network buffer on the decision path: on its way to "
              + "its card's features and, with a model registry, into the scorer (a two-input operator, which "
              + "Flink does not chain); a full buffer ships at once whatever the setting. The other shuffles, off "
              + "the decision path, keep the cluster's execution.buffer-timeout.interval (Flink's default 100 ms). "
              + "Lower costs throughput (partly filled buffers); 0: every record ships alone.");
  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
      key("watermark.max-out-of-orderness").durationType().defaultValue(Duration.ofSeconds(5))
          .withDescription("How late, in event time, a transaction may arrive and still count as on time.");
  public static final ConfigOption<Duration> SOURCE_IDLENESS =
      key("watermark.idleness").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("A source split without records for this long stops holding back the watermark.");

  public static final ConfigOption<FeatureOrdering> FEATURE_ORDERING =
      key("features.ordering").enumType(FeatureOrdering.class).defaultValue(FeatureOrdering.ARRIVAL)
          .withDescription("ARRIVAL: each transaction is decided when it arrives, with its card's history as it "
              + "stands then, and then takes its event-time place in that history; nothing on the decision path "
              + "waits for a watermark. Windows count by event time, so a transaction arriving behind newer ones "
              + "of its card (counted in the metric lateTransactions) sees only what happened before it; novelty "
              + "and the card mean follow arrival order. EVENT_TIME: each card's transactions wait in keyed state "
              + "until the watermark passes them and are processed in event-time order, independent of arrival "
              + "order within " + MAX_OUT_OF_ORDERNESS.key() + "; the price is latency: a decision waits for "
              + "transactions about " + MAX_OUT_OF_ORDERNESS.key() + " of event time later, plus up to one "
              + "watermark interval (200 ms), and at most features.max-wait. Transactions behind the watermark "
              + "are then processed at once and counted as late.");
  public static final ConfigOption<Duration> FEATURE_MAX_WAIT =
      key("features.max-wait").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("EVENT_TIME ordering only: the longest a transaction waits, in wall-clock time, for the "
              + "watermark. Then the card's transactions that arrived up to it are processed in event-time "
              + "order with the history there is, so decisions keep coming when the input stalls or a "
              + "partition idles; one that arrives behind them later counts as late.");
  public static final ConfigOption<String> LOOKUP_JDBC_URL =
      key("lookup.jdbc-url").stringType().noDefaultValue()
          .withDescription("JDBC URL of the customer and merchant profile database (PostgreSQL; H2 for tests). "
              + "Unset: the job runs without the lookup join and every decision says lookupStatus NOT_CONFIGURED.");
  public static final ConfigOption<String> LOOKUP_USERNAME =
      key("lookup.username").stringType().noDefaultValue()
          .withDescription("User of the profile database; unset: the driver's default. Needs SELECT only.");
  public static final ConfigOption<String> LOOKUP_PASSWORD =
      key("lookup.password").stringType().noDefaultValue()
          .withDescription("Password of the profile database user. Prefer the environment variable "
              + LOOKUP_PASSWORD_ENV + ".");
  public static final ConfigOption<Duration> LOOKUP_TIMEOUT =
      key("lookup.timeout").durationType().defaultValue(Duration.ofMillis(200))
          .withDescription("How long a transaction waits for its profiles, queueing included; then it is scored "
              + "with the fallback values (lookupStatus TIMEOUT).");
  public static final ConfigOption<Integer> LOOKUP_CAPACITY =
      key("lookup.capacity").intType().defaultValue(100)
          .withDescription("Lookups in flight per subtask; when full, the operator back-pressures its input.");
  public static final ConfigOption<Integer> LOOKUP_POOL_SIZE =
      key("lookup.pool-size").intType().defaultValue(4)
          .withDescription("JDBC connections, and threads that use them, per subtask. JDBC blocks a thread per "
              + "query, so this bounds throughput to about pool-size / query time per subtask; the database "
              + "sees parallelism x pool-size connections.");
  public static final ConfigOption<Duration> LOOKUP_CACHE_TTL =
      key("lookup.cache-ttl").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("How long a profile is served from the cache; absent profiles are cached for a tenth "
              + "of it, so that a new customer is seen soon.");
  public static final ConfigOption<Long> LOOKUP_CACHE_SIZE =
      key("lookup.cache-size").longType().defaultValue(100_000L)
          .withDescription("Cached profiles per kind (customer, merchant) per subtask; 0 turns the cache off.");
  public static final ConfigOption<Integer> LOOKUP_MAX_RETRIES =
      key("lookup.max-retries").intType().defaultValue(2)
          .withDescription("Retries of a lookup after a transient SQL error (connection lost, pool exhausted, "
              + "serialization failure), within lookup.timeout; other errors fall back at once (ERROR).");

  public static final ConfigOption<Duration> MONITORING_WINDOW =
      key("monitoring.window").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("Size of the tumbling event-time windows of online monitoring: each window of "
              + "decisions gets its own reports. Reference profiles describe whole days of training traffic, "
              + "so a window shorter than a day sees one part of the daily cycle (hour of day, which time "
              + "zones are awake, so the country mix) and drifts by the clock; shorten it only with features "
              + "and segments that have no daily cycle.");
  public static final ConfigOption<Long> DRIFT_MIN_EVENTS =
      key("monitoring.min-events").longType().defaultValue(DriftThresholds.DEFAULTS.minEvents())
          .withDescription("A segment's window with fewer transactions is reported as TOO_FEW_EVENTS and not "
              + "judged: its statistics would be chance.");
  public static final ConfigOption<Double> DRIFT_PSI =
      key("monitoring.psi-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.psi())
          .withDescription("Population stability index above which a feature drifts (0.25: a major shift).");
  public static final ConfigOption<Double> DRIFT_SECOND_STATISTIC =
      key("monitoring.second-statistic-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.secondStatistic())
          .withDescription("Binned Kolmogorov-Smirnov distance (numeric features, score) or Jensen-Shannon distance "
              + "(categorical attributes) above which a feature drifts.");
  public static final ConfigOption<Double> DRIFT_UNSEEN_RATE =
      key("monitoring.unseen-rate-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.unseenRate())
          .withDescription("Share of values training never saw above which a categorical attribute drifts.");
  public static final ConfigOption<Double> DRIFT_MISSING_RATE_INCREASE =
      key("monitoring.missing-rate-increase").doubleType().defaultValue(DriftThresholds.DEFAULTS.missingRateIncrease())
          .withDescription("Rise of the share of fallback values over training's, in absolute terms, above which a "
              + "feature drifts.");
  public static final ConfigOption<List<String>> DRIFT_UNJUDGED_FEATURES =
      key("monitoring.unjudged-features").stringType().asList()
          .defaultValues(DriftThresholds.STATE_AGE_FEATURES.stream().sorted().toArray(String[]::new))
          .withDescription("Features reported with their statistics but never judged drifting. Default: those "
              + "that grow with how long a card's history has been kept (history count, novelty flags), which a "
              + "job started days ago sees differently from a training replay of weeks whatever the traffic does.");
  public static final ConfigOption<Integer> RETRAIN_CONSECUTIVE_WINDOWS =
      key("monitoring.consecutive-windows").intType().defaultValue(3)
          .withDescription("Drifting windows in a row (any segment) before a retraining request; a stable window "
              + "resets the count, one with too few events does not. With monitoring.labels, performance windows "
              + "below a floor are counted the same way, separately.");
  public static final ConfigOption<Duration> RETRAIN_COOLDOWN =
      key("monitoring.cooldown").durationType().defaultValue(Duration.ofHours(6))
          .withDescription("Least event time between two retraining requests for one model version, whatever "
              + "their reason.");
  public static final ConfigOption<Duration> RETRAIN_WARM_UP =
      key("monitoring.warm-up").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("Event time, from the end of the first (usually partial) window a model version is judged in, during which "
              + "no retraining request is raised: a job started without state computes per-card features from "
              + "empty histories at first (the longest feature horizon is 24 hours). Reports still say what they see.");
  public static final ConfigOption<String> DRIFT_REPORTS_TOPIC =
      key("topic.drift-reports").stringType().defaultValue("drift-reports")
          .withDescription("Output: Avro DriftReport per window, segment and model version.");
  public static final ConfigOption<String> RETRAIN_REQUESTS_TOPIC =
      key("topic.retrain-requests").stringType().defaultValue("retrain-requests")
          .withDescription("Output: Avro RetrainRequest, with its evidence, keyed by model version.");
  public static final ConfigOption<Boolean> MONITORING_LABELS =
      key("monitoring.labels").booleanType().defaultValue(false)
          .withDescription("Join delayed labels from topic.labels with the decisions and write the realised "
              + "performance of every monitoring window and segment to topic.performance-reports. Off: no labels are "
              + "read.");
  public static final ConfigOption<Long> PERFORMANCE_MIN_LABELLED =
      key("monitoring.min-labelled").longType().defaultValue(1000L)
          .withDescription("With monitoring.labels: a segment's performance window with fewer labelled decisions is "
              + "not judged against the floors (neither counts towards a retraining request nor resets the count).");
  public static final ConfigOption<Long> PERFORMANCE_MIN_FRAUDS =
      key("monitoring.min-labelled-frauds").longType().defaultValue(30L)
          .withDescription("With monitoring.labels: a segment's performance window with fewer labelled frauds is not "
              + "judged; recall and ROC AUC from a handful of frauds are chance.");
  public static final ConfigOption<Double> PERFORMANCE_MIN_ROC_AUC =
      key("monitoring.min-roc-auc").doubleType().defaultValue(0.8)
          .withDescription("With monitoring.labels: realised ROC AUC below which a performance window fails; "
              + "0 turns the check off.");
  public static final ConfigOption<Double> PERFORMANCE_MIN_REVIEW_RECALL =
      key("monitoring.min-review-recall").doubleType().noDefaultValue()
          .withDescription("With monitoring.labels: share of labelled frauds at or above the review threshold "
              + "below which a performance window fails. Unset: not checked; what is too low depends on the "
              + "thresholds the model ships with.");
  public static final ConfigOption<Double> PERFORMANCE_MIN_DECLINE_PRECISION =
      key("monitoring.min-decline-precision").doubleType().noDefaultValue()
          .withDescription("With monitoring.labels: share of declined decisions labelled fraud below which a "
              + "performance window fails. Unset: not checked.");
  public static final ConfigOption<String> LABELS_TOPIC =
      key("topic.labels").stringType().defaultValue("labels")
          .withDescription("Input, with monitoring.labels: Avro FraudLabel, keyed by transactionId; event time "
              + "labelledAt.");
  public static final ConfigOption<String> PERFORMANCE_REPORTS_TOPIC =
      key("topic.performance-reports").stringType().defaultValue("performance-reports")
          .withDescription("Output, with monitoring.labels: Avro PerformanceReport per window and model version.");
  public static final ConfigOption<Duration> LABELS_TTL =
      key("labels.ttl").durationType().defaultValue(Duration.ofDays(7))
          .withDescription("How long, in event time, a decision waits for its label (from its transaction "
              + "time) and a label for its decision (from labelledAt); then it is dropped and counted: "
              + "labels.unlabelledDecisions, labels.unmatched.");
  public static final ConfigOption<Duration> LABELS_WAIT =
      key("labels.wait").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("How long after a window's end, in event time, its performance report waits for "
              + "labels; a label matched later is counted in labels.late and in no report.");

  public static final ConfigOption<String> FEATURE_LOG_PATH =
      key("feature-log.path").stringType().noDefaultValue()
          .withDescription("Directory (any file system Flink writes: a path, file:, s3:...) of the feature log: for "
              + "each decision the feature vector scored, model version, score and outcome, in Avro files under "
              + "date=YYYY-MM-DD/hour=HH of event time, committed with each checkpoint. Retraining reads it. Unset: "
              + "no feature log.");

  public static final List<ConfigOption<?>> OPTIONS =
      List.of(BOOTSTRAP_SERVERS, KAFKA_CLIENT, GROUP_ID, TRANSACTIONS_TOPIC, DECISIONS_TOPIC, DEAD_LETTERS_TOPIC,
          MODEL_BUNDLE, MODEL_REGISTRY, MODEL_UPDATES_TOPIC, MODEL_STATUS_TOPIC, EXECUTION_PROVIDER, SCORING_BATCH_SIZE, SCORING_MAX_WAIT, SCORING_LANE,
          SCORING_SHARED_MAX_ROWS, SCORING_CUDA_MIN_ROWS, TOKEN_KEY, CARD_KEYS_FILE, INPUT_MAX_RECORD_BYTES,
          INPUT_MAX_EVENT_TIME_AHEAD,
          INPUT_MAX_EVENT_TIME_BEHIND, DEDUP_HORIZON, DELIVERY_GUARANTEE, TRANSACTIONAL_ID_PREFIX,
          KAFKA_TRANSACTION_TIMEOUT, CHECKPOINT_INTERVAL, BUFFER_TIMEOUT, MAX_OUT_OF_ORDERNESS, SOURCE_IDLENESS,
          FEATURE_ORDERING, FEATURE_MAX_WAIT,
          LOOKUP_JDBC_URL, LOOKUP_USERNAME, LOOKUP_PASSWORD, LOOKUP_TIMEOUT, LOOKUP_CAPACITY, LOOKUP_POOL_SIZE,
          LOOKUP_CACHE_TTL, LOOKUP_CACHE_SIZE, LOOKUP_MAX_RETRIES,
          MONITORING_WINDOW, DRIFT_MIN_EVENTS, DRIFT_PSI, DRIFT_SECOND_STATISTIC, DRIFT_UNSEEN_RATE,
          DRIFT_MISSING_RATE_INCREASE, DRIFT_UNJUDGED_FEATURES, RETRAIN_CONSECUTIVE_WINDOWS, RETRAIN_COOLDOWN, RETRAIN_WARM_UP, DRIFT_REPORTS_TOPIC,
          RETRAIN_REQUESTS_TOPIC, MONITORING_LABELS, LABELS_TOPIC, PERFORMANCE_REPORTS_TOPIC, LABELS_TTL, LABELS_WAIT,
          PERFORMANCE_MIN_LABELLED, PERFORMANCE_MIN_FRAUDS, PERFORMANCE_MIN_ROC_AUC, PERFORMANCE_MIN_REVIEW_RECALL,
          PERFORMANCE_MIN_DECLINE_PRECISION, FEATURE_LOG_PATH);

  /** Settings without a default that the job can do without. */
  private static final List<ConfigOption<?>> OPTIONAL =
      List.of(KAFKA_CLIENT, CARD_KEYS_FILE, LOOKUP_JDBC_URL, LOOKUP_USERNAME, LOOKUP_PASSWORD, MODEL_REGISTRY,
          INPUT_MAX_EVENT_TIME_BEHIND, PERFORMANCE_MIN_REVIEW_RECALL,
          PERFORMANCE_MIN_DECLINE_PRECISION, FEATURE_LOG_PATH);

  public JobConfig {
    if (tokenKey == null || tokenKey.length < 16) {
      throw new IllegalArgumentException("set a card tokenization key of at least 16 bytes with --"
          + TOKEN_KEY.key() + " or the environment variable " + TOKEN_KEY_ENV);
    }
    if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE
        && kafkaTransactionTimeout.compareTo(checkpointInterval) <= 0) {
      throw new IllegalArgumentException(KAFKA_TRANSACTION_TIMEOUT.key() + " (" + kafkaTransactionTimeout
          + ") must be longer than " + CHECKPOINT_INTERVAL.key() + " (" + checkpointInterval
          + "), or transactions abort before they are committed");
    }
    if (monitoringWindow.isNegative() || monitoringWindow.isZero()) {
      throw new IllegalArgumentException(MONITORING_WINDOW.key() + " must be positive, not " + monitoringWindow);
    }
  }

  /** Parses {@code --key value} arguments; unknown keys are refused so that typos do not pass silently. */
  public static JobConfig fromArgs(String[] args, Map<String, String> environment) throws IOException {
    return fromMap(settings(args), environment);
  }

  /** {@code --key value} arguments as a map, on top of the properties file that {@code --config} names. */
  public static Map<String, String> settings(String[] args) throws IOException {
    ParameterTool params = ParameterTool.fromArgs(args);
    if (params.has("config")) {
      params = ParameterTool.fromPropertiesFile(params.get("config")).mergeWith(params);
    }
    Map<String, String> values = new HashMap<>(params.toMap());
    values.remove("config");
    return values;
  }

  /**
   * Reads settings given as {@code key -> value}, with the environment variables the keys allow;
   * unknown keys are refused.
   */
  public static JobConfig fromMap(Map<String, String> settings, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>(settings);
    List<String> known = OPTIONS.stream().map(ConfigOption::key).toList();
    List<String> unknown = new ArrayList<>(values.keySet());
    unknown.removeAll(known);
    // the one open-ended family; KafkaClientProperties refuses names no Kafka client knows
    unknown.removeIf(key -> key.startsWith(KAFKA_CLIENT.key() + "."));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown settings " + unknown + "; known: " + known);
    }
    if (!values.containsKey(TOKEN_KEY.key()) && environment.containsKey(TOKEN_KEY_ENV)) {
      values.put(TOKEN_KEY.key(), environment.get(TOKEN_KEY_ENV));
    }
    if (!values.containsKey(CARD_KEYS_FILE.key()) && environment.containsKey(CARD_KEYS_FILE_ENV)) {
      values.put(CARD_KEYS_FILE.key(), environment.get(CARD_KEYS_FILE_ENV));
    }
    if (!values.containsKey(LOOKUP_PASSWORD.key()) && environment.containsKey(LOOKUP_PASSWORD_ENV)) {
      values.put(LOOKUP_PASSWORD.key(), environment.get(LOOKUP_PASSWORD_ENV));
    }
    return from(Configuration.fromMap(values));
  }

  public static JobConfig from(Configuration conf) {
    return new JobConfig(
        conf.get(BOOTSTRAP_SERVERS),
        conf.getOptional(KAFKA_CLIENT).map(KafkaClientProperties::new).orElse(KafkaClientProperties.NONE),
        conf.get(GROUP_ID),
        conf.get(TRANSACTIONS_TOPIC),
        conf.get(DECISIONS_TOPIC),
        conf.get(DEAD_LETTERS_TOPIC),
        Path.of(conf.get(MODEL_BUNDLE)),
        scoring(conf),
        conf.getOptional(TOKEN_KEY).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null),
        conf.getOptional(CARD_KEYS_FILE).map(file -> CardKeys.load(Path.of(file))).orElse(CardKeys.NONE),
        new InputSettings(conf.get(INPUT_MAX_RECORD_BYTES), conf.get(INPUT_MAX_EVENT_TIME_AHEAD),
            conf.getOptional(INPUT_MAX_EVENT_TIME_BEHIND).orElse(null), conf.get(DEDUP_HORIZON)),
        conf.get(DELIVERY_GUARANTEE).guarantee(),
        conf.get(TRANSACTIONAL_ID_PREFIX),
        conf.get(KAFKA_TRANSACTION_TIMEOUT),
        conf.get(CHECKPOINT_INTERVAL),
        conf.get(BUFFER_TIMEOUT),
        conf.get(MAX_OUT_OF_ORDERNESS),
        conf.get(SOURCE_IDLENESS),
        conf.get(FEATURE_ORDERING),
        conf.get(FEATURE_MAX_WAIT),
        conf.getOptional(LOOKUP_JDBC_URL).map(url -> new LookupSettings(url,
            conf.getOptional(LOOKUP_USERNAME).orElse(null),
            conf.getOptional(LOOKUP_PASSWORD).orElse(null),
            conf.get(LOOKUP_TIMEOUT),
            conf.get(LOOKUP_CAPACITY),
            conf.get(LOOKUP_POOL_SIZE),
            conf.get(LOOKUP_CACHE_TTL),
            conf.get(LOOKUP_CACHE_SIZE),
            conf.get(LOOKUP_MAX_RETRIES))),
        conf.getOptional(MODEL_REGISTRY).map(registry -> new ModelUpdateSettings(ModelRegistry.at(registry),
            conf.get(MODEL_UPDATES_TOPIC), conf.get(MODEL_STATUS_TOPIC))),
        conf.get(MONITORING_WINDOW),
        driftSettings(conf),
        conf.get(MONITORING_LABELS)
            ? Optional.of(new LabelSettings(conf.get(LABELS_TOPIC), conf.get(PERFORMANCE_REPORTS_TOPIC),
                conf.get(LABELS_TTL), conf.get(LABELS_WAIT), performanceFloors(conf)))
            : Optional.empty(),
        conf.getOptional(FEATURE_LOG_PATH));
  }

  private static ScoringSettings scoring(Configuration conf) {
    return new ScoringSettings(new ProviderPlan(conf.get(EXECUTION_PROVIDER), conf.get(SCORING_CUDA_MIN_ROWS)),
        conf.get(SCORING_BATCH_SIZE), conf.get(SCORING_MAX_WAIT), conf.get(SCORING_LANE),
        conf.get(SCORING_SHARED_MAX_ROWS));
  }

  private static DriftSettings driftSettings(Configuration conf) {
    DriftThresholds thresholds = new DriftThresholds(conf.get(DRIFT_PSI), conf.get(DRIFT_SECOND_STATISTIC),
        conf.get(DRIFT_UNSEEN_RATE), conf.get(DRIFT_MISSING_RATE_INCREASE), conf.get(DRIFT_MIN_EVENTS),
        Set.copyOf(conf.get(DRIFT_UNJUDGED_FEATURES)));
    return new DriftSettings(thresholds,
        new RetrainPolicy(conf.get(RETRAIN_CONSECUTIVE_WINDOWS), conf.get(RETRAIN_COOLDOWN), conf.get(RETRAIN_WARM_UP),
            thresholds),
        conf.get(DRIFT_REPORTS_TOPIC), conf.get(RETRAIN_REQUESTS_TOPIC));
  }

  private static PerformanceFloors performanceFloors(Configuration conf) {
    return new PerformanceFloors(conf.get(PERFORMANCE_MIN_LABELLED), conf.get(PERFORMANCE_MIN_FRAUDS),
        conf.get(PERFORMANCE_MIN_ROC_AUC),
        conf.getOptional(PERFORMANCE_MIN_REVIEW_RECALL).orElse(null),
        conf.getOptional(PERFORMANCE_MIN_DECLINE_PRECISION).orElse(null));
  }

  /** Properties of one Kafka client of the job: the bootstrap servers and {@code kafka.client.*}. */
  public Properties kafkaProperties() {
    return kafkaClient.toProperties(bootstrapServers);
  }

  /** One entry per setting: key, default and description; printed by {@code --help}. */
  public static String describe() {
    return describe(OPTIONS, OPTIONAL);
  }

  /** One entry per setting of {@code options}, of which those in {@code optional} may stay unset. */
  static String describe(List<ConfigOption<?>> options, List<ConfigOption<?>> optional) {
    HtmlFormatter formatter = new HtmlFormatter();
    return options.stream()
        .map(o -> String.format("  --%s %s%n      %s", o == KAFKA_CLIENT ? o.key() + ".<property>" : o.key(),
            o.hasDefaultValue() ? "(default " + o.defaultValue() + ")"
                : optional.contains(o) ? "(optional)" : "(required)",
            formatter.format(o.description())))
        .collect(Collectors.joining("\n"));
  }

  /**
   * Everything but the tokenization key, the card keys (their ids only), the lookup password and
   * Kafka's password properties, which must not reach logs.
   */
  @Override
  public String toString() {
    return "JobConfig[bootstrapServers=" + bootstrapServers + ", kafkaClient=" + kafkaClient + ", groupId=" + groupId
        + ", transactionsTopic=" + transactionsTopic + ", decisionsTopic=" + decisionsTopic
        + ", deadLettersTopic=" + deadLettersTopic + ", modelBundle=" + modelBundle
        + ", scoring=" + scoring + ", cardKeys=" + cardKeys + ", input=" + input + ", deliveryGuarantee=" + deliveryGuarantee
        + ", transactionalIdPrefix=" + transactionalIdPrefix
        + ", kafkaTransactionTimeout=" + kafkaTransactionTimeout
        + ", checkpointInterval=" + checkpointInterval + ", bufferTimeout=" + bufferTimeout
        + ", maxOutOfOrderness=" + maxOutOfOrderness
        + ", sourceIdleness=" + sourceIdleness + ", featureOrdering=" + featureOrdering
        + ", featureMaxWait=" + featureMaxWait
        + ", lookup=" + lookup + ", modelUpdates=" + modelUpdates
        + ", monitoringWindow=" + monitoringWindow + ", drift=" + drift + ", labels=" + labels + ", featureLogPath=" + featureLogPath + "]";
  }
}
