package dev.riskstream.job.operators;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per card: computes the transaction's features from the card's history, then adds the transaction
 * to it. The history of a card expires one longest-horizon after its latest transaction, in event
 * time, through a cleanup timer, so idle cards cost nothing.
 */
public final class CardFeatureEnricher
    extends KeyedProcessFunction<String, Transaction, EnrichedTransaction> {

  /** Cleanup timers are rounded up to this, so a burst on one card registers few timers. */
  static final long CLEANUP_TIMER_RESOLUTION_MS = 60_000;

  private transient ValueState<CardState> history;
  private transient CardFeatures features;
  private transient CurrencyRates rates;

  @Override
  public void open(OpenContext openContext) {
    history = getRuntimeContext().getState(PipelineState.cardHistory());
    features = new CardFeatures();
    rates = CurrencyRates.bundled();
  }

  @Override
  public void processElement(Transaction tx, Context ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    CardState card = history.value();
    if (card == null) {
      card = CardFeatures.emptyHistory();
    }
    // validated upstream: every currency that reaches this operator has a rate
    double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
    out.collect(new EnrichedTransaction(tx, features.extract(tx, amountBase, card)));

    CardFeatures.remember(card, tx, amountBase);
    history.update(card);
    ctx.timerService().registerEventTimeTimer(cleanupTime(card.getLastEventTime()));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    CardState card = history.value();
    if (card != null && cleanupTime(card.getLastEventTime()) <= timestamp) {
      history.clear();
    }
  }

  static long cleanupTime(long lastEventTime) {
    long expiry = lastEventTime + CardFeatures.LONGEST_HORIZON_MS;
    return (expiry / CLEANUP_TIMER_RESOLUTION_MS + 1) * CLEANUP_TIMER_RESOLUTION_MS;
  }
}
