package dev.riskstream.local.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code riskstream-avro} format on real topics of the embedded broker: SQL reads the
 * transactions a producer wrote with the job's codec, leaves out a payload that is none, and writes
 * them to another topic, where the codec reads them back unchanged.
 */
class ContractFormatKafkaITCase {

  private static final int TRANSACTIONS = 50;

  @Test
  @Timeout(180)
  void sqlReadsAndWritesTransactionsAsTheJobsCodecDoes() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      broker.createTopics(Map.of("transactions", 1, "copied", 1));
      AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
      TransactionSimulator simulator = TransactionSimulator.builder().seed(7)
          .start(Instant.parse("2026-02-01T00:00:00Z")).build();
      Map<String, Transaction> sent = new HashMap<>();
      try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
        for (int i = 0; i < TRANSACTIONS; i++) {
          Transaction transaction = simulator.next().transaction();
          sent.put(transaction.getTransactionId(), transaction);
          producer.send(new ProducerRecord<>("transactions", codec.encode(transaction)));
          if (i == TRANSACTIONS / 2) {
            producer.send(new ProducerRecord<>("transactions", "not avro".getBytes(StandardCharsets.UTF_8)));
          }
        }
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      StreamTableEnvironment sql = StreamTableEnvironment.create(env);
      String columns = columnsOf(codec);
      for (String topic : List.of("transactions", "copied")) {
        sql.executeSql("CREATE TABLE " + topic + " (" + columns + ") WITH ('connector' = 'kafka', 'topic' = '" + topic
            + "', 'properties.bootstrap.servers' = '" + broker.bootstrapServers() + "', "
            + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', "
            + "'format' = 'riskstream-avro', 'riskstream-avro.record' = 'Transaction', "
            + "'riskstream-avro.undecodable' = 'skip')");
      }

      Map<String, Row> read = new HashMap<>();
      try (CloseableIterator<Row> rows = sql.executeSql(
          "SELECT transactionId, amountMinor, currency, eventTime FROM transactions").collect()) {
        rows.forEachRemaining(row -> read.put((String) row.getField(0), row));
      }
      sql.executeSql("INSERT INTO copied SELECT * FROM transactions").await();

      assertThat(read).hasSize(TRANSACTIONS);
      sent.forEach((id, transaction) -> {
        Row row = read.get(id);
        assertThat(row.getField(1)).isEqualTo(transaction.getAmountMinor());
        assertThat(row.getField(2)).isEqualTo(transaction.getCurrency());
        assertThat(((LocalDateTime) row.getField(3)).toInstant(ZoneOffset.UTC))
            .isEqualTo(transaction.getEventTime());
      });
      Map<String, Transaction> copied = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED,
          "copied-reader", "copied")) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (copied.size() < TRANSACTIONS && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Transaction transaction = codec.decode(record.value());
            copied.put(transaction.getTransactionId(), transaction);
          }
        }
      }
      assertThat(copied).isEqualTo(sent);
    }
  }

  /** The Transaction contract's columns, as the format matches them: every field, by name and type. */
  private static String columnsOf(AvroCodec<Transaction> codec) {
    RowType row = (RowType) AvroSchemaConverter.convertToDataType(codec.schema().toString()).getLogicalType();
    List<String> columns = new ArrayList<>();
    for (RowType.RowField field : row.getFields()) {
      columns.add("`" + field.getName() + "` " + field.getType().asSerializableString());
    }
    return columns.stream().collect(Collectors.joining(", "));
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
