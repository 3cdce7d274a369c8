package dev.riskstream.job.performance;

import dev.riskstream.schemas.Outcome;
import org.apache.flink.util.Collector;

/**
 * What realised performance needs of a decision, while it waits for its label: the outcome the
 * decisions topic got, the score, and the segments of its transaction; and the same of the would-be
 * decision of a model scoring in shadow, when one did. Internal to the job, so the
 * released {@code Decision} contract stays as it is, and smaller than a {@code Decision} in the
 * join's state, which holds every transaction for up to labels.ttl. A Flink POJO.
 */
public class SegmentedDecision implements AwaitingLabel {

  public String transactionId;
  public String modelVersion;
  /** Event time of the decided transaction. */
  public long decisionTime;
  public double score;
  public Outcome outcome;
  /** The segments its performance is counted in, {@code all} first. */
  public String[] segments;
  /** The version that scored in shadow, null when none did; then the shadow fields are unset. */
  public String shadowVersion;
  public double shadowScore;
  /** What the shadow version would have decided. */
  public Outcome shadowOutcome;
  /** The segments the shadow version's would-be decision is counted in. */
  public String[] shadowSegments;
  /** With a shadow: the amount in EUR at the bundled rates, for the fraud amount each version caught. */
  public double amountEur;

  public SegmentedDecision() {}

  public SegmentedDecision(String transactionId, String modelVersion, long decisionTime, double score,
      Outcome outcome, String[] segments) {
    this.transactionId = transactionId;
    this.modelVersion = modelVersion;
    this.decisionTime = decisionTime;
    this.score = score;
    this.outcome = outcome;
    this.segments = segments;
  }

  @Override
  public long decidedAt() {
    return decisionTime;
  }

  /**
   * One pair per segment of the decision, so that performance windows can be keyed by model version
   * and segment, and one per segment of the would-be decision of a version that scored it in shadow.
   */
  @Override
  public void pairWith(boolean fraud, Collector<LabelledDecision> out) {
    for (String segment : segments) {
      out.collect(new LabelledDecision(modelVersion, segment, decisionTime, score, outcome, fraud));
    }
    if (shadowVersion != null) {
      for (String segment : shadowSegments) {
        out.collect(LabelledDecision.ofShadow(shadowVersion, segment, decisionTime, shadowScore, shadowOutcome, fraud,
            score, outcome, amountEur));
      }
    }
  }
}
