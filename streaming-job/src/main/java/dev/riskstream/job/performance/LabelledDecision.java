package dev.riskstream.job.performance;

import dev.riskstream.schemas.Outcome;

/**
 * A decision together with the truth about its transaction, as the label join pairs them, for one of
 * the segments it is counted in. A Flink POJO.
 */
public class LabelledDecision {

  public String modelVersion;
  public String segment;
  /** Event time of the decided transaction: performance windows are windows of decisions. */
  public long decisionTime;
  public double score;
  public Outcome outcome;
  public boolean fraud;

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
}
