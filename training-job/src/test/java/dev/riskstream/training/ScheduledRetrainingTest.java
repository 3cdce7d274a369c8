package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduledRetrainingTest {

  private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");

  @Test
  void aScheduledRequestCoversThePeriodThatEndsTheLabelLagBeforeNow() {
    RetrainRequest request = ScheduledRetraining.request("baseline-7", NOW, Duration.ofDays(7), Duration.ofDays(3));

    assertThat(request.getReason()).isEqualTo(RetrainReason.SCHEDULED);
    assertThat(request.getModelVersion()).isEqualTo("baseline-7");
    assertThat(request.getRequestedAt()).isEqualTo(NOW);
    assertThat(request.getRequestId()).isEqualTo("baseline-7@2026-12-04T02:00:00Z/scheduled");
    assertThat(request.getEvidence()).singleElement().satisfies(window -> {
      assertThat(window.getWindowStart()).isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
      assertThat(window.getWindowEnd()).isEqualTo(Instant.parse("2026-12-04T02:00:00Z"));
      assertThat(window.getValue()).isEqualTo(168.0);
    });
  }

  @Test
  void theRetrainingRangeOfAScheduledRequestIsItsPeriodOrTheHistory() {
    RetrainRequest request = ScheduledRetraining.request("baseline-7", NOW, Duration.ofDays(7), Duration.ofDays(3));
    Map<String, String> base = Map.of("feature-log.path", "/tmp/log", "model.registry", "/tmp/registry");
    Retraining byPeriod = new Retraining(RetrainingSettings.fromMap(base), () -> null, null);
    assertThat(byPeriod.rangeOf(request))
        .containsExactly(Instant.parse("2026-11-27T02:00:00Z"), Instant.parse("2026-12-04T02:00:00Z"));

    Map<String, String> withHistory = new java.util.HashMap<>(base);
    withHistory.put(RetrainingSettings.HISTORY.key(), "30 d");
    assertThat(new Retraining(RetrainingSettings.fromMap(withHistory), () -> null, null).rangeOf(request)[0])
        .isEqualTo(Instant.parse("2026-11-04T02:00:00Z"));
  }

  @Test
  void theCadenceMustBePositive() {
    assertThatThrownBy(() -> RetrainingSettings.fromMap(Map.of("feature-log.path", "/tmp/log",
        "model.registry", "/tmp/registry", RetrainingSettings.SCHEDULE.key(), "0 s")))
        .hasMessageContaining("retraining.schedule must be positive");
  }
}
