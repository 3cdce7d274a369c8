package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrainingSettingsTest {

  private static final Map<String, String> REQUIRED = Map.of(
      FeatureLogOptions.PATH.key(), "file:///var/riskstream/feature-log",
      ModelOptions.REGISTRY.key(), "/var/riskstream/registry");

  @Test
  void readsRetrainingsOwnSettingsBesideTheStreamingJobsFromOneFile() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put(RetrainingSettings.REPORTS.key(), "/var/riskstream/retraining");
    settings.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), "kafka:9092");
    settings.put("checkpoint.interval", "10 s"); // a setting of the streaming job alone
    settings.put(KafkaOptions.CLIENT.key() + ".security.protocol", "SASL_SSL");

    RetrainingSettings retraining = RetrainingSettings.fromMap(settings);

    assertThat(retraining.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(retraining.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(retraining.reportOf("retrained-1")).isEqualTo(Path.of("/var/riskstream/retraining/retrained-1/report.json"));
  }

  @Test
  void refusesAnUnknownKeyInTheAreasItReads() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put("retraining.max-auc-los", "0.01");
    settings.put("topic.lables", "labels");
    settings.put("scoring.batch-size", "512"); // the streaming job's area, which the job checks

    assertThatThrownBy(() -> RetrainingSettings.fromMap(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown settings [retraining.max-auc-los, topic.lables]");
  }
}
