package dev.riskstream.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EmbeddedKafkaBrokerITCase {

  private static final String TOPIC = "transactions";
  private static final int PARTITIONS = 3;

  @Test
  void readCommittedConsumerSeesOnlyTheCommittedTransaction() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      broker.createTopics(Map.of(TOPIC, PARTITIONS));
      broker.createTopics(Map.of(TOPIC, PARTITIONS));

      List<String> committed = values("committed", 10);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
        producer.initTransactions();
        producer.beginTransaction();
        committed.forEach(value -> producer.send(new ProducerRecord<>(TOPIC, value, value)));
        producer.commitTransaction();

        producer.beginTransaction();
        values("aborted", 5).forEach(value -> producer.send(new ProducerRecord<>(TOPIC, value, value)));
        // the aborted records must really reach the log, or read_committed has nothing to filter
        producer.flush();
        producer.abortTransaction();
      }

      assertThat(readWholeTopic(broker, "read_uncommitted")).hasSize(15);
      assertThat(readWholeTopic(broker, "read_committed")).containsExactlyInAnyOrderElementsOf(committed);
    }
  }

  @Test
  void closeReleasesThePortAndDeletesTheTemporaryDirectory() throws IOException {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0);
    int port = broker.port();
    Path dataDir = broker.dataDir();
    assertThat(dataDir).isDirectory();

    broker.close();

    assertThat(dataDir).doesNotExist();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void startFailsInsteadOfMovingToAnotherPortWhenThePortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EmbeddedKafkaBroker.startTemporary(taken.getLocalPort()))
          .hasRootCauseInstanceOf(BindException.class);
    }
  }

  @Test
  void restartsFromAGivenDataDirectoryAndKeepsIt(@TempDir Path parent) throws Exception {
    Path dataDir = parent.resolve("kafka");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir)) {
      broker.createTopics(Map.of(TOPIC, PARTITIONS));
    }
    assertThat(dataDir).isNotEmptyDirectory();

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
      assertThat(topic.partitions()).hasSize(PARTITIONS);
    }
  }

  private static List<String> values(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
  }

  private static Map<String, Object> producerConfig(EmbeddedKafkaBroker broker) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
  }

  // Reads up to the end offsets, which under read_committed stop at the last stable offset, so
  // the result is complete without waiting for records that should never come.
  private static List<String> readWholeTopic(EmbeddedKafkaBroker broker, String isolationLevel) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
        .mapToObj(partition -> new TopicPartition(TOPIC, partition))
        .toList();
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < endOffsets.get(partition))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
