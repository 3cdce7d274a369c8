package dev.riskstream.job.rollout;

import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.CANDIDATE;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.addLabelled;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.counted;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.pair;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.quietWindow;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.settings;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.rollout.RolloutVerdict.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutJudgeTest {

  private static final RolloutSettings SETTINGS = settings(RolloutPolicy.SHADOW_THEN_PROMOTE);

  private final RolloutTally tally = RolloutTally.of(CANDIDATE, "sha", 0);

  @Test
  void aClearlyBetterCandidateIsPromoted() {
    tally.add(quietWindow(0), SETTINGS);
    addLabelled(tally, 300, 20, 15, 2);

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.PROMOTE);
    assertThat(verdict.tests().pValueBetter()).isLessThan(0.05);
    assertThat(verdict.detail()).contains("better than the champion", "flagging 37 of 354 labelled transactions as "
        + "the champion flagged 37 (from score 0.70), of 37 frauds it alone caught 15, the champion alone 2");
  }

  @Test
  void aClearlyWorseCandidateIsRejected() {
    addLabelled(tally, 300, 20, 2, 15);

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.REJECT);
    assertThat(verdict.tests().pValueWorse()).isLessThan(0.05);
    assertThat(verdict.detail()).startsWith("worse than the champion");
  }

  @Test
  void anEqualCandidateWaitsForMoreEvidence() {
    addLabelled(tally, 300, 20, 6, 6);

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.WAITING);
    assertThat(verdict.detail()).startsWith("no difference shown yet");
  }

  @Test
  void tooFewLabelsDecideNothingHoweverLopsided() {
    addLabelled(tally, 100, 0, 12, 0);

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.WAITING);
    assertThat(verdict.detail()).isEqualTo("waiting for labels: 124 of 200 labelled transactions, 12 of 20 frauds");
    assertThat(verdict.tests().pValueBetter()).isNull();
  }

  @Test
  void aBrokenGuardrailRejectsWhateverTheLabelsSay() {
    addLabelled(tally, 300, 20, 15, 2);
    // the candidate flags 9% where the champion flags 3%
    tally.add(window(0, 1000, 90, 30, 10, 10, 0), SETTINGS);

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.REJECT);
    assertThat(verdict.detail()).startsWith("guardrail: the candidate's review-or-decline rate was 0.0900 against "
        + "the champion's 0.0300").contains("window ending 1970-01-01T00:01:00Z");
  }

  @Test
  void aGuardrailWindowWithTooFewTransactionsIsNotJudgedOnItsOwn() {
    tally.add(window(0, 50, 20, 1, 0, 0, 0), SETTINGS);

    assertThat(RolloutJudge.judge(tally, SETTINGS).kind()).isEqualTo(Kind.WAITING);
    assertThat(tally.scored.scored).as("counted all the same").isEqualTo(50);
  }

  @Test
  void failingToScoreBreaksAGuardrail() {
    tally.add(window(0, 1000, 30, 30, 10, 10, 2), SETTINGS);

    assertThat(RolloutJudge.judge(tally, SETTINGS).detail()).contains("failed to score 2 of 1000 transactions");
  }

  @Test
  void declinesAreGuardedOnTheirOwnAgainstRising() {
    tally.add(window(0, 1000, 30, 30, 25, 10, 0), SETTINGS);

    assertThat(RolloutJudge.judge(tally, SETTINGS).detail()).contains("decline rate was 0.0250 against");
  }

  @Test
  void decliningLessIsLeftToTheLabels() {
    tally.add(window(0, 1000, 30, 30, 0, 20, 0), SETTINGS);

    assertThat(RolloutJudge.judge(tally, SETTINGS).kind()).isEqualTo(Kind.WAITING);
  }

  @Test
  void flaggingFarLessIsLeftToTheLabels() {
    tally.add(window(0, 1000, 5, 30, 0, 10, 0), SETTINGS);

    assertThat(RolloutJudge.judge(tally, SETTINGS).kind()).isEqualTo(Kind.WAITING);
  }

  @Test
  void aCandidateWhoseScoresPileUpIsNotGivenMoreThanTheChampionsVolume() {
    // a constant score: its one bin holds more than the champion flagged, so at that volume it flags none
    List<LabelledDecision> pairs = new ArrayList<>();
    pairs.addAll(Collections.nCopies(300, pair(false, 0.5, 0.1)));
    pairs.addAll(Collections.nCopies(30, pair(true, 0.5, 0.95)));

    tally.add(counted(pairs));

    assertThat(tally.labelled.atChampionVolume()).hasValueSatisfying(atVolume -> {
      assertThat(atVolume.flagged()).isZero();
      assertThat(atVolume.championOnly()).isEqualTo(30);
    });
    assertThat(RolloutJudge.judge(tally, SETTINGS).kind()).isEqualTo(Kind.REJECT);
  }

  @Test
  void theCandidateIsComparedAtTheChampionsAlertVolume() {
    // the candidate's own thresholds flag none of these; at the champion's volume it catches every fraud
    List<LabelledDecision> pairs = new ArrayList<>();
    pairs.addAll(Collections.nCopies(300, pair(false, 0.05, 0.1)));
    pairs.addAll(Collections.nCopies(30, pair(true, 0.40, 0.1)));
    pairs.addAll(Collections.nCopies(30, pair(false, 0.06, 0.6)));
    tally.add(counted(pairs));

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.PROMOTE);
    assertThat(tally.labelled.atChampionVolume()).hasValueSatisfying(atVolume -> {
      assertThat(atVolume.threshold()).isEqualTo(0.40);
      assertThat(atVolume.flagged()).isEqualTo(30);
      assertThat(atVolume.candidateOnly()).isEqualTo(30);
    });
    assertThat(tally.labelled.candidate.reviewRecall()).as("at its own review threshold of 0.5").isZero();
  }

  @Test
  void aBetterRankingPromotesWhereTheVolumeTestShowsNothing() {
    // at the champion's volume both catch the same frauds; below it the candidate ranks frauds first
    List<LabelledDecision> pairs = new ArrayList<>();
    pairs.addAll(Collections.nCopies(20, pair(true, 0.95, 0.95)));
    pairs.addAll(Collections.nCopies(20, pair(true, 0.30, 0.02)));
    pairs.addAll(Collections.nCopies(2000, pair(false, 0.02, 0.20)));
    tally.add(counted(pairs));

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.PROMOTE);
    assertThat(verdict.tests().pValueBetter()).as("no fraud only one caught").isEqualTo(1.0);
    assertThat(verdict.tests().pValueAucHigher()).isLessThan(0.05);
  }

  @Test
  void evidenceThatStaysInconclusiveIsRejectedAfterTheMaximumDuration() {
    addLabelled(tally, 300, 20, 6, 6);
    for (int w = 0; w <= 21; w++) {
      tally.add(quietWindow(w), SETTINGS);
    }

    RolloutVerdict verdict = RolloutJudge.judge(tally, SETTINGS);

    assertThat(verdict.kind()).isEqualTo(Kind.REJECT);
    assertThat(verdict.detail()).startsWith("inconclusive after PT21M of event time");
  }
}
