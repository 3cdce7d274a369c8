package dev.riskstream.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.simulator.TransactionSimulator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class LatencyProbeITCase {

  @Test
  void aProbeWhoseWriterCannotOpenLeavesNoReaderRunning_faultInjectedByAnUnknownCompressionCodec() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      broker.createTopics(Map.of("transactions", 1, "decisions", 1));
      Properties client = KafkaClientProperties.NONE.toProperties(broker.bootstrapServers());
      // a producer setting: the readers' consumers ignore it, the writer's producer refuses it
      client.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "no-such-codec");

      assertThatThrownBy(() -> new LatencyProbe(client, "transactions", "decisions",
          TransactionSimulator.builder().build()))
          .isInstanceOf(KafkaException.class);
      assertThat(readerThreads()).isEmpty();
    }
  }

  private static List<String> readerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("riskstream-bench-reader-"))
        .toList();
  }
}
