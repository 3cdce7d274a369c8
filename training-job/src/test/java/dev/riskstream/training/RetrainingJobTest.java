package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetrainingJobTest {

  @Test
  void refusesARunWithoutTheStartOfItsRange() {
    assertThatThrownBy(() -> RetrainingJob.parse(new String[] {"--champion", "baseline-1",
        "--feature-log.path", "/log", "--model.registry", "/registry"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("missing --from");
  }

  @Test
  void refusesAnUnknownReason() {
    assertThatThrownBy(() -> RetrainingJob.parse(new String[] {"--champion", "baseline-1", "--from",
        "2026-03-02T00:00:00Z", "--reason", "DRIFTY", "--feature-log.path", "/log", "--model.registry", "/registry"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DRIFTY");
  }
}
