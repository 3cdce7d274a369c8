package dev.riskstream.features.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedTestTest {

  @Test
  void sumsTheFairCoinsTail() {
    // 7 disagreements, the candidate winning 1: P(X <= 1) = (1 + 7) / 128
    assertThat(PairedTest.pValueOfAtMost(1, 6)).isCloseTo(8 / 128.0, within(1e-12));
    assertThat(PairedTest.pValueOfAtLeast(6, 1)).isCloseTo(8 / 128.0, within(1e-12));
    assertThat(PairedTest.pValueOfAtLeast(1, 6)).isCloseTo(1 - 1 / 128.0, within(1e-12));
  }

  @Test
  void withoutDisagreementsNothingIsShown() {
    assertThat(PairedTest.pValueOfAtMost(0, 0)).isEqualTo(1.0);
    assertThat(PairedTest.pValueOfAtLeast(0, 0)).isEqualTo(1.0);
  }

  @Test
  void aTieIsNoEvidence() {
    assertThat(PairedTest.pValueOfAtLeast(20, 20)).isGreaterThan(0.5);
    assertThat(PairedTest.pValueOfAtMost(20, 20)).isGreaterThan(0.5);
  }

  @Test
  void refusesNegativeCounts() {
    assertThatThrownBy(() -> PairedTest.pValueOfAtMost(-1, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
