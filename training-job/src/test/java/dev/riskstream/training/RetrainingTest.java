package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class RetrainingTest {

  private static final Instant DAY_3 = Instant.parse("2026-03-03T00:00:00Z");

  private static Retraining retraining(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        FeatureLogOptions.PATH.key(), "/tmp/feature-log",
        ModelOptions.REGISTRY.key(), "/tmp/registry"));
    settings.putAll(extra);
    return new Retraining(RetrainingSettings.from(Configuration.fromMap(settings)),
        StreamExecutionEnvironment::getExecutionEnvironment, Clock.systemUTC());
  }

  private static RetrainRequest request(List<RetrainEvidence> evidence) {
    return new RetrainRequest("v1@x", "v1", RetrainReason.DRIFT, 3, evidence, Instant.EPOCH);
  }

  private static RetrainEvidence window(int day) {
    Instant start = DAY_3.plusSeconds(86_400L * (day - 3));
    return new RetrainEvidence(start, start.plusSeconds(86_400), "all", "country", "psi", 1.0, 0.25);
  }

  @Test
  void trainsOnTheWindowsOfTheEvidence() {
    Instant[] range = retraining(Map.of()).rangeOf(request(List.of(window(5), window(3), window(4))));

    assertThat(range[0]).isEqualTo(DAY_3);
    assertThat(range[1]).isEqualTo(DAY_3.plusSeconds(3 * 86_400L));
  }

  @Test
  void withAHistoryTrainsOnThatMuchBeforeTheLatestEvidenceWindowsEnd() {
    Instant[] range = retraining(Map.of(RetrainingSettings.HISTORY.key(), "7 d"))
        .rangeOf(request(List.of(window(3), window(5))));

    assertThat(range[0]).isEqualTo(DAY_3.plusSeconds(3 * 86_400L).minusSeconds(7 * 86_400L));
  }

  @Test
  void refusesARequestWithoutEvidenceAndSettingsWithoutAFeatureLog() {
    assertThatThrownBy(() -> retraining(Map.of()).rangeOf(request(List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no evidence");
    assertThatThrownBy(() -> RetrainingSettings.from(Configuration.fromMap(Map.of(ModelOptions.REGISTRY.key(), "r"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(FeatureLogOptions.PATH.key());
  }
}
