package dev.riskstream.job.operators;

import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.job.performance.SegmentedDecision;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * The decision side of the label join: each scored transaction's decision with the segments its
 * realised performance is counted in. The outcome comes from {@link DecisionPolicy#outcome}, the
 * code that decides, so performance measures what the decisions topic got; the segments are the
 * ones drift monitoring judges for the version that scored ({@link DriftEvaluator#segmentsOf}), so
 * drift and performance reports name the same segments. A version without a reference profile has
 * no segments to share: its decisions count in {@code all} only. A version scoring in shadow gets its
 * would-be decision, from its own thresholds, and its own segments the same way, with the
 * transaction's amount in EUR for the fraud amount each version caught.
 */
public final class DecisionSegments extends RichMapFunction<EnrichedTransaction, SegmentedDecision> {

  private static final String[] ALL_ONLY = {Segmenter.ALL};

  private final ModelMonitors monitors;
  private transient CurrencyRates rates;

  public DecisionSegments(ModelMonitors monitors) {
    this.monitors = monitors;
  }

  @Override
  public void open(OpenContext openContext) {
    rates = CurrencyRates.bundled();
  }

  @Override
  public SegmentedDecision map(EnrichedTransaction tx) {
    SegmentedDecision decision = new SegmentedDecision(tx.transaction.getTransactionId(), tx.modelVersion,
        tx.transaction.getEventTime().toEpochMilli(), tx.score, DecisionPolicy.outcome(tx),
        segmentsOf(tx.modelVersion, tx));
    if (tx.shadowVersion != null) {
      decision.shadowVersion = tx.shadowVersion;
      decision.shadowScore = tx.shadowScore;
      decision.shadowOutcome = DecisionPolicy.outcome(tx.shadowScore, tx.shadowReviewThreshold, tx.shadowDeclineThreshold);
      decision.shadowSegments = segmentsOf(tx.shadowVersion, tx);
      decision.amountEur = rates.toBase(tx.transaction.getAmountMinor(), tx.transaction.getCurrency()).orElse(0.0);
    }
    return decision;
  }

  private String[] segmentsOf(String version, EnrichedTransaction tx) {
    return monitors.evaluatorOf(version).map(evaluator -> evaluator.segmentsOf(tx.transaction)).orElse(ALL_ONLY);
  }
}
