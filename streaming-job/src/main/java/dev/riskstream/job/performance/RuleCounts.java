package dev.riskstream.job.performance;

import dev.riskstream.schemas.RulePerformance;

/** One rule's labelled hits in a performance window. A Flink POJO. */
public class RuleCounts {

  public String ruleSetVersion;
  public String ruleId;
  public boolean shadow;
  public long fired;
  public long frauds;
  public long fraudsModelMissed;

  public RuleCounts() {}

  RuleCounts(String ruleSetVersion, String ruleId, boolean shadow) {
    this.ruleSetVersion = ruleSetVersion;
    this.ruleId = ruleId;
    this.shadow = shadow;
  }

  void add(RuleCounts other) {
    fired += other.fired;
    frauds += other.frauds;
    fraudsModelMissed += other.fraudsModelMissed;
  }

  void add(LabelledDecision hit) {
    fired++;
    if (hit.fraud) {
      frauds++;
      fraudsModelMissed += hit.modelFlagged ? 0 : 1;
    }
  }

  RulePerformance report() {
    return new RulePerformance(ruleSetVersion, ruleId, shadow, fired, frauds, frauds / (double) fired,
        fraudsModelMissed);
  }
}
