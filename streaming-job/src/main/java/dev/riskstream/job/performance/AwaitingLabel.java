package dev.riskstream.job.performance;

import org.apache.flink.util.Collector;

/** What waits in the label join for its transaction's label, and what it makes of the label. */
public interface AwaitingLabel {

  /** Event time of the decided transaction: how long it may wait is counted from it. */
  long decidedAt();

  /** The pairs of this decision and the truth about its transaction, for the performance windows. */
  void pairWith(boolean fraud, Collector<LabelledDecision> out);
}
