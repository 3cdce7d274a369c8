package dev.riskstream.job.operators;

import static dev.riskstream.features.spec.FeatureSpec.*;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Turns a score into approve, review or decline with the thresholds of the model that scored it, and explains
 * non-approvals with reason codes from the features that stand out, for the analyst who reviews them. A
 * transaction the model gave no probability for (its score is NaN, see
 * {@link dev.riskstream.job.scoring.RowBatch}) goes to review with the reason {@value #NO_MODEL_SCORE}:
 * without a score nothing is approved unseen. The time from reading a transaction to deciding it,
 * what an authorising application waits for, is the histogram {@code decisions.decisionLatencyMs}.
 */
public final class DecisionPolicy extends RichMapFunction<EnrichedTransaction, Decision> {

  static final String SCORE_DECLINE = "SCORE_ABOVE_DECLINE_THRESHOLD";
  static final String SCORE_REVIEW = "SCORE_ABOVE_REVIEW_THRESHOLD";
  static final String NO_MODEL_SCORE = "NO_MODEL_SCORE";

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;
  private static final int AMOUNT_TO_CARD_MEAN_AT = SPEC.requireIndex(AMOUNT_TO_CARD_MEAN);
  private static final int CARD_HISTORY_COUNT_LOG_AT = SPEC.requireIndex(CARD_HISTORY_COUNT_LOG);
  private static final int CARD_TX_COUNT_1H_AT = SPEC.requireIndex(CARD_TX_COUNT_1H);
  private static final int CARD_TX_COUNT_1M_AT = SPEC.requireIndex(CARD_TX_COUNT_1M);
  private static final int IS_NIGHT_AT = SPEC.requireIndex(IS_NIGHT);
  private static final int MCC_HIGH_RISK_AT = SPEC.requireIndex(MCC_HIGH_RISK);
  private static final int NEW_COUNTRY_FOR_CARD_AT = SPEC.requireIndex(NEW_COUNTRY_FOR_CARD);
  private static final int NEW_MERCHANT_FOR_CARD_AT = SPEC.requireIndex(NEW_MERCHANT_FOR_CARD);
  /**
   * Decisions the latency histogram keeps, as many as the scoring histograms: about 10 of them lie
   * above its p99, enough for a stable estimate, and under load they are the last second or less, so
   * a slowdown shows at the next scrape rather than diluted in minutes of history.
   */
  private static final int LATENCY_WINDOW = 1024;

  private transient Counter[] byOutcome;
  private transient Histogram latencyMs;

  @Override
  public void open(OpenContext openContext) {
    Outcome[] outcomes = Outcome.values();
    byOutcome = new Counter[outcomes.length];
    var group = getRuntimeContext().getMetricGroup().addGroup("decisions");
    for (Outcome outcome : outcomes) {
      byOutcome[outcome.ordinal()] = group.counter(outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
    latencyMs = group.histogram("decisionLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
  }

  @Override
  public Decision map(EnrichedTransaction tx) {
    // one clock reading, so the histogram measures what the decision says: decidedAt - receivedAt
    Instant now = Instant.now();
    Decision decision = decision(tx, now);
    byOutcome[decision.getOutcome().ordinal()].inc();
    if (decision.getReceivedAt() != null) {
      latencyMs.update(now.toEpochMilli() - tx.receivedAt);
    }
    return decision;
  }

  /** The decision for a scored transaction, decided now, as {@link #map} makes it, without metrics. */
  public static Decision decision(EnrichedTransaction tx) {
    return decision(tx, Instant.now());
  }

  private static Decision decision(EnrichedTransaction tx, Instant decidedAt) {
    Outcome outcome = outcome(tx);
    return Decision.newBuilder()
        .setTransactionId(tx.transaction.getTransactionId())
        .setCardToken(tx.transaction.getCardNumber())
        .setEventTime(tx.transaction.getEventTime())
        .setDecidedAt(decidedAt)
        // 0: the input did not say when it was read
        .setReceivedAt(tx.receivedAt == 0 ? null : Instant.ofEpochMilli(tx.receivedAt))
        .setScore(tx.score)
        .setOutcome(outcome)
        .setReasons(reasons(tx.score, outcome, tx.features))
        .setModelVersion(tx.modelVersion)
        .setExecutionProvider(tx.executionProvider)
        .setLookupStatus(tx.lookupStatus)
        .build();
  }

  /** The outcome of a scored transaction; {@link DecisionSegments} takes it from here for realised performance. */
  static Outcome outcome(EnrichedTransaction tx) {
    return outcome(tx.score, tx.reviewThreshold, tx.declineThreshold);
  }

  /** What a model with these thresholds decides for {@code score}; for a shadow's would-be decisions too. */
  static Outcome outcome(double score, double reviewThreshold, double declineThreshold) {
    if (Double.isNaN(score)) {
      return Outcome.REVIEW;
    }
    if (score >= declineThreshold) {
      return Outcome.DECLINE;
    }
    return score >= reviewThreshold ? Outcome.REVIEW : Outcome.APPROVE;
  }

  static List<String> reasons(double score, Outcome outcome, float[] features) {
    List<String> reasons = new ArrayList<>();
    if (outcome == Outcome.APPROVE) {
      return reasons;
    }
    reasons.add(Double.isNaN(score) ? NO_MODEL_SCORE : outcome == Outcome.DECLINE ? SCORE_DECLINE : SCORE_REVIEW);
    if (features[CARD_TX_COUNT_1M_AT] >= 3) {
      reasons.add("VELOCITY_1M");
    } else if (features[CARD_TX_COUNT_1H_AT] >= 10) {
      reasons.add("VELOCITY_1H");
    }
    if (features[AMOUNT_TO_CARD_MEAN_AT] >= 5) {
      reasons.add("AMOUNT_UNUSUAL_FOR_CARD");
    }
    if (features[NEW_COUNTRY_FOR_CARD_AT] > 0 && features[CARD_HISTORY_COUNT_LOG_AT] > 0) {
      reasons.add("NEW_COUNTRY_FOR_CARD");
    }
    if (features[NEW_MERCHANT_FOR_CARD_AT] > 0 && features[CARD_HISTORY_COUNT_LOG_AT] > 0) {
      reasons.add("NEW_MERCHANT_FOR_CARD");
    }
    if (features[IS_NIGHT_AT] > 0) {
      reasons.add("NIGHT_TIME");
    }
    if (features[MCC_HIGH_RISK_AT] > 0) {
      reasons.add("HIGH_RISK_MERCHANT_CATEGORY");
    }
    return reasons;
  }
}
