package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.simulator.TransactionSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class SimulatorFeedITCase {

  /** What `demo --retrain` does while a retraining runs: nothing is sent, and the rest follows after. */
  @Test
  void sendsNothingWhileHeldAndTheRestOnceReleased() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      broker.createTopics(Map.of("transactions", 1));
      AtomicBoolean hold = new AtomicBoolean(true);
      try (SimulatorFeed feed = SimulatorFeed.start(KafkaClientProperties.NONE.toProperties(broker.bootstrapServers()),
          "transactions", TransactionSimulator.builder().seed(7).start(Instant.EPOCH).build(), null, null, 1000, 200L,
          hold::get)) {
        assertThat(feed.awaitEnd(Duration.ofSeconds(2))).as("held").isFalse();
        assertThat(written(broker)).isZero();

        hold.set(false);

        assertThat(feed.awaitEnd(Duration.ofSeconds(30))).isTrue();
        assertThat(written(broker)).isEqualTo(200);
      }
    }
  }

  private static long written(EmbeddedKafkaBroker broker) {
    TopicPartition partition = new TopicPartition("transactions", 0);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        KafkaClientProperties.NONE.toProperties(broker.bootstrapServers()), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }
}
