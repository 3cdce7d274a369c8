package dev.riskstream.training;

import dev.riskstream.schemas.RetrainReason;
import java.util.ArrayList;
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
 *       chosen for 0.8) out-recalls a candidate held to 0.8, yet catches fewer frauds per decline;
 *   <li>when the request's reason is drift or falling performance, the candidate must also rank
 *       better: its ROC AUC must exceed the champion's by more than {@code minAucGain}. The champion
 *       is what the monitoring found wanting, so a candidate that is merely as good changes nothing
 *       but the version; a request of unknown reason (a newer writer's) is judged by the margins only.
 * </ul>
 */
public record ValidationGate(double maxAucLoss, double maxPrecisionRecallLoss, double minAucGain) {

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

  /** One comparison: the candidate's value must be at least {@code required}. */
  public record Check(String measure, double champion, double candidate, double required, boolean passed) {}

  public ValidationGate {
    if (maxAucLoss < 0 || maxPrecisionRecallLoss < 0 || minAucGain < 0) {
      throw new IllegalArgumentException("gate margins must not be negative");
    }
  }

  public Verdict judge(HeldOutEvaluation champion, HeldOutEvaluation candidate, RetrainReason reason) {
    List<Check> checks = new ArrayList<>();
    boolean mustImprove = reason == RetrainReason.DRIFT || reason == RetrainReason.PERFORMANCE;
    checks.add(mustImprove
        ? check("roc_auc", champion.rocAuc(), candidate.rocAuc(), champion.rocAuc() + minAucGain, true)
        : check("roc_auc", champion.rocAuc(), candidate.rocAuc(), champion.rocAuc() - maxAucLoss, false));
    addAtSameVolume(checks, "review", champion.review(), candidate.scores());
    addAtSameVolume(checks, "decline", champion.decline(), candidate.scores());
    return new Verdict(checks.stream().allMatch(Check::passed), checks);
  }

  private void addAtSameVolume(List<Check> checks, String threshold, HeldOutScores.AtThreshold champion,
      HeldOutScores candidateScores) {
    HeldOutScores.AtThreshold candidate = candidateScores.atVolume(champion.flagged());
    checks.add(atMostLoss(threshold + "_precision", champion.precision(), candidate.precision()));
    checks.add(atMostLoss(threshold + "_recall", champion.recall(), candidate.recall()));
  }

  private Check atMostLoss(String measure, double champion, double candidate) {
    return check(measure, champion, candidate, champion - maxPrecisionRecallLoss, false);
  }

  /** {@code strictly}: the candidate must exceed {@code required}, not only reach it. */
  private static Check check(String measure, double champion, double candidate, double required, boolean strictly) {
    return new Check(measure, champion, candidate, required, strictly ? candidate > required : candidate >= required);
  }
}
