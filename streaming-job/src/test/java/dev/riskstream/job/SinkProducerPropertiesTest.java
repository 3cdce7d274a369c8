package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** What every sink's producer is given: it sends at once and uncompressed unless the client settings say otherwise. */
class SinkProducerPropertiesTest {

  @Test
  void sinksSendAtOnceAndUncompressedByDefault() {
    assertThat(RiskstreamJob.sinkProducerProperties(RiskstreamJobITCase.config()))
        .containsEntry("linger.ms", "0")
        .containsEntry("compression.type", "none")
        .containsEntry("transaction.timeout.ms",
            String.valueOf(RiskstreamJobITCase.config().kafkaTransactionTimeout().toMillis()));
  }

  @Test
  void theClientSettingsChooseLingerAndCompression() {
    Map<String, String> settings = TestJobSettings.settings();
    settings.put("kafka.client.compression.type", "zstd");
    settings.put("kafka.client.linger.ms", "5");

    assertThat(RiskstreamJob.sinkProducerProperties(JobConfig.from(Configuration.fromMap(settings))))
        .containsEntry("compression.type", "zstd")
        .containsEntry("linger.ms", "5");
  }
}
