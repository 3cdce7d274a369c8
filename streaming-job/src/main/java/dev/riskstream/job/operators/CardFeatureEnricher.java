package dev.riskstream.job.operators;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.PipelineState;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per card: computes the transaction's features from the card's history, then adds the transaction
 * to it.
 *
 * <p>In {@link FeatureOrdering#EVENT_TIME} mode a transaction first waits in keyed state until the
 * watermark passes its event time (an event-time timer at that time), and the card's waiting
 * transactions are then processed in event-time order. So any arrival order within the watermark's
 * bound gives the features that training's event-time replay computes. A transaction already behind
 * the watermark cannot be put in order any more; it is processed at once rather than dropped, and
 * counted in the metric {@value #LATE_TRANSACTIONS}. In {@link FeatureOrdering#ARRIVAL} mode every
 * transaction is processed when it arrives.
 *
 * <p>The history of a card expires one longest-horizon after its latest transaction, in event time,
 * through a cleanup timer, so idle cards cost nothing.
 */
public final class CardFeatureEnricher
    extends KeyedProcessFunction<String, Transaction, EnrichedTransaction> {

  /** Cleanup timers are rounded up to this, so a burst on one card registers few timers. */
  static final long CLEANUP_TIMER_RESOLUTION_MS = 60_000;
  public static final String LATE_TRANSACTIONS = "lateTransactions";

  private final FeatureOrdering ordering;

  private transient ValueState<CardState> history;
  private transient MapState<Long, List<Transaction>> pending;
  private transient CardFeatures features;
  private transient CurrencyRates rates;
  private transient Counter lateTransactions;

  public CardFeatureEnricher(FeatureOrdering ordering) {
    this.ordering = ordering;
  }

  @Override
  public void open(OpenContext openContext) {
    history = getRuntimeContext().getState(PipelineState.cardHistory());
    pending = getRuntimeContext().getMapState(PipelineState.pendingTransactions());
    features = new CardFeatures();
    rates = CurrencyRates.bundled();
    lateTransactions = getRuntimeContext().getMetricGroup().counter(LATE_TRANSACTIONS);
  }

  @Override
  public void processElement(Transaction tx, Context ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    long t = tx.getEventTime().toEpochMilli();
    boolean late = t <= ctx.timerService().currentWatermark();
    if (late) {
      lateTransactions.inc();
    }
    if (ordering == FeatureOrdering.ARRIVAL || late) {
      enrich(tx, ctx.timerService(), out);
      return;
    }
    List<Transaction> atSameTime = pending.get(t);
    if (atSameTime == null) {
      atSameTime = new ArrayList<>(1);
    }
    atSameTime.add(tx);
    pending.put(t, atSameTime);
    ctx.timerService().registerEventTimeTimer(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    // timers fire in timestamp order and every waiting time has its own, so only this time is due
    List<Transaction> due = pending.get(timestamp);
    if (due != null) {
      pending.remove(timestamp);
      for (Transaction tx : due) {
        enrich(tx, ctx.timerService(), out);
      }
    }
    CardState card = history.value();
    if (card != null && cleanupTime(card.getLastEventTime()) <= timestamp) {
      history.clear();
    }
  }

  private void enrich(Transaction tx, TimerService timers, Collector<EnrichedTransaction> out)
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
    timers.registerEventTimeTimer(cleanupTime(card.getLastEventTime()));
  }

  /** For tests: the metric's count. */
  long lateTransactionCount() {
    return lateTransactions.getCount();
  }

  static long cleanupTime(long lastEventTime) {
    long expiry = lastEventTime + CardFeatures.LONGEST_HORIZON_MS;
    return (expiry / CLEANUP_TIMER_RESOLUTION_MS + 1) * CLEANUP_TIMER_RESOLUTION_MS;
  }
}
