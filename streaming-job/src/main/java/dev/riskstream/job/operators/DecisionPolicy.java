package dev.riskstream.job.operators;

import static dev.riskstream.features.spec.FeatureSpec.*;

import dev.riskstream.features.bundle.ModelManifest.Thresholds;
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

/**
 * Turns a score into approve, review or decline with the bundle's thresholds, and explains
 * non-approvals with reason codes from the features that stand out, for the analyst who reviews them.
 */
public final class DecisionPolicy extends RichMapFunction<EnrichedTransaction, Decision> {

  static final String SCORE_DECLINE = "SCORE_ABOVE_DECLINE_THRESHOLD";
  static final String SCORE_REVIEW = "SCORE_ABOVE_REVIEW_THRESHOLD";

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;

  private final Thresholds thresholds;
  private transient Counter[] byOutcome;

  public DecisionPolicy(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public void open(OpenContext openContext) {
    Outcome[] outcomes = Outcome.values();
    byOutcome = new Counter[outcomes.length];
    var group = getRuntimeContext().getMetricGroup().addGroup("decisions");
    for (Outcome outcome : outcomes) {
      byOutcome[outcome.ordinal()] = group.counter(outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Override
  public Decision map(EnrichedTransaction tx) {
    Outcome outcome = outcome(tx.score);
    byOutcome[outcome.ordinal()].inc();
    return Decision.newBuilder()
        .setTransactionId(tx.transaction.getTransactionId())
        .setCardToken(tx.transaction.getCardNumber())
        .setEventTime(tx.transaction.getEventTime())
        .setDecidedAt(Instant.now())
        .setScore(tx.score)
        .setOutcome(outcome)
        .setReasons(reasons(outcome, tx.features))
        .setModelVersion(tx.modelVersion)
        .setExecutionProvider(tx.executionProvider)
        .setLookupStatus(tx.lookupStatus)
        .build();
  }

  Outcome outcome(double score) {
    if (score >= thresholds.decline()) {
      return Outcome.DECLINE;
    }
    return score >= thresholds.review() ? Outcome.REVIEW : Outcome.APPROVE;
  }

  static List<String> reasons(Outcome outcome, float[] features) {
    List<String> reasons = new ArrayList<>();
    if (outcome == Outcome.APPROVE) {
      return reasons;
    }
    reasons.add(outcome == Outcome.DECLINE ? SCORE_DECLINE : SCORE_REVIEW);
    if (value(features, CARD_TX_COUNT_1M) >= 3) {
      reasons.add("VELOCITY_1M");
    } else if (value(features, CARD_TX_COUNT_1H) >= 10) {
      reasons.add("VELOCITY_1H");
    }
    if (value(features, AMOUNT_TO_CARD_MEAN) >= 5) {
      reasons.add("AMOUNT_UNUSUAL_FOR_CARD");
    }
    if (value(features, NEW_COUNTRY_FOR_CARD) > 0 && value(features, CARD_HISTORY_COUNT_LOG) > 0) {
      reasons.add("NEW_COUNTRY_FOR_CARD");
    }
    if (value(features, NEW_MERCHANT_FOR_CARD) > 0 && value(features, CARD_HISTORY_COUNT_LOG) > 0) {
      reasons.add("NEW_MERCHANT_FOR_CARD");
    }
    if (value(features, IS_NIGHT) > 0) {
      reasons.add("NIGHT_TIME");
    }
    if (value(features, MCC_HIGH_RISK) > 0) {
      reasons.add("HIGH_RISK_MERCHANT_CATEGORY");
    }
    return reasons;
  }

  private static float value(float[] features, String name) {
    return features[SPEC.requireIndex(name)];
  }
}
