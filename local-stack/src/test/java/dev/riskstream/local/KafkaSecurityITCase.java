package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestData;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.local.cli.RiskstreamCli;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.SelfSignedCertificate;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.CliRun;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job against a broker that only admits known users, with PLAIN and SCRAM-SHA-512 over
 * SASL_PLAINTEXT and over SASL_SSL (a certificate made at test time): with the right password, read
 * from a secrets file by Kafka's FileConfigProvider, every source and sink authenticates over
 * SASL_SSL with SCRAM and transactions become decisions; each mechanism admits the right password at
 * submission; a wrong one, or a broker certificate the client does not trust, has the job refused at
 * once, naming authentication or the TLS handshake.
 */
class KafkaSecurityITCase {

  private static final String JOB_USER = "riskstream";
  private static final String JOB_PASSWORD = "job-password-from-a-file";
  private static final String FEEDER_USER = "feeder";
  private static final String FEEDER_PASSWORD = "feeder-password";
  private static final int TRANSACTIONS = 300;

  private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";

  @TempDir static Path certificates;
  private static EmbeddedKafkaBroker broker;
  private static SelfSignedCertificate brokerCertificate;
  /** A certificate the broker does not present: trusting only it, a client must refuse the broker. */
  private static SelfSignedCertificate otherCertificate;

  /** How a client reaches the broker: a listener's security protocol and a SASL mechanism. */
  enum Access {
    PLAIN_OVER_SASL_PLAINTEXT("SASL_PLAINTEXT", "PLAIN", PLAIN_LOGIN, "Invalid username or password"),
    SCRAM_OVER_SASL_PLAINTEXT("SASL_PLAINTEXT", "SCRAM-SHA-512", SCRAM_LOGIN, "invalid credentials"),
    SCRAM_OVER_SASL_SSL("SASL_SSL", "SCRAM-SHA-512", SCRAM_LOGIN, "invalid credentials");

    final String protocol;
    final String mechanism;
    final String loginModule;
    /** What the broker answers a wrong password with. */
    final String refusal;

    Access(String protocol, String mechanism, String loginModule, String refusal) {
      this.protocol = protocol;
      this.mechanism = mechanism;
      this.loginModule = loginModule;
      this.refusal = refusal;
    }

    String bootstrapServers() {
      return protocol.equals("SASL_SSL") ? broker.sslBootstrapServers() : broker.saslBootstrapServers();
    }

    /** Kafka client properties, trusting {@code trusted} over SASL_SSL. */
    Map<String, String> clientProperties(String jaasConfig, SelfSignedCertificate trusted) {
      Map<String, String> props = new HashMap<>(Map.of(
          "security.protocol", protocol, "sasl.mechanism", mechanism, "sasl.jaas.config", jaasConfig));
      if (protocol.equals("SASL_SSL")) {
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", trusted.certificatePem().toString());
      }
      return props;
    }

    String jaas(String user, String password) {
      return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }
  }

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    brokerCertificate = SelfSignedCertificate.create(certificates, "broker");
    otherCertificate = SelfSignedCertificate.create(certificates, "other");
    broker = EmbeddedKafkaBroker.startTemporary(0, Map.of(JOB_USER, JOB_PASSWORD, FEEDER_USER, FEEDER_PASSWORD),
        brokerCertificate.identity());
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  @Timeout(240)
  void withTheRightCredentialsEverySourceAndSinkAuthenticatesAndTransactionsGetDecisions(@TempDir Path dir)
      throws Exception {
    // model updates and labels on: the job then has every source and sink it can have, and each
    // exactly-once sink opens its transactional producer at start, so one without credentials
    // stalls the job and no decision is ever committed
    Access access = Access.SCRAM_OVER_SASL_SSL;
    Files.createDirectories(dir.resolve("registry"));
    JobConfig config = securedJob(dir, access, JOB_PASSWORD, brokerCertificate, Map.of(
        ModelOptions.REGISTRY.key(), dir.resolve("registry").toString(),
        LabelOptions.ENABLED.key(), "true"));
    assertThat(config.toString()).doesNotContain(JOB_PASSWORD);
    broker.createTopics(Map.of(config.transactionsTopic(), 2, config.decisionsTopic(), 2,
        config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1,
        config.modelUpdates().orElseThrow().updatesTopic(), 1, config.modelUpdates().orElseThrow().statusTopic(), 1,
        config.labels().orElseThrow().labelsTopic(), 1, config.labels().orElseThrow().reportsTopic(), 1));

    Set<String> sent = new HashSet<>();
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    TransactionSimulator simulator =
        TransactionSimulator.builder().seed(5).start(Instant.parse("2026-03-01T00:00:00Z")).build();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        asFeeder(access, Map.of(ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < TRANSACTIONS; i++) {
        Transaction tx = simulator.next().transaction();
        sent.add(tx.getTransactionId());
        producer.send(new ProducerRecord<>(config.transactionsTopic(),
            tx.getCustomerId().getBytes(StandardCharsets.UTF_8), codec.encode(tx)));
      }
    }

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    env.setParallelism(1);
    RiskstreamJob.wireKafka(env, config);
    JobClient job = env.executeAsync("riskstream-sasl");
    String labelsTopic = config.labels().orElseThrow().labelsTopic();
    String statusTopic = config.modelUpdates().orElseThrow().statusTopic();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(asFeeder(access, Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.GROUP_ID_CONFIG, "sasl-reader")),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // the other sources show they read too: an unreadable label becomes a dead letter, and a model
      // announced by the CLI (itself through SASL) is reported on model-status
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(asFeeder(access, Map.of()), new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(labelsTopic, "not a label".getBytes(StandardCharsets.UTF_8))).get();
      }
      assertThat(publishAsJob(access, TestData.baselineAs(dir.resolve("baseline-2"), "baseline-2"),
          dir.resolve("registry"), dir.resolve("kafka-secrets.properties")).exitCode()).isZero();

      consumer.subscribe(List.of(config.decisionsTopic(), config.deadLettersTopic(), statusTopic));
      AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
      Set<String> decided = new HashSet<>();
      List<String> deadLetterSources = new ArrayList<>();
      List<String> activated = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while ((decided.size() < TRANSACTIONS || deadLetterSources.isEmpty() || activated.isEmpty())
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(config.decisionsTopic())) {
            decided.add(decisions.decode(record.value()).getTransactionId());
          } else if (record.topic().equals(statusTopic)) {
            ModelStatus status = AvroCodec.of(ModelStatus.class).decode(record.value());
            if (status.getStatus() == ModelStatusKind.ACTIVATED) {
              activated.add(status.getModelVersion());
            }
          } else {
            deadLetterSources.add(AvroCodec.of(DeadLetter.class).decode(record.value()).getSourceTopic());
          }
        }
      }
      assertThat(decided).isEqualTo(sent);
      assertThat(deadLetterSources).containsExactly(labelsTopic);
      assertThat(activated).containsExactly("baseline-2");
    } finally {
      job.cancel().get();
      job.getJobExecutionResult().handle((result, cancelled) -> result).get();
    }
  }

  /**
   * Every secret of the job given as an operator gives it (Kafka's JAAS line through
   * FileConfigProvider, the card-token key, the card keys and the lookup password as file
   * references): the job graph that goes to the JobManager, and into its HA storage, holds where
   * they are, and none of them.
   */
  @Test
  @Timeout(120)
  void theJobGraphCarriesWhereTheSecretsAreAndNoneOfThem(@TempDir Path dir) throws Exception {
    String tokenKey = "token-key-of-the-job-graph-test";
    String cardKeyLine = CardKeys.generateLine("2026-12");
    byte[] cardKey = Base64.getDecoder().decode(cardKeyLine.substring(cardKeyLine.indexOf('=') + 1));
    String lookupPassword = "lookup-password-of-the-job-graph-test";
    Path tokenKeyFile = Files.writeString(dir.resolve("token-key"), tokenKey);
    Path cardKeysFile = Files.writeString(dir.resolve("card-keys"), cardKeyLine + "\n");
    Path lookupPasswordFile = Files.writeString(dir.resolve("lookup-password"), lookupPassword);
    Files.createDirectories(dir.resolve("registry"));
    JobConfig config = securedJob(dir, Access.PLAIN_OVER_SASL_PLAINTEXT, JOB_PASSWORD, brokerCertificate, Map.of(
        InputOptions.TOKEN_KEY.key(), "file:" + tokenKeyFile,
        InputOptions.CARD_KEYS.key(), "file:" + cardKeysFile,
        LookupOptions.JDBC_URL.key(), "jdbc:postgresql://profiles.internal/riskstream",
        LookupOptions.PASSWORD.key(), "file:" + lookupPasswordFile,
        ModelOptions.REGISTRY.key(), dir.resolve("registry").toString(),
        LabelOptions.ENABLED.key(), "true"));
    config.requireSecretsReadable(System.getenv());

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    RiskstreamJob.wireKafka(env, config);
    String graph = new String(InstantiationUtil.serializeObject(env.getStreamGraph().getJobGraph()),
        StandardCharsets.ISO_8859_1);

    assertThat(graph).as("where the secrets are travels with the operators")
        .contains(tokenKeyFile.toString(), cardKeysFile.toString(), lookupPasswordFile.toString(),
            "${file:" + dir.resolve("kafka-secrets.properties") + ":sasl.jaas.config}");
    assertThat(graph).doesNotContain(tokenKey).doesNotContain(lookupPassword).doesNotContain(JOB_PASSWORD)
        .doesNotContain(cardKeyLine.substring(cardKeyLine.indexOf('=') + 1))
        .doesNotContain(new String(cardKey, StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @EnumSource(Access.class)
  @Timeout(120)
  void theRightPasswordPassesTheCheckAtSubmissionAndAWrongOneIsRefusedWithinSecondsNamingAuthentication(
      Access access, @TempDir Path dir) throws Exception {
    JobConfig admitted = securedJob(dir, access, JOB_PASSWORD, brokerCertificate, Map.of());
    RiskstreamJob.wireKafka(StreamExecutionEnvironment.getExecutionEnvironment(
        RiskstreamJob.runtimeSettings(admitted)), admitted);

    JobConfig config = securedJob(dir, access, "not-the-password", brokerCertificate, Map.of());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    long started = System.nanoTime();
    assertThatThrownBy(() -> RiskstreamJob.wireKafka(env, config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused authentication")
        .hasMessageContaining("kafka.client")
        .hasMessageContaining(access.refusal);
    // the Kafka clients' own timeouts are 30 s and more: this is the broker's answer, not a timeout
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @Timeout(120)
  void aBrokerCertificateTheClientDoesNotTrustHasTheJobRefusedWithinSecondsNamingTheHandshake(@TempDir Path dir)
      throws Exception {
    JobConfig config = securedJob(dir, Access.SCRAM_OVER_SASL_SSL, JOB_PASSWORD, otherCertificate, Map.of());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    long started = System.nanoTime();
    assertThatThrownBy(() -> RiskstreamJob.wireKafka(env, config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TLS handshake with Kafka at " + broker.sslBootstrapServers())
        .hasMessageContaining("kafka.client.ssl.truststore")
        .hasMessageContaining("certification path");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @Timeout(120)
  void theCliWithAWrongPasswordFailsWithinSecondsNamingAuthentication(@TempDir Path dir) throws Exception {
    broker.createTopics(Map.of(TopicOptions.MODEL_UPDATES.defaultValue(), 1));
    Path bundle = TestData.baselineAs(dir.resolve("baseline-2"), "baseline-2");
    writeSecrets(dir.resolve("wrong-secrets.properties"), Access.PLAIN_OVER_SASL_PLAINTEXT, "not-the-password");
    long started = System.nanoTime();
    CliRun publish = publishAsJob(Access.PLAIN_OVER_SASL_PLAINTEXT, bundle, dir.resolve("registry"),
        dir.resolve("wrong-secrets.properties"));
    assertThat(publish.exitCode()).isOne();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(publish.err()).contains("SaslAuthenticationException", "Invalid username or password");
  }

  /** {@code riskstream model publish} with the job's client settings, its secrets from {@code secrets}. */
  private static CliRun publishAsJob(Access access, Path bundle, Path registry, Path secrets) {
    List<String> arguments = new ArrayList<>(List.of("model", "publish", bundle.toString(),
        "--registry", registry.toString(), "--bootstrap-servers", access.bootstrapServers()));
    fromSecretsFile(access, secrets, brokerCertificate).forEach((name, value) -> {
      arguments.add("--kafka-property");
      arguments.add(name + "=" + value);
    });
    return CliRun.of(new RiskstreamCli(), arguments);
  }

  /**
   * The job as an operator would configure it: the JAAS line (with the password) in a secrets file
   * that Kafka's FileConfigProvider reads where each client starts.
   */
  private static JobConfig securedJob(Path dir, Access access, String password, SelfSignedCertificate trusted,
      Map<String, String> more) throws Exception {
    Path secrets = dir.resolve("kafka-secrets.properties");
    writeSecrets(secrets, access, password);
    Map<String, String> settings = new HashMap<>(Map.of(
        KafkaOptions.BOOTSTRAP_SERVERS.key(), access.bootstrapServers(),
        KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-sasl-test",
        DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s",
        FeatureOptions.MAX_WAIT.key(), "1 s"));
    fromSecretsFile(access, secrets, trusted).forEach((name, value) -> settings.put("kafka.client." + name, value));
    settings.putAll(more);
    return TestJobSettings.config(settings);
  }

  /** Client properties whose sasl.jaas.config comes from {@code secrets} through FileConfigProvider. */
  private static Map<String, String> fromSecretsFile(Access access, Path secrets, SelfSignedCertificate trusted) {
    Map<String, String> props =
        new HashMap<>(access.clientProperties("${file:" + secrets + ":sasl.jaas.config}", trusted));
    props.put("config.providers", "file");
    props.put("config.providers.file.class", FileConfigProvider.class.getName());
    return props;
  }

  private static void writeSecrets(Path file, Access access, String password) throws Exception {
    Properties secrets = new Properties();
    secrets.setProperty("sasl.jaas.config", access.jaas(JOB_USER, password));
    try (var out = Files.newOutputStream(file)) {
      secrets.store(out, "test secrets");
    }
  }

  private static Properties asFeeder(Access access, Map<String, String> more) {
    Properties props = new Properties();
    props.put("bootstrap.servers", access.bootstrapServers());
    props.putAll(access.clientProperties(access.jaas(FEEDER_USER, FEEDER_PASSWORD), brokerCertificate));
    props.putAll(more);
    return props;
  }
}
