package dev.riskstream.job.performance;

import dev.riskstream.features.drift.Segmenter;
import org.apache.flink.util.Collector;

/**
 * The rules that fired for one decision, active and shadow, while it waits for its label: what the
 * rules' realised performance needs, and only for the decisions a rule fired for, so the label join
 * holds a few of these beside every decision's {@link SegmentedDecision}. A Flink POJO.
 */
public class RuleHits implements AwaitingLabel {

  public String transactionId;
  /** The version whose decision it was: rule performance is reported with that version's. */
  public String modelVersion;
  public String ruleSetVersion;
  /** Event time of the decided transaction. */
  public long decisionTime;
  /** Whether the model alone would have reviewed or declined it. */
  public boolean modelFlagged;
  public String[] fired;
  public String[] shadowFired;

  public RuleHits() {}

  public RuleHits(String transactionId, String modelVersion, String ruleSetVersion, long decisionTime,
      boolean modelFlagged, String[] fired, String[] shadowFired) {
    this.transactionId = transactionId;
    this.modelVersion = modelVersion;
    this.ruleSetVersion = ruleSetVersion;
    this.decisionTime = decisionTime;
    this.modelFlagged = modelFlagged;
    this.fired = fired;
    this.shadowFired = shadowFired;
  }

  @Override
  public long decidedAt() {
    return decisionTime;
  }

  /** One pair per rule, in the segment {@code all}: rules are judged over all traffic. */
  @Override
  public void pairWith(boolean fraud, Collector<LabelledDecision> out) {
    for (String rule : fired) {
      out.collect(LabelledDecision.ofRule(modelVersion, Segmenter.ALL, decisionTime, ruleSetVersion, rule, false,
          modelFlagged, fraud));
    }
    for (String rule : shadowFired) {
      out.collect(LabelledDecision.ofRule(modelVersion, Segmenter.ALL, decisionTime, ruleSetVersion, rule, true,
          modelFlagged, fraud));
    }
  }
}
