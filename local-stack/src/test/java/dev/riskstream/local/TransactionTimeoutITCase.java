package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.TemporaryBroker;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Building the job asks the broker for its transaction.max.timeout.ms (the embedded broker's is
 * one hour) and refuses a kafka.transaction-timeout above it, instead of deploying sinks that
 * fail at their first transaction and restart forever.
 */
class TransactionTimeoutITCase {

  @RegisterExtension
  static final TemporaryBroker KAFKA = new TemporaryBroker();

  @Test
  void aTransactionTimeoutAboveTheBrokersMaximumFailsTheBuildWithTheReason() {
    JobConfig config = config(Map.of(KafkaOptions.TRANSACTION_TIMEOUT.key(), "2 h"));
    assertThatThrownBy(() -> RiskstreamJob.wireKafka(StreamExecutionEnvironment.getExecutionEnvironment(), config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka.transaction-timeout (PT2H)")
        .hasMessageContaining("transaction.max.timeout.ms (PT1H)");
  }

  @Test
  void aTransactionTimeoutWithinTheBrokersMaximumBuilds() {
    JobConfig config = config(Map.of(KafkaOptions.TRANSACTION_TIMEOUT.key(), "1 h"));
    assertThatCode(() -> RiskstreamJob.wireKafka(StreamExecutionEnvironment.getExecutionEnvironment(), config))
        .doesNotThrowAnyException();
  }

  @Test
  void atLeastOnceUsesNoTransactionsSoTheTimeoutIsNotChecked() {
    JobConfig config = config(Map.of(KafkaOptions.TRANSACTION_TIMEOUT.key(), "2 h",
        DeliveryOptions.GUARANTEE.key(), "AT_LEAST_ONCE"));
    assertThatCode(() -> RiskstreamJob.wireKafka(StreamExecutionEnvironment.getExecutionEnvironment(), config))
        .doesNotThrowAnyException();
  }

  private static JobConfig config(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), KAFKA.broker().bootstrapServers());
    return TestJobSettings.config(all);
  }
}
