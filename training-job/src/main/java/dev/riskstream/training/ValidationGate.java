package dev.riskstream.training;

import dev.riskstream.features.evaluation.PairedTest;
import dev.riskstream.schemas.RetrainReason;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decides whether a retrained candidate may replace the champion, from both models' results on the
 * same held-out rows (the latest part of the training range, which neither was trained on).
 *
 * <ul>
 *   <li>ROC AUC may be at most {@code maxAucLoss} below the champion's, and precision and recall at
 *       the champion's review and decline thresholds at most {@code maxPrecisionRecallLoss} below the
 *       champion's there. The candidate is measured at the same operating points: flagging as many
 *       held-out rows as the champion flags at each threshold (or the most it can without flagging
 *       more). Each model at its own thresholds would compare a strict threshold with a lax one: on
 *       drifted traffic a champion whose decline threshold has become lax (precision 0.47 where it was
 *       chosen for 0.8) out-recalls a candidate held to 0.8, yet catches fewer frauds per decline.
 *       At the same volume both measures differ only by the frauds one model catches and the other
 *       misses, so both rest on one paired test of those frauds (exact one-sided McNemar): a loss
 *       beyond the margin fails the check only when its p-value is below {@code significance}. A
 *       held-out period of a few days holds some 100 frauds, where a recall margin of 0.05 is 5 of
 *       them: a candidate ranking drifted traffic far better (ROC AUC 0.93 against 0.80) failed on a
 *       decline recall 0.07 below the champion's;
 *   <li>when the request's reason is drift or falling performance (realised or estimated), the
 *       candidate must also rank better: its ROC AUC must exceed the champion's by more than
 *       {@code minAucGain}. The champion
 *       is what the monitoring found wanting, so a candidate that is merely as good changes nothing
 *       but the version; a request of unknown reason (a newer writer's) is judged by the margins only.
 * </ul>
 */
public record ValidationGate(double maxAucLoss, double maxPrecisionRecallLoss, double minAucGain,
    double significance) {

  /** The gate with the defaults of the retraining.* settings, for a bundle published by hand. */
  public static final ValidationGate DEFAULTS = new ValidationGate(RetrainingSettings.MAX_AUC_LOSS.defaultValue(),
      RetrainingSettings.MAX_PRECISION_RECALL_LOSS.defaultValue(), RetrainingSettings.MIN_AUC_GAIN.defaultValue(),
      RetrainingSettings.LOSS_SIGNIFICANCE.defaultValue());


  /**
   * @param accepted whether the candidate may be published
   * @param checks every comparison, passed or not, for the report
   */
  public record Verdict(boolean accepted, List<Check> checks) {

    public Verdict {
      checks = List.copyOf(checks);
    }

    public List<Check> failed() {
      return checks.stream().filter(check -> !check.passed()).toList();
    }
  }

  /**
   * One comparison: the candidate's value must be at least {@code required}.
   *
   * @param lossPValue for precision and recall, the chance of the candidate missing at least as many
   *     more of the frauds the two models disagree on if both caught them equally well; null for ROC AUC
   */
  public record Check(String measure, double champion, double candidate, double required, Double lossPValue,
      boolean passed) {}

  public ValidationGate {
    if (maxAucLoss < 0 || maxPrecisionRecallLoss < 0 || minAucGain < 0) {
      throw new IllegalArgumentException("gate margins must not be negative");
    }
    if (!(significance > 0 && significance <= 1)) {
      throw new IllegalArgumentException("the significance level must be in (0, 1], not " + significance);
    }
  }

  /** Both evaluations must have scored the same held-out rows in the same order. */
  public Verdict judge(HeldOutEvaluation champion, HeldOutEvaluation candidate, RetrainReason reason) {
    if (champion.scores().size() != candidate.scores().size()) {
      throw new IllegalArgumentException("the champion was scored on " + champion.scores().size()
          + " held-out rows, the candidate on " + candidate.scores().size());
    }
    List<Check> checks = new ArrayList<>();
    boolean mustImprove = reason == RetrainReason.DRIFT || reason == RetrainReason.PERFORMANCE
        || reason == RetrainReason.ESTIMATED_PERFORMANCE;
    double auc = champion.rocAuc();
    checks.add(mustImprove
        ? new Check("roc_auc", auc, candidate.rocAuc(), auc + minAucGain, null, candidate.rocAuc() > auc + minAucGain)
        : new Check("roc_auc", auc, candidate.rocAuc(), auc - maxAucLoss, null, candidate.rocAuc() >= auc - maxAucLoss));
    addAtSameVolume(checks, "review", champion.scores(), champion.review(), candidate.scores());
    addAtSameVolume(checks, "decline", champion.scores(), champion.decline(), candidate.scores());
    return new Verdict(checks.stream().allMatch(Check::passed), checks);
  }

  private void addAtSameVolume(List<Check> checks, String threshold, HeldOutScores championScores,
      HeldOutScores.AtThreshold champion, HeldOutScores candidateScores) {
    HeldOutScores.AtThreshold candidate = candidateScores.atVolume(champion.flagged());
    double pValue = pValueOfCatchingFewer(championScores.fraudCaughtAt(champion.threshold()),
        candidateScores.fraudCaughtAt(candidate.threshold()));
    checks.add(atMostLoss(threshold + "_precision", champion.precision(), candidate.precision(), pValue));
    checks.add(atMostLoss(threshold + "_recall", champion.recall(), candidate.recall(), pValue));
  }

  private Check atMostLoss(String measure, double champion, double candidate, double pValue) {
    double required = champion - maxPrecisionRecallLoss;
    return new Check(measure, champion, candidate, required, pValue, candidate >= required || pValue >= significance);
  }

  /**
   * Exact one-sided McNemar test: of the frauds only one model catches, the candidate catching each
   * is a fair coin if both models catch fraud equally well; the chance of it catching as few as it
   * did or fewer.
   */
  static double pValueOfCatchingFewer(BitSet caughtByChampion, BitSet caughtByCandidate) {
    BitSet championOnly = (BitSet) caughtByChampion.clone();
    championOnly.andNot(caughtByCandidate);
    BitSet candidateOnly = (BitSet) caughtByCandidate.clone();
    candidateOnly.andNot(caughtByChampion);
    return PairedTest.pValueOfAtMost(candidateOnly.cardinality(), championOnly.cardinality());
  }
}
