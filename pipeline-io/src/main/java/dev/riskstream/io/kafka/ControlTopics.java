package dev.riskstream.io.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes and reads the job's control topics (model updates, rule sets, their status topics): a few
 * records, each of which must be acknowledged by every in-sync replica before the user is told it
 * was published.
 */
public final class ControlTopics {

  private static final Duration POLL = Duration.ofMillis(500);

  private ControlTopics() {}

  /** Writes one record and waits for the broker; returns where it landed, for the user. */
  public static String write(Properties kafka, String topic, byte[] key, byte[] value)
      throws InterruptedException, ExecutionException {
    Properties settings = new Properties();
    settings.putAll(kafka);
    settings.putAll(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    try (var producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      var written = producer.send(new ProducerRecord<>(topic, key, value)).get();
      return written.topic() + "/" + written.partition() + "/" + written.offset();
    }
  }

  /** Every record of {@code topic} committed when the call began, oldest first per partition; commits nothing. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(Properties kafka, String topic) {
    Properties settings = new Properties();
    settings.putAll(kafka);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        consumer.poll(POLL).forEach(records::add);
      }
      return records;
    }
  }
}
