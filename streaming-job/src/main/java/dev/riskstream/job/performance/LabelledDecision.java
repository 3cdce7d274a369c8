package dev.riskstream.job.performance;

import dev.riskstream.schemas.Outcome;

/**
 * A decision together with the truth about its transaction, as the label join pairs them, for one of
 * the segments it is counted in; or the would-be decision of a version scoring in shadow; or a rule
 * that fired for the decision ({@link #ruleId} set). A Flink POJO.
 */
public class LabelledDecision {

  public String modelVersion;
  public String segment;
  /** Event time of the decided transaction: performance windows are windows of decisions. */
  public long decisionTime;
  public double score;
  public Outcome outcome;
  public boolean fraud;
  /** A would-be decision of a version scoring in shadow, not one that was made. */
  public boolean shadow;
  /** For a shadow's would-be decision: the deciding version's score and outcome on the same transaction. */
  public double decidedScore;
  public Outcome decidedOutcome;
  /** For a shadow's would-be decision: the transaction's amount in EUR at the bundled rates. */
  public double amountEur;
  /** The rule that fired, for a rule's pair; null for the model's. */
  public String ruleId;
  public String ruleSetVersion;
  /** A shadow rule: it would have fired. */
  public boolean ruleShadow;
  /** For a rule's pair: whether the model alone reviewed or declined the transaction. */
  public boolean modelFlagged;

  public LabelledDecision() {}

  public LabelledDecision(String modelVersion, String segment, long decisionTime, double score, Outcome outcome,
      boolean fraud) {
    this.modelVersion = modelVersion;
    this.segment = segment;
    this.decisionTime = decisionTime;
    this.score = score;
    this.outcome = outcome;
    this.fraud = fraud;
  }

  /** The would-be decision of a version scoring in shadow, beside the decision that was made. */
  public static LabelledDecision ofShadow(String modelVersion, String segment, long decisionTime, double score,
      Outcome outcome, boolean fraud, double decidedScore, Outcome decided, double amountEur) {
    LabelledDecision wouldBe = new LabelledDecision(modelVersion, segment, decisionTime, score, outcome, fraud);
    wouldBe.shadow = true;
    wouldBe.decidedScore = decidedScore;
    wouldBe.decidedOutcome = decided;
    wouldBe.amountEur = amountEur;
    return wouldBe;
  }

  /** For a shadow's would-be decision: whether the deciding version decided the same. */
  public boolean agreesWithDecision() {
    return outcome == decidedOutcome;
  }

  /** A rule that fired (or, in shadow, would have) for a decision of {@code modelVersion}. */
  public static LabelledDecision ofRule(String modelVersion, String segment, long decisionTime, String ruleSetVersion,
      String ruleId, boolean ruleShadow, boolean modelFlagged, boolean fraud) {
    LabelledDecision hit = new LabelledDecision(modelVersion, segment, decisionTime, Double.NaN, null, fraud);
    hit.ruleSetVersion = ruleSetVersion;
    hit.ruleId = ruleId;
    hit.ruleShadow = ruleShadow;
    hit.modelFlagged = modelFlagged;
    return hit;
  }

  /** A rule's pair rather than the model's. */
  public boolean isRuleHit() {
    return ruleId != null;
  }
}
