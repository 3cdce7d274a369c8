package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.job.JobConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrainingSettingsTest {

  private static final Map<String, String> REQUIRED = Map.of(
      JobConfig.FEATURE_LOG_PATH.key(), "file:///var/riskstream/feature-log",
      JobConfig.MODEL_REGISTRY.key(), "/var/riskstream/registry");

  @Test
  void readsRetrainingsOwnSettingsBesideTheStreamingJobsFromOneFile() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put(RetrainingSettings.REPORTS.key(), "/var/riskstream/retraining");
    settings.put(JobConfig.BOOTSTRAP_SERVERS.key(), "kafka:9092");
    settings.put(JobConfig.CHECKPOINT_INTERVAL.key(), "10 s");
    settings.put(JobConfig.KAFKA_CLIENT.key() + ".security.protocol", "SASL_SSL");

    RetrainingSettings retraining = RetrainingSettings.fromMap(settings);

    assertThat(retraining.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(retraining.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(retraining.reportOf("retrained-1")).isEqualTo(Path.of("/var/riskstream/retraining/retrained-1/report.json"));
  }

  @Test
  void refusesAKeyNeitherRetrainingNorTheJobKnows() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put("retraining.max-auc-los", "0.01");

    assertThatThrownBy(() -> RetrainingSettings.fromMap(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown settings [retraining.max-auc-los]");
  }
}
