package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class SimulatorFeedTest {

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

  /** What `demo --encrypt-cards` sends: no clear PAN, an envelope the job's key opens for this transaction only. */
  @Test
  void sealingReplacesThePanByAnEnvelopeBoundToTheTransaction() throws Exception {
    CardEncryption encryption = new CardEncryption(CardKeys.parse(CardKeys.generateLine("demo-1"), "test"));
    Transaction clear = TransactionSimulator.builder().seed(7).start(Instant.EPOCH).build().next().transaction();

    Transaction sealed = new SimulatorFeed.CardSealing(encryption, "demo-1").seal(clear);

    assertThat(sealed.getCardNumber()).isNull();
    assertThat(sealed.getEncryptedCard().getKeyId()).isEqualTo("demo-1");
    assertThat(encryption.decrypt(sealed.getEncryptedCard(), sealed.getTransactionId())).isEqualTo(clear.getCardNumber());
    assertThat(Transaction.newBuilder(sealed).setEncryptedCard(null).setCardNumber(clear.getCardNumber()).build())
        .as("every other field as simulated").isEqualTo(clear);
  }
}
