package dev.riskstream.local.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
 * The ceiling of any Kafka-to-Kafka pipeline on this machine: one thread that reads records and
 * writes their bytes, unchanged, to another topic (idempotent, acknowledged by all replicas, LZ4
 * as the job's sinks), with no processing in between.
 */
final class KafkaCopyLoop {

  private KafkaCopyLoop() {}

  /** Copies the first {@code count} records of {@code from} to {@code to}; returns once all are acknowledged. */
  static void copy(String bootstrapServers, String from, String to, long count, java.util.concurrent.atomic.AtomicLong copied) {
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
            new ByteArraySerializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(from).forEach(p -> partitions.add(new TopicPartition(from, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long sent = 0;
      while (sent < count) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (sent == count) {
            break;
          }
          producer.send(new ProducerRecord<>(to, record.key(), record.value()));
          sent++;
          copied.incrementAndGet();
        }
      }
      producer.flush();
    }
  }
}
