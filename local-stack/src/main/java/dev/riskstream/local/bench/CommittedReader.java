package dev.riskstream.local.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their beginning as a downstream consumer does ({@code read_committed}, so an
 * exactly-once writer's records count only once committed) and counts what it sees, per topic.
 */
final class CommittedReader implements AutoCloseable {

  /** Sees each record with the wall-clock time it was read at. */
  interface Handler {
    void accept(ConsumerRecord<byte[], byte[]> record, long readAtMillis);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final AtomicLong[] counts;
  private final Handler handler;
  private final Thread thread;

  private CommittedReader(String bootstrapServers, List<String> topics, Handler handler) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.topics = List.copyOf(topics);
    this.counts = topics.stream().map(t -> new AtomicLong()).toArray(AtomicLong[]::new);
    this.handler = handler;
    thread = new Thread(this::poll, "riskstream-bench-reader");
    thread.setDaemon(true);
  }

  /** @param handler null: only counts */
  static CommittedReader start(String bootstrapServers, List<String> topics, Handler handler) {
    CommittedReader reader = new CommittedReader(bootstrapServers, topics, handler);
    reader.thread.start();
    return reader;
  }

  static CommittedReader start(String bootstrapServers, String topic) {
    return start(bootstrapServers, List.of(topic), null);
  }

  private void poll() {
    try {
      while (true) {
        var records = consumer.poll(Duration.ofMillis(100));
        long readAt = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (handler != null) {
            handler.accept(record, readAt);
          }
          counts[topics.indexOf(record.topic())].incrementAndGet();
        }
      }
    } catch (WakeupException stop) {
      // close() ends the loop
    } finally {
      consumer.close();
    }
  }

  /** Records read so far from {@code topic}. */
  long count(String topic) {
    return counts[topics.indexOf(topic)].get();
  }

  /** Records read so far from all topics. */
  long count() {
    long total = 0;
    for (AtomicLong count : counts) {
      total += count.get();
    }
    return total;
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}
