package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.schemas.RetrainReason;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** 100 held-out rows: rows 0 to 9 are fraud. */
class ValidationGateTest {

  private static final ValidationGate GATE = new ValidationGate(0.005, 0.05, 0.0, 0.05);
  private static final int ROWS = 100;
  private static final boolean[] FRAUD = new boolean[ROWS];

  static {
    for (int i = 0; i < 10; i++) {
      FRAUD[i] = true;
    }
  }

  /** Rows 10 to 19 above the frauds: review at 0.5 flags all 20, decline at 0.85 only the 10 legitimate ones. */
  private static final HeldOutEvaluation CHAMPION = evaluation(scores(0.8, 10, 20, 0.9), 0.5, 0.85);

  /** Frauds at {@code fraudScore}; legitimate rows {@code from} to {@code to} (exclusive) at {@code highScore}; the rest 0.1. */
  private static double[] scores(double fraudScore, int from, int to, double highScore) {
    double[] scores = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      scores[i] = FRAUD[i] ? fraudScore : i >= from && i < to ? highScore : 0.1;
    }
    return scores;
  }

  private static HeldOutEvaluation evaluation(double[] scores, double review, double decline) {
    HeldOutScores held = new HeldOutScores(scores, FRAUD);
    return new HeldOutEvaluation("v", held.rocAuc(), held.at(review), held.at(decline), held);
  }

  @Test
  void aCandidateIsMeasuredAtTheChampionsVolumeNotAtItsOwnStricterThresholds() {
    // ranks every fraud first, but its own decline threshold flags nothing
    HeldOutEvaluation candidate = evaluation(scores(0.9, 10, 20, 0.8), 0.85, 0.95);

    ValidationGate.Verdict verdict = GATE.judge(CHAMPION, candidate, RetrainReason.DRIFT);

    assertThat(candidate.decline().recall()).isZero();
    assertThat(verdict.accepted()).isTrue();
    assertThat(verdict.checks()).extracting(ValidationGate.Check::measure).containsExactly(
        "roc_auc", "review_precision", "review_recall", "decline_precision", "decline_recall");
    assertThat(verdict.checks().get(4).candidate()).as("recall of its top 10, the champion's decline volume").isEqualTo(1.0);
  }

  @Test
  void forDriftOrPerformanceAsGoodIsNotEnough() {
    assertThat(GATE.judge(CHAMPION, CHAMPION, RetrainReason.DRIFT).failed())
        .extracting(ValidationGate.Check::measure).containsExactly("roc_auc");
    assertThat(GATE.judge(CHAMPION, CHAMPION, RetrainReason.PERFORMANCE).accepted()).isFalse();
    assertThat(GATE.judge(CHAMPION, CHAMPION, RetrainReason.ESTIMATED_PERFORMANCE).accepted()).isFalse();
    assertThat(GATE.judge(CHAMPION, CHAMPION, RetrainReason.UNKNOWN).accepted()).isTrue();
    assertThat(GATE.judge(CHAMPION, CHAMPION, RetrainReason.SCHEDULED).accepted())
        .as("a scheduled refresh as good as the champion passes: fresher data, no loss").isTrue();
  }

  @Test
  void aBetterAucDoesNotMakeUpForCatchingLessAtTheReviewVolume() {
    // half the frauds on top, the other half below 15 legitimate rows: AUC 0.917 against 0.889
    double[] scores = scores(0.8, 10, 25, 0.9);
    for (int i = 0; i < 5; i++) {
      scores[i] = 0.99;
    }
    HeldOutEvaluation candidate = evaluation(scores, 0.5, 0.95);

    ValidationGate.Verdict verdict = GATE.judge(CHAMPION, candidate, RetrainReason.DRIFT);

    assertThat(candidate.rocAuc()).isGreaterThan(CHAMPION.rocAuc());
    assertThat(verdict.failed()).extracting(ValidationGate.Check::measure)
        .containsExactly("review_precision", "review_recall");
    assertThat(verdict.failed()).first().extracting(ValidationGate.Check::lossPValue)
        .as("5 frauds only the champion catches, none only the candidate: 0.5^5").isEqualTo(1 / 32.0);
  }

  @Test
  void aLossBeyondTheMarginThatChanceExplainsDoesNotFail() {
    // the candidate's top 20, the champion's review volume, holds 12 legitimate rows and 8 of the 10 frauds
    double[] scores = scores(0.8, 10, 22, 0.9);
    scores[8] = 0.05;
    scores[9] = 0.05;
    HeldOutEvaluation candidate = evaluation(scores, 0.5, 0.95);

    ValidationGate.Check recall = GATE.judge(CHAMPION, candidate, RetrainReason.UNKNOWN).checks().get(2);

    assertThat(recall.measure()).isEqualTo("review_recall");
    assertThat(recall.candidate()).as("20% below the champion's").isLessThan(recall.required());
    assertThat(recall.lossPValue()).as("2 frauds only the champion catches: 0.5^2").isEqualTo(0.25);
    assertThat(recall.passed()).isTrue();
    assertThat(new ValidationGate(0.005, 0.05, 0.0, 0.3).judge(CHAMPION, candidate, RetrainReason.UNKNOWN)
        .checks().get(2).passed()).as("at a laxer significance level").isFalse();
  }

  @Test
  void onlyTheFraudsTheModelsDisagreeOnDecideThePValue() {
    BitSet champion = BitSet.valueOf(new long[] {0b1111_1111L});
    BitSet candidate = BitSet.valueOf(new long[] {0b1_0000_0011L});

    // 6 caught only by the champion, 1 only by the candidate: P(X <= 1 | 7, 0.5) = 8/128
    assertThat(ValidationGate.pValueOfCatchingFewer(champion, candidate)).isCloseTo(8 / 128.0, within(1e-12));
    assertThat(ValidationGate.pValueOfCatchingFewer(champion, champion)).isEqualTo(1.0);
    assertThat(ValidationGate.pValueOfCatchingFewer(candidate, champion)).as("the candidate catching more")
        .isCloseTo(1 - 1 / 128.0, within(1e-12));
  }

  @Test
  void withoutDriftOrPerformanceTheAucMayFallOnlyByTheMargin() {
    HeldOutEvaluation worse = evaluation(scores(0.8, 10, 25, 0.9), 0.5, 0.85);

    ValidationGate.Verdict verdict = GATE.judge(CHAMPION, worse, RetrainReason.UNKNOWN);

    assertThat(verdict.failed()).first().satisfies(check -> {
      assertThat(check.measure()).isEqualTo("roc_auc");
      assertThat(check.required()).isCloseTo(CHAMPION.rocAuc() - 0.005, within(1e-12));
    });
  }

  @Test
  void refusesNegativeMargins() {
    assertThatThrownBy(() -> new ValidationGate(-0.1, 0.05, 0, 0.05)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ValidationGate(0.005, 0.05, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("significance");
  }
}
