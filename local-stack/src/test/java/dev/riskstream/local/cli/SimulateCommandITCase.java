package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.local.kafka.TemporaryBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.ops.CliRun;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskstream simulate} against a real (embedded) broker, as against any Kafka cluster, and
 * {@code riskstream probe} against one that no job serves.
 */
class SimulateCommandITCase {

  @RegisterExtension
  static final TemporaryBroker KAFKA = new TemporaryBroker();

  @BeforeAll
  static void createTopics() {
    KAFKA.broker().createTopics(Map.of("transactions", 2, "labels", 2, "other-transactions", 1,
        "probe-transactions", 1, "decisions", 2));
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(KAFKA.broker(),
        IsolationLevel.READ_UNCOMMITTED, "simulate-test-" + topic, topic)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int quietPolls = 0;
      // everything is acknowledged when the command exits; a few quiet polls show nothing more comes
      while (System.nanoTime() < deadline && (records.size() < atLeast || quietPolls < 3)) {
        int before = records.size();
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        quietPolls = records.size() == before && records.size() >= atLeast ? quietPolls + 1 : 0;
      }
    }
    return records;
  }

  private static CliRun simulate(String... args) {
    return CliRun.of(new RiskstreamCli(), Stream.concat(Stream.of("simulate"), Arrays.stream(args)).toList());
  }

  @Test
  @Timeout(120)
  void probeWithoutAJobSaysHowManyTransactionsGotNoDecisionAndFails() {
    CliRun run = CliRun.of(new RiskstreamCli(), "probe", "--bootstrap-servers", KAFKA.broker().bootstrapServers(),
        "--rate", "20", "--duration", "PT1S", "--timeout", "PT2S", "--transactions-topic", "probe-transactions");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("20 sent, 0 decided").doesNotContain("latency, ms");
    assertThat(run.err()).contains("riskstream probe: 20 transactions got no decision on decisions, none came for PT2S");
    assertThat(read("probe-transactions", 20)).hasSize(20);
  }

  @Test
  @Timeout(120)
  void writesTheRequestedNumberOfDecodableTransactionsAndTheirLabels() throws Exception {
    CliRun run = simulate("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--events", "300",
        "--rate", "2000", "--labels", "--label-delay", "PT10M", "--kafka-property", "client.id=simulate-test");

    assertThat(run.exitCode()).as(run.err()).isZero();
    AvroCodec<Transaction> transactions = AvroCodec.of(Transaction.class);
    Set<String> ids = new HashSet<>();
    List<ConsumerRecord<byte[], byte[]>> written = read("transactions", 300);
    assertThat(written).hasSize(300);
    for (ConsumerRecord<byte[], byte[]> record : written) {
      Transaction tx = transactions.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("keyed by customer").isEqualTo(tx.getCustomerId());
      assertThat(tx.getCardNumber()).as("a clear PAN").isNotBlank();
      ids.add(tx.getTransactionId());
    }
    assertThat(ids).as("distinct transactions").hasSize(300);

    AvroCodec<FraudLabel> labels = AvroCodec.of(FraudLabel.class);
    List<ConsumerRecord<byte[], byte[]>> labelled = read("labels", 250);
    // 5% of labels never come
    assertThat(labelled).hasSizeBetween(250, 300);
    for (ConsumerRecord<byte[], byte[]> record : labelled) {
      assertThat(ids).contains(labels.decode(record.value()).getTransactionId());
    }
  }

  @Test
  @Timeout(120)
  void writesToTheTopicItIsGivenAndNoLabelsUnlessAsked() {
    CliRun run = simulate("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--events", "20",
        "--transactions-topic", "other-transactions", "--labels-topic", "other-labels");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(read("other-transactions", 20)).hasSize(20);
  }

  /** The input of {@code riskstream batch-score --input}. */
  @Test
  void writesAnAvroFileOfTransactionsInsteadOfKafka(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("transactions.avro");
    assertThat(simulate("--events", "400", "--seed", "3", "--output", file.toString()).exitCode()).isZero();

    try (DataFileReader<Transaction> transactions = new DataFileReader<>(file.toFile(),
        new SpecificDatumReader<>(Transaction.class))) {
      assertThat((Iterable<Transaction>) transactions).hasSize(400);
    }
    assertThat(simulate("--events", "1", "--output", file.toString()).exitCode()).as("never overwritten").isEqualTo(1);
  }

  /** The input of {@code riskstream rules backtest --input --labels}: the labels that would ever come. */
  @Test
  void writesTheLabelsOfTheTransactionsInAFileOfTheirOwn(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("transactions.avro");
    Path labelFile = directory.resolve("labels.avro");
    assertThat(simulate("--events", "2000", "--seed", "3", "--output", file.toString(),
        "--labels-output", labelFile.toString()).exitCode()).isZero();

    Set<String> transactionIds = new HashSet<>();
    try (DataFileReader<Transaction> transactions = new DataFileReader<>(file.toFile(),
        new SpecificDatumReader<>(Transaction.class))) {
      transactions.forEach(tx -> transactionIds.add(tx.getTransactionId()));
    }
    List<FraudLabel> labels = new ArrayList<>();
    try (DataFileReader<FraudLabel> records = new DataFileReader<>(labelFile.toFile(),
        new SpecificDatumReader<>(FraudLabel.class))) {
      records.forEach(labels::add);
    }
    // of every 100 transactions, 5 are never labelled (Labeller)
    assertThat(labels).hasSizeBetween(1_800, 1_950)
        .allSatisfy(label -> assertThat(transactionIds).contains(label.getTransactionId()));
    assertThat(labels).filteredOn(FraudLabel::getIsFraud).isNotEmpty();
  }

  @Test
  void anUnknownKafkaPropertyIsRefusedWithItsName() {
    CliRun run = simulate("--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--events", "1",
        "--kafka-property", "sasl.mechansim=PLAIN");

    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  @Timeout(120)
  void faultInjectionUnreachableBrokerEndsTheFeedWithAnError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CliRun run = simulate("--bootstrap-servers", "127.0.0.1:" + closedPort, "--events", "5",
        "--kafka-property", "max.block.ms=500");

    assertThat(run.exitCode()).isEqualTo(1);
  }
}
