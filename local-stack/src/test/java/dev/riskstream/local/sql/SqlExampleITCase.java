package dev.riskstream.local.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.TransactionFeatures;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.featurelog.FeatureLog;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.job.CollectingSink;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestData;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.cli.RiskstreamCli;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.SimulatedTransaction;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.CliRun;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL examples under {@code examples/sql}, run as a user runs them ({@code riskstream sql}),
 * against the embedded broker and the feature log of the DataStream job, compared with that job's
 * decisions on the same transactions (one subtask, the committed baseline, no profile lookup).
 * {@code decide.sql} decides the transactions topic: where the job knew no more of a transaction
 * than SQL can (its card-history and profile features, in its feature log, are all at their
 * defaults), score, outcome and reasons are the job's. {@code score-feature-log.sql} scores the job's
 * feature log and reproduces every score and outcome of the job.
 */
class SqlExampleITCase {

  private static final Path EXAMPLES = Path.of("..", "examples", "sql");
  private static final int TRANSACTIONS = 600;
  private static final String UNKNOWN_CURRENCY = "XXX";
  /** Two 4-byte floats through ONNX Runtime, in batches of different sizes. */
  private static final double SAME_SCORE = 1e-6;
  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;
  private static final List<String> COMPUTED_BY_SQL = List.of(FeatureSpec.AMOUNT_BASE_LOG, FeatureSpec.HOUR_OF_DAY_SIN,
      FeatureSpec.HOUR_OF_DAY_COS, FeatureSpec.IS_NIGHT, FeatureSpec.MCC_HIGH_RISK, FeatureSpec.CHANNEL_ECOM,
      FeatureSpec.CHANNEL_ATM, FeatureSpec.CHANNEL_MOTO);

  /** Countries around the clock: at any hour it is night in one of them. */
  private static final List<String> NIGHT_SOMEWHERE = List.of("GB", "DE", "AE", "IN", "TH", "JP", "AU", "NZ", "BR",
      "US", "MX");

  /** In euro cents: 5,000 to 100,000 euros, about the baseline's review and decline thresholds. */
  private static final List<Long> RISKY_AMOUNTS = List.of(500_000L, 1_000_000L, 2_000_000L, 5_000_000L, 10_000_000L);

  @TempDir static Path work;
  private static EmbeddedKafkaBroker broker;
  private static Map<String, Decision> jobDecisions;
  private static List<DeadLetter> jobDeadLetters;
  private static Map<String, float[]> servedFeatures;
  private static String unknownCurrencyId;

  @BeforeAll
  static void decideWithTheJob() throws Exception {
    broker = EmbeddedKafkaBroker.startTemporary(0);
    broker.createTopics(Map.of("transactions", 1, "sql-decisions", 1, "sql-dead-letters", 1));
    List<Transaction> traffic = new ArrayList<>(TransactionSimulator.builder().seed(11).populationSeed(3)
        .start(Instant.parse("2026-03-02T00:00:00Z")).build().stream(TRANSACTIONS)
        .map(SimulatedTransaction::transaction).toList());
    makeRisky(traffic);
    Transaction unknown = Transaction.newBuilder(traffic.get(TRANSACTIONS / 2)).setTransactionId("unknown-currency")
        .setCurrency(UNKNOWN_CURRENCY).build();
    traffic.add(TRANSACTIONS / 2 + 1, unknown);
    unknownCurrencyId = unknown.getTransactionId();
    send(traffic);

    Path featureLog = work.resolve("feature-log");
    JobConfig config = TestJobSettings.config(Map.of(
        DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s",
        FeatureLogOptions.PATH.key(), featureLog.toUri().toString()));
    List<RawRecord> input = new ArrayList<>();
    for (Transaction transaction : traffic) {
      input.add(TestData.raw(input.size(), transaction));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    // one subtask: cards' transactions in the topic's order, as a topic keyed by customer delivers them
    env.setParallelism(1);
    CollectingSink<Decision> decisions = new CollectingSink<>();
    CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config),
        decisions, deadLetters, Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()), Optional.empty(), config);
    env.execute("riskstream-sql-example-itcase");
    jobDecisions = decisions.received().stream()
        .collect(Collectors.toMap(decision -> decision.getTransactionId().toString(), Function.identity()));
    jobDeadLetters = deadLetters.received();
    servedFeatures = readFeatureLog(featureLog);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void decideSqlDecidesAsTheJobWhereTheJobKnewNoMoreThanSql() throws Exception {
    CliRun run = CliRun.of(new RiskstreamCli(), "sql", "--file", EXAMPLES.resolve("decide.sql").toString(),
        "--var", "bootstrap=" + broker.bootstrapServers(), "--var", "bundle=" + TestData.BASELINE_BUNDLE,
        "--var", "startup-mode=earliest-offset", "--var", "bounded-mode=latest-offset",
        "--var", "execution-provider=cpu");
    assertThat(run.exitCode()).as(run.err()).isZero();

    Map<String, JsonNode> sqlDecisions = readJson("sql-decisions", TRANSACTIONS);
    Map<String, JsonNode> sqlDeadLetters = readJson("sql-dead-letters", 1);
    assertThat(sqlDecisions).as("a decision for every transaction the job decided").hasSize(TRANSACTIONS)
        .containsOnlyKeys(jobDecisions.keySet());
    assertThat(sqlDeadLetters).containsOnlyKeys(unknownCurrencyId);
    assertThat(sqlDeadLetters.get(unknownCurrencyId).get("reason").asText()).isEqualTo("UNKNOWN_CURRENCY");
    assertThat(jobDeadLetters).singleElement()
        .satisfies(deadLetter -> assertThat(deadLetter.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_CURRENCY));

    int compared = 0;
    Map<Outcome, Integer> comparedOutcomes = new HashMap<>();
    for (Decision job : jobDecisions.values()) {
      String id = job.getTransactionId().toString();
      JsonNode sql = sqlDecisions.get(id);
      if (!knewNoMoreThanSql(servedFeatures.get(id))) {
        continue;
      }
      compared++;
      comparedOutcomes.merge(job.getOutcome(), 1, Integer::sum);
      assertThat(sql.get("score").asDouble()).as("score of %s", id).isCloseTo(job.getScore(), within(SAME_SCORE));
      assertThat(sql.get("outcome").asText()).as("outcome of %s", id).isEqualTo(job.getOutcome().name());
      List<String> reasons = new ArrayList<>();
      sql.get("reasons").forEach(reason -> reasons.add(reason.asText()));
      assertThat(reasons).as("reasons of %s", id)
          .isEqualTo(job.getReasons().stream().map(CharSequence::toString).toList());
      assertThat(sql.get("modelVersion").asText()).isEqualTo(job.getModelVersion().toString());
    }
    assertThat(compared).as("transactions of which the job knew no more than SQL (first of their card, no device)")
        .isGreaterThan(TRANSACTIONS / 2);
    assertThat(comparedOutcomes).as("outcomes compared").containsKeys(Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE);
  }

  @Test
  void scoringTheFeatureLogReproducesEveryDecisionOfTheJob() {
    CliRun run = CliRun.of(new RiskstreamCli(), "sql", "--file", EXAMPLES.resolve("score-feature-log.sql").toString(),
        "--format", "csv", "--var", "feature-log=" + work.resolve("feature-log").toUri(),
        "--var", "bundle=" + TestData.BASELINE_BUNDLE, "--var", "execution-provider=cpu");
    assertThat(run.exitCode()).as(run.err()).isZero();

    Map<String, String[]> rescored = run.outLines().stream().map(line -> line.split(","))
        .collect(Collectors.toMap(fields -> fields[0], Function.identity()));
    assertThat(rescored).containsOnlyKeys(jobDecisions.keySet());
    jobDecisions.forEach((id, job) -> {
      String[] row = rescored.get(id);
      assertThat(row[1]).isEqualTo(job.getModelVersion().toString());
      assertThat(Double.parseDouble(row[2])).as("served score of %s", id).isEqualTo(job.getScore());
      assertThat(Double.parseDouble(row[3])).as("score of %s", id).isCloseTo(job.getScore(), within(SAME_SCORE));
      assertThat(row[4]).as("outcome of %s", id).isEqualTo(job.getOutcome().name());
    });
  }

  @Test
  void theExamplesDefaultsAreTheBaselineBundles() throws Exception {
    ModelManifest manifest = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest();
    for (String example : List.of("decide.sql", "score-feature-log.sql")) {
      String script = Files.readString(EXAMPLES.resolve(example));
      assertThat(Double.parseDouble(defaultOf(script, "review-threshold"))).as(example)
          .isEqualTo(manifest.thresholds().review());
      assertThat(Double.parseDouble(defaultOf(script, "decline-threshold"))).as(example)
          .isEqualTo(manifest.thresholds().decline());
    }
    assertThat(defaultOf(Files.readString(EXAMPLES.resolve("decide.sql")), "model-version"))
        .isEqualTo(manifest.modelVersion());
  }

  /**
   * Simulated traffic is nearly all approved, and what the baseline finds risky in a transaction
   * alone is a large card-not-present payment at night: every tenth first transaction of a card
   * becomes one (at a high-risk merchant category, in a country where it is night then), so that
   * reviews and declines, and their reasons, are compared too. It stays the first of its card,
   * without a device: the job knows no more of it than SQL does.
   */
  private static void makeRisky(List<Transaction> traffic) {
    Set<String> cards = new HashSet<>();
    int first = 0;
    for (int i = 0; i < traffic.size(); i++) {
      Transaction transaction = traffic.get(i);
      long at = transaction.getEventTime().toEpochMilli();
      Optional<String> night = NIGHT_SOMEWHERE.stream()
          .filter(country -> TransactionFeatures.isNight(TransactionFeatures.localHour(at, country)) > 0).findFirst();
      if (cards.add(transaction.getCardNumber().toString()) && first++ % 10 == 0 && night.isPresent()) {
        traffic.set(i, Transaction.newBuilder(transaction).setChannel(Channel.ECOM).setDeviceId(null)
            .setMerchantCategory("6051").setCountry(night.get()).setCurrency("EUR")
            .setAmountMinor(RISKY_AMOUNTS.get(first / 10 % RISKY_AMOUNTS.size())).build());
      }
    }
  }

  /** Whether every feature SQL does not compute is at its default in what the job served. */
  private static boolean knewNoMoreThanSql(float[] served) {
    float[] defaults = SPEC.defaults();
    for (int i = 0; i < defaults.length; i++) {
      if (!COMPUTED_BY_SQL.contains(SPEC.names().get(i)) && served[i] != defaults[i]) {
        return false;
      }
    }
    return true;
  }

  private static String defaultOf(String script, String variable) {
    Matcher matcher = Pattern.compile("\\$\\{" + Pattern.quote(variable) + ":-([^}]*)}").matcher(script);
    assertThat(matcher.find()).as("a default for ${%s}", variable).isTrue();
    return matcher.group(1);
  }

  private static void send(List<Transaction> traffic) {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Transaction transaction : traffic) {
        producer.send(new ProducerRecord<>("transactions",
            transaction.getCustomerId().toString().getBytes(StandardCharsets.UTF_8), codec.encode(transaction)));
      }
    }
  }

  private static Map<String, JsonNode> readJson(String topic, int expected) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> read = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED, topic + "-reader", topic)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          JsonNode node = json.readTree(record.value());
          assertThat(read.put(node.get("transactionId").asText(), node)).as("written once").isNull();
        }
      }
    }
    return read;
  }

  private static Map<String, float[]> readFeatureLog(Path featureLog) throws IOException {
    Map<String, float[]> vectors = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(featureLog)) {
      files = walk.filter(file -> file.getFileName().toString().endsWith(FeatureLog.FILE_SUFFIX)
          && !file.getFileName().toString().startsWith(".")).toList();
    }
    for (Path file : files) {
      try (DataFileReader<FeatureLogEntry> reader =
          new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(FeatureLogEntry.class))) {
        // name:version,... in the specification's order, which LOGGED_FEATURE reads the vectors in
        assertThat(Stream.of(reader.getMetaString(FeatureLog.FEATURES_METADATA).split(","))
            .map(column -> column.split(":")[0]).toList()).isEqualTo(SPEC.names());
        for (FeatureLogEntry entry : reader) {
          float[] vector = new float[entry.getFeatures().size()];
          for (int i = 0; i < vector.length; i++) {
            vector[i] = entry.getFeatures().get(i);
          }
          vectors.put(entry.getTransactionId().toString(), vector);
        }
      }
    }
    assertThat(vectors).as("the job's feature log").hasSize(TRANSACTIONS);
    return vectors;
  }
}
