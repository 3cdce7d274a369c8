package dev.riskstream.job.performance;

import dev.riskstream.features.estimation.ExpectedCounts;
import dev.riskstream.features.estimation.ScoreBins;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.RulePerformance;
import java.util.Arrays;
import java.util.List;

/**
 * What realised performance is computed from: per class, how many labelled decisions fell in each of
 * the {@link ScoreBins}, and how many were flagged (review or decline) and declined. Every field is a
 * sum, so counts of parts of a window add up to the counts of the whole; beside them, the labelled
 * hits of each rule, and what the same decisions' performance was estimated to be from their scores.
 * A Flink POJO.
 *
 * <p>ROC AUC from bins is the trapezoid under the ROC curve through the bin edges: a fraud and a
 * legitimate decision in the same bin count as half concordant, whatever their exact scores. It
 * differs from the exact AUC by at most half the share of fraud-legitimate pairs that share a bin
 * (sum of fraud_i * legitimate_i over 2 * frauds * legitimates), and equals it when the scores within
 * each bin are equal. Bins are 0.01 wide; a model that puts most legitimate and some fraud scores
 * below 0.01 makes the bound loose there.
 */
public class PerformanceCounts {

  public long[] fraudByScoreBin = new long[ScoreBins.COUNT];
  public long[] legitimateByScoreBin = new long[ScoreBins.COUNT];
  /** Decisions at or above the review threshold: outcome REVIEW or DECLINE. */
  public long flagged;
  public long fraudFlagged;
  public long declined;
  public long fraudDeclined;
  /** Of the labelled, the would-be decisions of the version scoring in shadow. */
  public long shadowLabelled;
  /** Of those, the ones with the outcome the deciding version gave. */
  public long outcomeAgreements;
  /** The rules that fired for labelled decisions, in the order they first did. */
  public RuleCounts[] rules = new RuleCounts[0];
  /** The model's expected counts of the labelled decisions; null without a calibration. */
  public ExpectedCounts expected;

  public void add(LabelledDecision decision) {
    if (decision.isRuleHit()) {
      ruleCounts(decision).add(decision);
      return;
    }
    add(decision.score, decision.outcome, decision.fraud);
    if (decision.shadow) {
      shadowLabelled++;
      outcomeAgreements += decision.agreesWithDecision() ? 1 : 0;
    }
  }

  public void add(double score, Outcome outcome, boolean fraud) {
    (fraud ? fraudByScoreBin : legitimateByScoreBin)[ScoreBins.of(score)]++;
    if (outcome == Outcome.REVIEW || outcome == Outcome.DECLINE) {
      flagged++;
      fraudFlagged += fraud ? 1 : 0;
    }
    if (outcome == Outcome.DECLINE) {
      declined++;
      fraudDeclined += fraud ? 1 : 0;
    }
  }

  /** Adds every count of {@code other}, its rules' too. */
  public void add(PerformanceCounts other) {
    for (int i = 0; i < ScoreBins.COUNT; i++) {
      fraudByScoreBin[i] += other.fraudByScoreBin[i];
      legitimateByScoreBin[i] += other.legitimateByScoreBin[i];
    }
    flagged += other.flagged;
    fraudFlagged += other.fraudFlagged;
    declined += other.declined;
    fraudDeclined += other.fraudDeclined;
    shadowLabelled += other.shadowLabelled;
    outcomeAgreements += other.outcomeAgreements;
    for (RuleCounts rule : other.rules) {
      ruleCounts(rule.ruleSetVersion, rule.ruleId, rule.shadow).add(rule);
    }
    expected = ExpectedCounts.merged(expected, other.expected);
  }

  private RuleCounts ruleCounts(LabelledDecision hit) {
    return ruleCounts(hit.ruleSetVersion, hit.ruleId, hit.ruleShadow);
  }

  private RuleCounts ruleCounts(String ruleSetVersion, String ruleId, boolean shadow) {
    for (RuleCounts rule : rules) {
      if (rule.ruleSetVersion.equals(ruleSetVersion) && rule.ruleId.equals(ruleId) && rule.shadow == shadow) {
        return rule;
      }
    }
    rules = Arrays.copyOf(rules, rules.length + 1);
    rules[rules.length - 1] = new RuleCounts(ruleSetVersion, ruleId, shadow);
    return rules[rules.length - 1];
  }

  /** Each rule's realised performance. */
  public List<RulePerformance> rulePerformance() {
    return Arrays.stream(rules).map(RuleCounts::report).toList();
  }

  public long labelled() {
    return frauds() + sum(legitimateByScoreBin);
  }

  public long frauds() {
    return sum(fraudByScoreBin);
  }

  /** Null when nothing was flagged. */
  public Double reviewPrecision() {
    return ratio(fraudFlagged, flagged);
  }

  /** Null when no fraud was labelled. */
  public Double reviewRecall() {
    return ratio(fraudFlagged, frauds());
  }

  /** Null when nothing was declined. */
  public Double declinePrecision() {
    return ratio(fraudDeclined, declined);
  }

  /** Null when no fraud was labelled. */
  public Double declineRecall() {
    return ratio(fraudDeclined, frauds());
  }

  /** The probability that a fraud scores above a legitimate decision, ties half; null unless both were labelled. */
  public Double rocAuc() {
    return ScoreBins.rocAuc(Arrays.stream(fraudByScoreBin).asDoubleStream().toArray(),
        Arrays.stream(legitimateByScoreBin).asDoubleStream().toArray());
  }

  private static Double ratio(long part, long whole) {
    return whole == 0 ? null : part / (double) whole;
  }

  private static long sum(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }
}
