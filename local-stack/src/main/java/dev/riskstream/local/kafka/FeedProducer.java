package dev.riskstream.local.kafka;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A producer of raw records as a point of sale's gateway would run it: idempotent, acknowledged by all replicas. */
public final class FeedProducer {

  private FeedProducer() {}

  /** @param client where and how to connect: bootstrap servers and any security settings */
  public static KafkaProducer<byte[], byte[]> create(Properties client) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Kafka's default, unless the client's properties choose: a probe may send as a latency-bound
    // authorisation would, without lingering
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
