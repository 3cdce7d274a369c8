package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelManifest.Thresholds;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class ThresholdRuleTest {

  /** 1000 rows scored 0.999 down to 0.000; rank 0 is the top score. */
  private static HeldOutScores ranked(IntPredicate isFraudAtRank) {
    double[] scores = new double[1000];
    boolean[] fraud = new boolean[1000];
    for (int rank = 0; rank < 1000; rank++) {
      scores[rank] = (999 - rank) / 1000.0;
      fraud[rank] = isFraudAtRank.test(rank);
    }
    return new HeldOutScores(scores, fraud);
  }

  @Test
  void declinesDownToTheLowestScoreWithEnoughPrecisionAndReviewsWithinCapacity() {
    // ranks 0-9 all fraud, then every other row fraud down to rank 49, none after
    HeldOutScores heldOut = ranked(rank -> rank < 10 || (rank < 50 && rank % 2 == 0));

    Thresholds thresholds = ThresholdRule.choose(heldOut);

    // flagging down to rank 16 catches 14 frauds in 17 rows (0.82); every lower rank is below 0.8
    assertThat(thresholds.decline()).isEqualTo(heldOut.sweep()[16].threshold());
    // 3% of 1000 is 30 rows: rank 29 flags 30 rows of which 20 are fraud
    assertThat(thresholds.review()).isEqualTo(heldOut.sweep()[29].threshold());
  }

  @Test
  void doesNotLetAFewTopScoresSetTheDeclineThreshold() {
    // four frauds on top, then one in ten
    HeldOutScores heldOut = ranked(rank -> rank < 4 || rank % 10 == 0);

    Thresholds thresholds = ThresholdRule.choose(heldOut);

    assertThat(thresholds.decline()).isEqualTo(1.0);
    assertThat(heldOut.at(thresholds.review()).precision()).isGreaterThanOrEqualTo(ThresholdRule.MIN_REVIEW_PRECISION);
  }

  @Test
  void collapsesTheReviewBandWhenReviewingCannotBePreciseEnough() {
    HeldOutScores heldOut = ranked(rank -> rank % 5 == 4);

    Thresholds thresholds = ThresholdRule.choose(heldOut);

    assertThat(thresholds.review()).isEqualTo(thresholds.decline()).isEqualTo(1.0);
    assertThat(Arrays.stream(heldOut.sweep()).filter(p -> p.flaggedRate() <= ThresholdRule.MAX_REVIEW_RATE))
        .allMatch(p -> p.precision() < ThresholdRule.MIN_REVIEW_PRECISION);
  }
}
