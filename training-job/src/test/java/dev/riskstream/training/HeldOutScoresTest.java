package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HeldOutScoresTest {

  @Test
  void aucIsOneWhenEveryFraudOutscoresEveryLegitimateRow() {
    HeldOutScores scores = new HeldOutScores(new double[] {0.1, 0.9, 0.2, 0.8}, new boolean[] {false, true, false, true});

    assertThat(scores.rocAuc()).isEqualTo(1.0);
  }

  @Test
  void aucIsZeroWhenTheRankingIsReversed() {
    HeldOutScores scores = new HeldOutScores(new double[] {0.9, 0.1, 0.8, 0.2}, new boolean[] {false, true, false, true});

    assertThat(scores.rocAuc()).isEqualTo(0.0);
  }

  @Test
  void aucCountsTiesAsHalf() {
    HeldOutScores allTied = new HeldOutScores(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false});
    // fraud 0.7 beats 0.2 and 0.4 and ties 0.7: (1 + 1 + 0.5) / 3
    HeldOutScores oneTie = new HeldOutScores(new double[] {0.7, 0.2, 0.4, 0.7}, new boolean[] {true, false, false, false});

    assertThat(allTied.rocAuc()).isEqualTo(0.5);
    assertThat(oneTie.rocAuc()).isCloseTo(2.5 / 3, within(1e-12));
  }

  @Test
  void measuresWhatAThresholdFlags() {
    HeldOutScores scores = new HeldOutScores(
        new double[] {0.95, 0.9, 0.6, 0.6, 0.3, 0.1}, new boolean[] {true, false, true, false, true, false});

    HeldOutScores.AtThreshold atSixty = scores.at(0.6);

    assertThat(atSixty.flagged()).isEqualTo(4);
    assertThat(atSixty.caughtFraud()).isEqualTo(2);
    assertThat(atSixty.precision()).isEqualTo(0.5);
    assertThat(atSixty.recall()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(atSixty.flaggedRate()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(scores.at(0.99).precision()).isZero();
  }

  @Test
  void sweepsDistinctScoresHighestFirstWithTiesTogether() {
    HeldOutScores scores = new HeldOutScores(
        new double[] {0.6, 0.95, 0.6, 0.1}, new boolean[] {true, true, false, false});

    assertThat(scores.sweep()).containsExactly(
        new HeldOutScores.AtThreshold(0.95, 1, 1, 4, 2),
        new HeldOutScores.AtThreshold(0.6, 3, 2, 4, 2),
        new HeldOutScores.AtThreshold(0.1, 4, 2, 4, 2));
  }

  @Test
  void atAVolumeFlagsTheMostRowsItCanWithoutFlaggingMore() {
    HeldOutScores scores = new HeldOutScores(
        new double[] {0.95, 0.9, 0.6, 0.6, 0.3, 0.1}, new boolean[] {true, false, true, false, true, false});

    assertThat(scores.atVolume(2)).isEqualTo(scores.at(0.9));
    assertThat(scores.atVolume(3)).as("the tie at 0.6 would make it four").isEqualTo(scores.at(0.9));
    assertThat(scores.atVolume(4)).isEqualTo(scores.at(0.6));
    assertThat(scores.atVolume(0).flagged()).isZero();
    assertThat(scores.atVolume(99)).isEqualTo(scores.at(0.1));
  }
}
