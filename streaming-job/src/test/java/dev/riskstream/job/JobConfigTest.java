package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  private static final Map<String, String> KEY_IN_ENV = Map.of(InputOptions.TOKEN_KEY_ENV, "key-from-environment-0123");

  @Test
  void defaultsNeedOnlyATokenKey() throws Exception {
    JobConfig config = JobConfig.fromArgs(new String[0], KEY_IN_ENV);
    assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.transactionsTopic()).isEqualTo("transactions");
    assertThat(config.decisionsTopic()).isEqualTo("decisions");
    assertThat(config.deadLettersTopic()).isEqualTo("transactions-dlq");
    assertThat(config.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(config.scoring().providers()).isEqualTo(new ProviderPlan(ExecutionProviderChoice.AUTO, 1024));
    assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.featureOrdering()).isEqualTo(FeatureOrdering.ARRIVAL);
    assertThat(config.toString()).doesNotContain("key-from-environment");
    assertThat(config.pii()).as("no card keys: every encrypted card is a dead letter")
        .isEqualTo(new PiiKeys(SecretReference.env(InputOptions.TOKEN_KEY_ENV), null, Duration.ofMinutes(1)));
  }

  @Test
  void secretsAreReferencesReadAtSubmissionAndNeverHeld(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("card-keys.properties");
    String older = CardKeys.generateLine("2026-01");
    String newer = CardKeys.generateLine("2026-02");
    Files.writeString(file, older + "\n" + newer + "\n");

    JobConfig config = JobConfig.fromArgs(new String[] {"--pii.card-keys", "file:" + file}, KEY_IN_ENV);
    assertThat(config.pii().cardKeysReference()).contains(SecretReference.file(file));
    assertThat(config.pii().readCardKeys(Map.of()).ids()).containsExactly("2026-01", "2026-02");
    assertThat(config.toString()).contains("file:" + file).contains("env:" + InputOptions.TOKEN_KEY_ENV)
        .doesNotContain(older.substring(older.indexOf('=') + 1)).doesNotContain(newer.substring(newer.indexOf('=') + 1));

    Map<String, String> keysInEnvironment = Map.of("TOKEN", "key-from-environment-0123", "CARD_KEYS", older);
    JobConfig fromEnvironment = JobConfig.fromArgs(new String[] {"--pii.token-key", "env:TOKEN",
        "--pii.card-keys", "env:CARD_KEYS"}, keysInEnvironment);
    assertThat(fromEnvironment.pii().readCardKeys(keysInEnvironment).ids()).containsExactly("2026-01");
    assertThat(fromEnvironment.toString()).doesNotContain("key-from-environment");
  }

  @Test
  void aSecretGivenInPlaceOfItsReferenceIsRefusedWithoutBeingShown() {
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--pii.token-key", "a-literal-token-key-0123"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("env:NAME or file:PATH")
        .hasMessageNotContaining("a-literal");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--lookup.jdbc-url", "jdbc:h2:mem:x",
        "--lookup.password", "hunter2"}, KEY_IN_ENV))
        .hasMessageContaining("lookup.password").hasMessageNotContaining("hunter2");
  }

  @Test
  void aMissingOrMalformedSecretStopsTheSubmission(@TempDir Path dir) throws Exception {
    Path absent = dir.resolve("absent.properties");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--pii.card-keys", "file:" + absent}, KEY_IN_ENV))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(absent.toString())
        .hasMessageContaining("does not exist");
    Path shortKey = dir.resolve("short.properties");
    Files.writeString(shortKey, "2026-01=" + java.util.Base64.getEncoder().encodeToString(new byte[16]) + "\n");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--pii.card-keys", "file:" + shortKey}, KEY_IN_ENV))
        .hasMessageContaining("AES-256");
    Path shortTokenKey = Files.writeString(dir.resolve("token-key"), "too-short\n");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--pii.token-key", "file:" + shortTokenKey}, Map.of()))
        .hasMessageContaining("has 9 bytes").hasMessageContaining("at least 16");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--lookup.jdbc-url", "jdbc:h2:mem:x",
        "--lookup.password", "file:" + absent}, KEY_IN_ENV))
        .hasMessageContaining(absent.toString());
  }

  @Test
  void deliveryGuaranteeTakesTheDocumentedNamesAndNotNone() throws Exception {
    assertThat(JobConfig.fromArgs(new String[] {"--delivery.guarantee", "AT_LEAST_ONCE"}, KEY_IN_ENV)
        .deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(JobConfig.fromArgs(new String[] {"--delivery.guarantee", "exactly_once"}, KEY_IN_ENV)
        .deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    // NONE would drop buffered decisions on a failure
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--delivery.guarantee", "NONE"}, KEY_IN_ENV))
        .hasMessageContaining("delivery.guarantee");
  }

  @Test
  void argumentsOverrideAPropertiesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(file, "kafka.bootstrap-servers=kafka:9092\ntopic.decisions=fraud-decisions\n");
    JobConfig config = JobConfig.fromArgs(new String[] {"--config", file.toString(),
        "--topic.decisions", "other-decisions", "--checkpoint.interval", "30 s",
        "--features.ordering", "ARRIVAL"}, KEY_IN_ENV);
    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.decisionsTopic()).isEqualTo("other-decisions");
    assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.featureOrdering()).isEqualTo(FeatureOrdering.ARRIVAL);
  }

  @Test
  void refusesWhatWouldFailLaterOrSilently() {
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[0], Map.of()))
        .hasMessageContaining(InputOptions.TOKEN_KEY_ENV);
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--topic.decision", "x"}, KEY_IN_ENV))
        .hasMessageContaining("unknown settings [topic.decision]");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--checkpoint.interval", "20 min"}, KEY_IN_ENV))
        .hasMessageContaining("kafka.transaction-timeout");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--scoring.batch-size", "0"}, KEY_IN_ENV))
        .hasMessageContaining("scoring.batch-size must be at least 1");
    assertThatThrownBy(() -> JobConfig.fromArgs(
            new String[] {"--scoring.batch-size", "4096", "--scoring.shared-max-rows", "1024"}, KEY_IN_ENV))
        .hasMessageContaining("scoring.shared-max-rows (1024) must hold at least one batch");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--scoring.cuda-min-rows", "-1"}, KEY_IN_ENV))
        .hasMessageContaining("scoring.cuda-min-rows must not be negative");
  }

  @Test
  void inputBoundsHaveDefaultsAndThePastIsUncheckedUnlessSet() throws Exception {
    InputSettings defaults = JobConfig.fromArgs(new String[0], KEY_IN_ENV).input();
    assertThat(defaults).isEqualTo(new InputSettings(16_384, Duration.ofDays(1), null, Duration.ofHours(1)));
    InputSettings set = JobConfig.fromArgs(new String[] {"--input.max-record-bytes", "1000",
        "--input.max-event-time-behind", "30 d", "--dedup.horizon", "24 h"}, KEY_IN_ENV).input();
    assertThat(set).isEqualTo(new InputSettings(1000, Duration.ofDays(1), Duration.ofDays(30), Duration.ofHours(24)));
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--dedup.horizon", "0 s"}, KEY_IN_ENV))
        .hasMessageContaining("de-duplication horizon must be positive");
  }

  @Test
  void theLaneFollowsTheExecutionProviderUnlessSet() throws Exception {
    JobConfig config = JobConfig.fromArgs(new String[0], KEY_IN_ENV);
    assertThat(config.scoring().lane()).isEqualTo(ScoringLaneChoice.AUTO);
    assertThat(config.scoring().lane().resolve("cuda")).isEqualTo(ScoringLaneChoice.SHARED);
    assertThat(config.scoring().lane().resolve("cpu")).isEqualTo(ScoringLaneChoice.TASK_THREAD);
    JobConfig set = JobConfig.fromArgs(new String[] {"--scoring.lane", "shared"}, KEY_IN_ENV);
    assertThat(set.scoring().lane().resolve("cpu")).isEqualTo(ScoringLaneChoice.SHARED);
  }

  @Test
  void theLookupJoinIsOffWithoutAUrlAndItsPasswordIsTheEnvironmentsByDefault() throws Exception {
    assertThat(JobConfig.fromArgs(new String[0], KEY_IN_ENV).lookup()).isEmpty();

    JobConfig config = JobConfig.fromArgs(new String[] {"--lookup.jdbc-url", "jdbc:postgresql://db/profiles",
        "--lookup.username", "riskstream", "--lookup.timeout", "150 ms", "--lookup.pool-size", "6"},
        Map.of(InputOptions.TOKEN_KEY_ENV, "key-from-environment-0123", LookupOptions.PASSWORD_ENV, "db-secret"));
    LookupSettings lookup = config.lookup().orElseThrow();
    assertThat(lookup.jdbcUrl()).isEqualTo("jdbc:postgresql://db/profiles");
    assertThat(lookup.username()).isEqualTo("riskstream");
    assertThat(lookup.password()).isEqualTo(SecretReference.env(LookupOptions.PASSWORD_ENV));
    assertThat(lookup.timeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(lookup.poolSize()).isEqualTo(6);
    assertThat(lookup.capacity()).isEqualTo(100);
    assertThat(lookup.maxRetries()).isEqualTo(2);
    assertThat(config.toString()).contains("jdbc:postgresql://db/profiles").doesNotContain("db-secret");

    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--lookup.jdbc-url", "postgresql://db"}, KEY_IN_ENV))
        .hasMessageContaining("jdbc:");
    assertThatThrownBy(() -> JobConfig.fromArgs(
        new String[] {"--lookup.jdbc-url", "jdbc:h2:mem:x", "--lookup.pool-size", "0"}, KEY_IN_ENV))
        .hasMessageContaining("pool size");
  }

  @Test
  void describesEverySettingUnderItsArea() {
    assertThat(JobConfig.describe()).contains("--kafka.bootstrap-servers (default localhost:9092)")
        .contains("--pii.token-key (default env:" + InputOptions.TOKEN_KEY_ENV + ")").contains("--lookup.jdbc-url (optional)")
        .contains("--lookup.timeout (default 200 ms)").contains("Profile lookup:\n  --lookup.jdbc-url");
    assertThat(JobConfig.describe().lines().filter(l -> l.startsWith("  --")).count())
        .isEqualTo(JobConfig.OPTIONS.size());
  }

  @Test
  void everySettingBelongsToOneAreaAndIsDescribed() {
    assertThat(JobConfig.OPTIONS).doesNotHaveDuplicates();
    assertThat(JobConfig.OPTIONS.stream().map(ConfigOption::key)).doesNotHaveDuplicates();
    assertThat(JobConfig.OPTIONS).allSatisfy(option ->
        assertThat(option.description().getBlocks()).as(option.key()).isNotEmpty());
  }

  @Test
  void hotSwapIsOnWithARegistryAndRefusesRegistriesItCannotRead() throws Exception {
    assertThat(JobConfig.fromArgs(new String[0], KEY_IN_ENV).modelUpdates()).isEmpty();

    JobConfig config = JobConfig.fromArgs(new String[] {"--model.registry", "file:///srv/registry",
        "--topic.model-status", "fraud-model-status", "--model.execution-provider", "cpu"}, KEY_IN_ENV);
    ModelUpdateSettings updates = config.modelUpdates().orElseThrow();
    assertThat(updates.registry()).hasToString("file:///srv/registry");
    assertThat(updates.updatesTopic()).isEqualTo("model-updates");
    assertThat(updates.statusTopic()).isEqualTo("fraud-model-status");
    assertThat(config.scoring().providers().choice()).as("case-insensitive").isEqualTo(ExecutionProviderChoice.CPU);
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--model.registry", "s3://bucket/models"}, KEY_IN_ENV))
        .as("no S3 file system here").hasMessageContaining("model registry s3://bucket/models").hasMessageContaining("'s3'");
  }

  @Test
  void labelsAreOffUntilTurnedOnAndThenTakeTheirTopicsAndWaits() throws Exception {
    JobConfig defaults = JobConfig.fromArgs(new String[0], KEY_IN_ENV);
    assertThat(defaults.labels()).isEmpty();
    assertThat(defaults.monitoringWindow()).as("whole days, as the reference profiles").isEqualTo(Duration.ofDays(1));
    assertThat(defaults.drift().thresholds().unjudgedFeatures()).contains(FeatureSpec.CARD_HISTORY_COUNT_LOG);

    JobConfig config = JobConfig.fromArgs(new String[] {"--monitoring.labels", "true", "--monitoring.window", "1 min",
        "--labels.ttl", "2 d"}, KEY_IN_ENV);

    assertThat(config.monitoringWindow()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(config.labels()).contains(new LabelSettings("labels", "performance-reports",
        java.time.Duration.ofDays(2), java.time.Duration.ofDays(1), new PerformanceFloors(1000, 30, 0.8, null, null)));
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--monitoring.window", "0 s"}, KEY_IN_ENV))
        .hasMessageContaining("monitoring.window");
  }

  @Test
  void performanceFloorsCheckRocAucByDefaultAndTheOthersOnlyWhenSet() throws Exception {
    JobConfig config = JobConfig.fromArgs(new String[] {"--monitoring.labels", "true",
        "--monitoring.min-review-recall", "0.7", "--monitoring.min-labelled-frauds", "50"}, KEY_IN_ENV);

    assertThat(config.labels().orElseThrow().floors()).isEqualTo(new PerformanceFloors(1000, 50, 0.8, 0.7, null));
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--monitoring.labels", "true",
        "--monitoring.min-roc-auc", "80"}, KEY_IN_ENV)).hasMessageContaining("between 0 and 1");
  }

  @Test
  void kafkaClientPropertiesReachEveryClientWithoutPrintingTheirSecrets(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(file, """
        kafka.bootstrap-servers=kafka:9093
        kafka.client.security.protocol=SASL_SSL
        kafka.client.sasl.mechanism=SCRAM-SHA-512
        kafka.client.ssl.truststore.password=truststore-secret
        kafka.client.config.providers=env
        kafka.client.config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
        """);
    JobConfig config = JobConfig.fromArgs(new String[] {"--config", file.toString(), "--kafka.client.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"riskstream\" password=\"jaas-secret\";"},
        KEY_IN_ENV);

    Properties client = config.kafkaProperties();
    assertThat(client).containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.password", "truststore-secret")
        .containsEntry("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    assertThat((String) client.get("sasl.jaas.config")).contains("password=\"jaas-secret\"");
    assertThat(config.toString()).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=******")
        .doesNotContain("jaas-secret").doesNotContain("truststore-secret");
    assertThat(JobConfig.describe()).contains("--kafka.client.<property> (optional)");
    assertThat(JobConfig.fromArgs(new String[0], KEY_IN_ENV).kafkaProperties())
        .containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void refusesKafkaClientPropertiesNoClientKnowsOrThatHaveTheirOwnSetting() {
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--kafka.client.security.protocoll", "SSL"}, KEY_IN_ENV))
        .hasMessageContaining("unknown Kafka client property security.protocoll");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--kafka.client.group.id", "other"}, KEY_IN_ENV))
        .hasMessageContaining("set by the job's setting kafka.group-id");
    assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--kafka.clients.security.protocol", "SSL"}, KEY_IN_ENV))
        .hasMessageContaining("unknown settings [kafka.clients.security.protocol]");
  }
}
