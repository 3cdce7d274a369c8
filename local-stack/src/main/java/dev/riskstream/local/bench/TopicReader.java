package dev.riskstream.local.bench;

import dev.riskstream.io.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics as a downstream consumer does and counts what it sees, per topic: with
 * {@code read_committed} an exactly-once writer's records count only once committed, with
 * {@code read_uncommitted} as soon as they are written. A counting reader starts at the beginning, a
 * timing one at the end as it opens: what was there before is no one's to time.
 *
 * <p>A reader that times records keeps the client's fetch settings. With fetch.min.bytes 1 the
 * broker answers a waiting fetch as soon as a record becomes readable (at read_committed, as the
 * commit marker lands), so fetch.max.wait.ms (500 ms) bounds only a wait that no record ends: on the
 * embedded broker, records took as long from send to read with 500 ms as with 5 or 1 ms, at either
 * isolation level, while a small value has an idle reader fetch hundreds of times a second.
 */
final class TopicReader implements AutoCloseable {

  /** Sees each record with the wall-clock time it was read at. */
  interface Handler {
    void accept(ConsumerRecord<byte[], byte[]> record, long readAtMillis);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final AtomicLong[] counts;
  private final Handler handler;
  private final Thread thread;

  private TopicReader(Properties client, IsolationLevel isolation, List<String> topics, Handler handler) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    if (handler == null) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      // resolved now, so that a record written once this returns is read
      partitions.forEach(consumer::position);
    }
    this.topics = List.copyOf(topics);
    this.counts = topics.stream().map(t -> new AtomicLong()).toArray(AtomicLong[]::new);
    this.handler = handler;
    thread = new Thread(this::poll, "riskstream-bench-reader-" + isolation.name().toLowerCase(Locale.ROOT));
    thread.setDaemon(true);
  }

  /** Counts what a downstream consumer ({@code read_committed}) reads from {@code topics}. */
  static TopicReader counting(String bootstrapServers, List<String> topics) {
    return start(new TopicReader(KafkaClientProperties.NONE.toProperties(bootstrapServers), IsolationLevel.READ_COMMITTED,
        topics, null));
  }

  static TopicReader counting(String bootstrapServers, String topic) {
    return counting(bootstrapServers, List.of(topic));
  }

  /**
   * Hands each record of {@code topic} written from now on to {@code handler} as soon as it is readable
   * at {@code isolation}.
   */
  static TopicReader timing(Properties client, IsolationLevel isolation, String topic, Handler handler) {
    return start(new TopicReader(client, isolation, List.of(topic), handler));
  }

  private static TopicReader start(TopicReader reader) {
    reader.thread.start();
    return reader;
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
