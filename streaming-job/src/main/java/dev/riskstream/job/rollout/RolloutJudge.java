package dev.riskstream.job.rollout;

import dev.riskstream.features.evaluation.PairedAuc;
import dev.riskstream.features.evaluation.PairedTest;
import java.time.Duration;
import java.util.Optional;

/**
 * The verdict on a candidate from its evidence, in this order:
 * <ol>
 *   <li>a broken guardrail rejects it, whatever the labels say;
 *   <li>until {@code rollout.min-labelled} labelled transactions with {@code rollout.min-frauds}
 *       frauds, it waits (and after {@code rollout.max-duration} of event time is rejected as
 *       inconclusive);
 *   <li>two paired tests on the same labelled transactions, each one-sided at
 *       {@code rollout.significance}: how it ranks (DeLong's test of the two ROC AUCs) and what it
 *       catches at the champion's alert volume (exact McNemar on the frauds only one of them caught,
 *       the candidate flagging as many transactions as the champion flagged, its highest scores
 *       first). Either showing it worse rejects it; otherwise either showing it better promotes it;
 *   <li>otherwise it waits for more, until {@code rollout.max-duration}.
 * </ol>
 * Compared at the same volume, as the validation gate compares them, more frauds caught means more
 * fraud for the same review capacity, whatever each one's thresholds; the ranking test sees what the
 * volume test misses where the two flag the same few. A candidate's own thresholds decide how much
 * it flags once promoted: the guardrails bound that.
 */
public final class RolloutJudge {

  private RolloutJudge() {}

  public static RolloutVerdict judge(RolloutTally tally, RolloutSettings settings) {
    if (tally.guardrailBreach != null) {
      return new RolloutVerdict(RolloutVerdict.Kind.REJECT, "guardrail: " + tally.guardrailBreach,
          RolloutVerdict.Tests.NONE);
    }
    LabelledPairs labelled = tally.labelled;
    boolean overdue = tally.spanMillis() > settings.maxDuration().toMillis();
    if (labelled.labelled() < settings.minLabelled() || labelled.frauds() < settings.minFrauds()) {
      String missing = String.format("%d of %d labelled transactions, %d of %d frauds", labelled.labelled(),
          settings.minLabelled(), labelled.frauds(), settings.minFrauds());
      return overdue ? inconclusive(tally, settings, missing, RolloutVerdict.Tests.NONE)
          : RolloutVerdict.waiting("waiting for labels: " + missing);
    }
    Optional<LabelledPairs.AtChampionVolume> atVolume = labelled.atChampionVolume();
    PairedAuc.Comparison auc = labelled.aucComparison();
    if (atVolume.isEmpty() || auc == null) {
      String missing = atVolume.isEmpty() ? "a labelled transaction the champion flagged"
          : "a labelled transaction of each class";
      return overdue ? inconclusive(tally, settings, "no " + missing, RolloutVerdict.Tests.NONE)
          : RolloutVerdict.waiting("waiting for " + missing);
    }
    int candidateOnly = Math.toIntExact(atVolume.get().candidateOnly());
    int championOnly = Math.toIntExact(atVolume.get().championOnly());
    RolloutVerdict.Tests tests = new RolloutVerdict.Tests(PairedTest.pValueOfAtLeast(candidateOnly, championOnly),
        PairedTest.pValueOfAtMost(candidateOnly, championOnly), auc.pValueAHigher(), auc.pValueALower());
    String evidence = String.format("ROC AUC %.4f against %.4f (p %.4f higher, %.4f lower); flagging %d of %d "
        + "labelled transactions as the champion flagged %d (from score %.2f), of %d frauds it alone caught %d, the "
        + "champion alone %d (p %.4f more, %.4f fewer)", auc.aucA(), auc.aucB(), tests.pValueAucHigher(),
        tests.pValueAucLower(), atVolume.get().flagged(), labelled.labelled(), atVolume.get().championFlagged(),
        atVolume.get().threshold(), labelled.frauds(), candidateOnly, championOnly, tests.pValueBetter(),
        tests.pValueWorse());
    double alpha = settings.significance();
    if (tests.pValueWorse() < alpha || tests.pValueAucLower() < alpha) {
      return new RolloutVerdict(RolloutVerdict.Kind.REJECT, "worse than the champion: " + evidence, tests);
    }
    if (tests.pValueBetter() < alpha || tests.pValueAucHigher() < alpha) {
      return new RolloutVerdict(RolloutVerdict.Kind.PROMOTE, String.format("better than the champion: %s; "
          + "guardrails held over %d transactions", evidence, tally.scored.scored), tests);
    }
    return overdue ? inconclusive(tally, settings, evidence, tests)
        : new RolloutVerdict(RolloutVerdict.Kind.WAITING, "no difference shown yet: " + evidence, tests);
  }

  private static RolloutVerdict inconclusive(RolloutTally tally, RolloutSettings settings, String evidence,
      RolloutVerdict.Tests tests) {
    return new RolloutVerdict(RolloutVerdict.Kind.REJECT, String.format("inconclusive after %s of event time "
        + "(rollout.max-duration %s): %s", Duration.ofMillis(tally.spanMillis()), settings.maxDuration(), evidence),
        tests);
  }
}
