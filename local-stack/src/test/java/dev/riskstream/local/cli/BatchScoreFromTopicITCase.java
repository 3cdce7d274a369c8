package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.riskstream.job.TestData;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.CliRun;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskstream batch-score} from a topic: simulated transactions with bad records between them on
 * the embedded broker, scored from an offset range and from the whole topic to files and into a
 * PostgreSQL table. operations-cli's {@code BatchScoreCommandITCase} scores a file.
 */
class BatchScoreFromTopicITCase {

  private static final String TOPIC = "transactions";
  private static final String TOKEN_KEY =
      "pii.token-key=file:" + TestData.secretFile("token-key", "batch-score-itcase-key-0123456789");
  private static final int SIMULATED = 600;
  private static final int GARBAGE_EVERY = 50;
  private static final int RETRY_EVERY = 40;

  @TempDir
  Path directory;

  @Test
  void scoresOffsetRangesOfTheTopicToFilesAndUpsertsThemIntoATable() throws Exception {
    String schema = PostgresSchema.create();
    String table = schema + ".decisions";
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      broker.createTopics(Map.of(TOPIC, 2));
      Produced produced = produce(broker.bootstrapServers());
      Instant afterProducing = Instant.now();

      CliRun range = batchScore(broker, "range", table, "--until", "0:150,1:150");
      JsonNode first = range.summary();
      assertThat(first.get("decisions").asLong() + first.get("deadLetters").asLong())
          .as("one decision or dead letter per record of the range").isEqualTo(300);
      assertThat(rows(table, Instant.EPOCH)).isEqualTo(first.get("decisions").asLong());

      Instant secondRun = Instant.now();
      JsonNode all = batchScore(broker, "all", table).summary();
      assertThat(all.get("decisions").asLong()).isEqualTo(SIMULATED - produced.garbage());
      assertThat(all.get("deadLetterReasons").get("NOT_AVRO").asLong()).isEqualTo(produced.garbage());
      assertThat(all.get("deadLetterReasons").get("DUPLICATE").asLong()).isEqualTo(produced.retries());
      assertThat(all.get("deadLetters").asLong()).isEqualTo(produced.garbage() + produced.retries());
      assertThat(rows(table, Instant.EPOCH)).as("the range's rows were updated, not added again")
          .isEqualTo(all.get("decisions").asLong());
      assertThat(rows(table, secondRun)).as("every row written by the second run").isEqualTo(rows(table, Instant.EPOCH));

      String byCustomer = schema + ".customer_decisions";
      batchScore(broker, "customers", byCustomer, "--jdbc-key", "CUSTOMER").summary();
      assertThat(latestTransactions(byCustomer)).as("one row per customer, with its latest transaction's decision")
          .isEqualTo(produced.latestOfCustomers());

      JsonNode none = batchScore(broker, "none", table, "--from", afterProducing.toString()).summary();
      assertThat(none.get("decisions").asLong() + none.get("deadLetters").asLong())
          .as("no record has a Kafka timestamp after the last was produced").isZero();
    } finally {
      PostgresSchema.drop(schema);
    }
  }

  private CliRun batchScore(EmbeddedKafkaBroker broker, String run, String table, String... more) {
    List<String> args = new ArrayList<>(List.of("batch-score", "--bootstrap-servers", broker.bootstrapServers(),
        "--topic", TOPIC, "--output", directory.resolve(run).toString(), "--model", "../models/baseline",
        "--execution-provider", "cpu", "--jdbc-url", PostgresSchema.URL, "--jdbc-username", PostgresSchema.USER,
        "--jdbc-table", table, "--set", TOKEN_KEY));
    args.addAll(List.of(more));
    return CliRun.of(new RiskstreamCli(), args);
  }

  private static long rows(String table, Instant decidedSince) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PostgresSchema.URL, PostgresSchema.USER, "");
        PreparedStatement count = connection.prepareStatement(
            "SELECT count(*) FROM " + table + " WHERE decided_at >= ?")) {
      count.setTimestamp(1, Timestamp.from(decidedSince));
      try (ResultSet result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  /** @param latestOfCustomers each customer's latest valid transaction id (in event time) */
  private static Map<String, String> latestTransactions(String customerTable) throws SQLException {
    Map<String, String> latest = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(PostgresSchema.URL, PostgresSchema.USER, "");
        ResultSet rows = connection.createStatement().executeQuery(
            "SELECT customer_id, transaction_id FROM " + customerTable)) {
      while (rows.next()) {
        latest.put(rows.getString("customer_id"), rows.getString("transaction_id"));
      }
    }
    return latest;
  }

  record Produced(int garbage, int retries, Map<String, String> latestOfCustomers) {}

  /**
   * {@value #SIMULATED} records on two partitions: simulated transactions, every
   * {@value #GARBAGE_EVERY}th one replaced by garbage, and every {@value #RETRY_EVERY}th sent twice,
   * as a producer's retry.
   */
  private static Produced produce(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    TransactionSimulator simulator = TransactionSimulator.builder().seed(5).start(Instant.now()).build();
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    int garbage = 0;
    int retries = 0;
    Map<String, String> latestOfCustomers = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < SIMULATED; i++) {
        int partition = i % 2;
        Transaction tx = simulator.next().transaction();
        byte[] value = codec.encode(tx);
        if (i % GARBAGE_EVERY == 1) {
          value = ("not a transaction " + i).getBytes(StandardCharsets.UTF_8);
          garbage++;
        } else {
          // the simulator's clock only moves on
          latestOfCustomers.put(tx.getCustomerId(), tx.getTransactionId());
        }
        producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
        if (i % RETRY_EVERY == 2) {
          producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
          retries++;
        }
      }
      producer.flush();
    }
    return new Produced(garbage, retries, latestOfCustomers);
  }
}
