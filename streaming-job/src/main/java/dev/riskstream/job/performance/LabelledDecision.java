package dev.riskstream.job.performance;

import dev.riskstream.schemas.Outcome;

/**
 * A decision together with the truth about its transaction, as the label join pairs them, for one of
 * the segments it is counted in; or the would-be decision of a version scoring in shadow. A Flink
 * POJO.
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
  /** For a shadow's would-be decision: whether the deciding version decided the same. */
  public boolean agreesWithDecision;

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
      Outcome outcome, boolean fraud, Outcome decided) {
    LabelledDecision wouldBe = new LabelledDecision(modelVersion, segment, decisionTime, score, outcome, fraud);
    wouldBe.shadow = true;
    wouldBe.agreesWithDecision = outcome == decided;
    return wouldBe;
  }
}
