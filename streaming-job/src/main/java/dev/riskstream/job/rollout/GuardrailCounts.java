package dev.riskstream.job.rollout;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.operators.DecisionPolicy;
import dev.riskstream.schemas.Outcome;

/**
 * What the guardrails compare, labels not needed: of the transactions a candidate scored in shadow
 * beside the deciding version (the champion), how many each reviewed or declined, and how many the
 * candidate failed to score. Sums, so a window's counts add up from its parts. A Flink POJO.
 */
public class GuardrailCounts implements Counts<EnrichedTransaction, GuardrailCounts> {

  public String candidateVersion;
  public String championVersion;
  /** Exclusive end of the event-time window counted; set when the window closes. */
  public long windowEnd;
  public long scored;
  public long candidateFlagged;
  public long championFlagged;
  public long candidateDeclined;
  public long championDeclined;
  public long candidateUnscored;

  /** Counts one transaction scored in shadow; it must carry the shadow's score. */
  @Override
  public void add(EnrichedTransaction tx) {
    candidateVersion = tx.shadowVersion;
    championVersion = tx.modelVersion;
    scored++;
    Outcome candidate = DecisionPolicy.outcome(tx.shadowScore, tx.shadowReviewThreshold, tx.shadowDeclineThreshold);
    Outcome champion = DecisionPolicy.outcome(tx.score, tx.reviewThreshold, tx.declineThreshold);
    candidateFlagged += candidate == Outcome.APPROVE ? 0 : 1;
    championFlagged += champion == Outcome.APPROVE ? 0 : 1;
    candidateDeclined += candidate == Outcome.DECLINE ? 1 : 0;
    championDeclined += champion == Outcome.DECLINE ? 1 : 0;
    candidateUnscored += Double.isNaN(tx.shadowScore) ? 1 : 0;
  }

  @Override
  public void add(GuardrailCounts other) {
    if (candidateVersion == null) {
      candidateVersion = other.candidateVersion;
      championVersion = other.championVersion;
    }
    windowEnd = Math.max(windowEnd, other.windowEnd);
    scored += other.scored;
    candidateFlagged += other.candidateFlagged;
    championFlagged += other.championFlagged;
    candidateDeclined += other.candidateDeclined;
    championDeclined += other.championDeclined;
    candidateUnscored += other.candidateUnscored;
  }

  /**
   * The first guardrail these counts break, in words; null when they hold or are too few to judge:
   * the candidate failing to score, or its review-or-decline rate or decline rate rising beyond the
   * bound (a review queue that grows, customers turned away). Flagging less is left to the labels: a
   * shadow decides nothing, and a candidate that misses frauds or ranks worse loses the paired
   * tests. Rates are compared as (count + 1) ratios, so a version that flagged nothing in a window
   * does not make the ratio infinite.
   */
  public String breach(RolloutSettings settings) {
    if (scored < settings.guardrailMinScored()) {
      return null;
    }
    double unscoredRate = candidateUnscored / (double) scored;
    if (unscoredRate > settings.maxUnscoredRate()) {
      return String.format("the candidate failed to score %d of %d transactions (%.4f, at most %.4f allowed)",
          candidateUnscored, scored, unscoredRate, settings.maxUnscoredRate());
    }
    String flagged = rateBreach("review-or-decline", candidateFlagged, championFlagged, settings.maxRateRatio());
    return flagged != null ? flagged
        : rateBreach("decline", candidateDeclined, championDeclined, settings.maxRateRatio());
  }

  private String rateBreach(String what, long candidate, long champion, double maxRatio) {
    double ratio = (candidate + 1.0) / (champion + 1.0);
    if (ratio <= maxRatio) {
      return null;
    }
    return String.format("the candidate's %s rate was %.4f against the champion's %.4f on the same %d transactions "
        + "(ratio %.2f, at most %.2f allowed)", what, candidate / (double) scored, champion / (double) scored, scored,
        ratio, maxRatio);
  }
}
