package dev.riskstream.local.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumers that read the embedded broker's topics from their beginning, as a downstream application does. */
public final class TopicConsumers {

  private TopicConsumers() {}

  /**
   * A consumer in {@code group}, subscribed to {@code topics}: at read_committed it sees an exactly-once
   * sink's records once their transaction commits, at read_uncommitted as soon as they are written.
   */
  public static KafkaConsumer<byte[], byte[]> fromBeginning(EmbeddedKafkaBroker broker, IsolationLevel isolation,
      String group, String... topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topics));
    return consumer;
  }
}
