package dev.riskstream.job.operators;

import static dev.riskstream.features.spec.FeatureSpec.*;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.rules.RuleVerdict;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns a score into approve, review or decline with the thresholds of the model that scored it, and explains
 * non-approvals with reason codes from the features that stand out, for the analyst who reviews them; with a
 * rule set, its rules have their say over the model's ({@link RuleVerdict}). A transaction the model gave no
 * probability for (its score is NaN, see {@link dev.riskstream.job.scoring.RowBatch}) goes to review with the
 * reason {@value #NO_MODEL_SCORE}: without a score nothing is approved unseen, unless an allow rule says so.
 * The rule set is fixed for the job's life; {@link RuleDecisions} takes rule sets published while it runs.
 * Metrics: {@link Decider}.
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

  /** The rule set's YAML, compiled when the submission was built; null: the model alone. */
  private final String ruleSet;
  private transient Decider decider;

  public DecisionPolicy() {
    this(null);
  }

  public DecisionPolicy(String ruleSet) {
    this.ruleSet = ruleSet;
  }

  @Override
  public void open(OpenContext openContext) throws InvalidRuleSetException {
    decider = new Decider(getRuntimeContext().getMetricGroup());
    decider.use(ruleSet == null ? null : RuleSetCompiler.compile(ruleSet));
  }

  @Override
  public Decision map(EnrichedTransaction tx) {
    return decider.decide(tx);
  }

  /** The decision for a scored transaction by the model alone, decided now, without metrics. */
  public static Decision decision(EnrichedTransaction tx) {
    return decision(tx, RuleVerdict.NONE, null, Instant.now());
  }

  /** The decision for a scored transaction under what a rule set made of it, as {@link Decider} makes it. */
  static Decision decision(EnrichedTransaction tx, RuleVerdict verdict, String ruleSetVersion, Instant decidedAt) {
    Outcome byModel = outcome(tx);
    return Decision.newBuilder()
        .setTransactionId(tx.transaction.getTransactionId())
        .setCardToken(tx.transaction.getCardNumber())
        .setEventTime(tx.transaction.getEventTime())
        .setDecidedAt(decidedAt)
        // 0: the input did not say when it was read
        .setReceivedAt(tx.receivedAt == 0 ? null : Instant.ofEpochMilli(tx.receivedAt))
        .setScore(tx.score)
        .setOutcome(verdict.outcome(byModel))
        .setReasons(verdict.reasons(byModel, reasons(tx.score, byModel, tx.features)))
        .setModelVersion(tx.modelVersion)
        .setExecutionProvider(tx.executionProvider)
        .setLookupStatus(tx.lookupStatus)
        .setRuleSetVersion(ruleSetVersion)
        .setRulesFired(verdict.firedIds())
        .setShadowRulesFired(verdict.shadowFiredIds())
        .build();
  }

  /**
   * The model's outcome for a scored transaction, before rules: {@link DecisionSegments} takes it from here for
   * the model's realised performance.
   */
  public static Outcome outcome(EnrichedTransaction tx) {
    return outcome(tx.score, tx.reviewThreshold, tx.declineThreshold);
  }

  /** What a model with these thresholds decides for {@code score}; for a shadow's would-be decisions too. */
  public static Outcome outcome(double score, double reviewThreshold, double declineThreshold) {
    if (Double.isNaN(score)) {
      return Outcome.REVIEW;
    }
    if (score >= declineThreshold) {
      return Outcome.DECLINE;
    }
    return score >= reviewThreshold ? Outcome.REVIEW : Outcome.APPROVE;
  }

  /**
   * Whether the model alone reviewed or declined a decision's transaction, whatever the rules made of
   * it: the model's reasons stay among a decision's reasons ({@link RuleVerdict#reasons}).
   */
  public static boolean modelFlagged(Decision decision) {
    for (CharSequence reason : decision.getReasons()) {
      String code = reason.toString();
      if (code.equals(SCORE_DECLINE) || code.equals(SCORE_REVIEW) || code.equals(NO_MODEL_SCORE)) {
        return true;
      }
    }
    return false;
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
