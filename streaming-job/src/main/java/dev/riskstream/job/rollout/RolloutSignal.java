package dev.riskstream.job.rollout;

/**
 * One piece of evidence on a candidate, a window's worth: the guardrail counts of the transactions
 * it scored in shadow, or the labelled ones among them. A Flink POJO with exactly one of the two set.
 */
public class RolloutSignal {

  public GuardrailCounts window;
  public LabelledPairs labelled;

  public RolloutSignal() {}

  public static RolloutSignal of(GuardrailCounts window) {
    RolloutSignal signal = new RolloutSignal();
    signal.window = window;
    return signal;
  }

  public static RolloutSignal of(LabelledPairs labelled) {
    RolloutSignal signal = new RolloutSignal();
    signal.labelled = labelled;
    return signal;
  }

  /** The candidate the evidence is about. */
  public String candidateVersion() {
    return window != null ? window.candidateVersion : labelled.candidateVersion;
  }
}
