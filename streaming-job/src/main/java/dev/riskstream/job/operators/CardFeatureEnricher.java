package dev.riskstream.job.operators;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.PendingTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
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
 * bound gives the features that training's event-time replay computes; a card's transactions at the
 * same millisecond are processed in transactionId order. A transaction already behind
 * the watermark cannot be put in order any more; it is processed at once rather than dropped, and
 * counted in the metric {@value #LATE_TRANSACTIONS}. No transaction waits longer than a maximum wait
 * in processing time: when the watermark stalls (the input pauses, a partition idles), a
 * processing-time timer processes, in event-time order, the card's transactions that have waited
 * that long and every earlier one. In {@link FeatureOrdering#ARRIVAL} mode every transaction is
 * processed when it arrives.
 *
 * <p>The history of a card expires one longest-horizon after its latest transaction, in event time,
 * through a cleanup timer, so idle cards cost nothing; a transaction after that time never sees it,
 * even where the timer has not fired yet.
 *
 * <p>Timers live in RocksDB, where each registration and each firing is a write: a card has one
 * release timer per distinct waiting event time (it is what releases waiting transactions in order
 * as the watermark passes them), a maximum-wait timer per waiting transaction, and one cleanup timer,
 * set when the card gets a history and moved on to the card's expiry when it fires while the card
 * has been used since. Cleanup timers of earlier releases (one per transaction) may still fire after
 * a restore from their savepoints; each checks the card's state before it acts.
 */
public final class CardFeatureEnricher
    extends KeyedProcessFunction<String, Transaction, EnrichedTransaction> {

  /** Maximum-wait timers are rounded up to this, for the same reason. */
  static final long MAX_WAIT_TIMER_RESOLUTION_MS = 100;
  public static final String LATE_TRANSACTIONS = "lateTransactions";
  private static final Comparator<PendingTransaction> BY_TRANSACTION_ID =
      Comparator.comparing(waiting -> waiting.transaction.getTransactionId());

  private final FeatureOrdering ordering;
  private final long maxWaitMs;

  private transient ValueState<CardState> history;
  private transient MapState<Long, List<PendingTransaction>> pending;
  private transient ValueState<Long> cleanupTimer;
  private transient CardFeatures features;
  private transient CurrencyRates rates;
  private transient Counter lateTransactions;

  public CardFeatureEnricher(FeatureOrdering ordering, Duration maxWait) {
    this.ordering = ordering;
    this.maxWaitMs = maxWait.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    history = getRuntimeContext().getState(PipelineState.cardHistory());
    pending = getRuntimeContext().getMapState(PipelineState.pendingTransactions());
    cleanupTimer = getRuntimeContext().getState(PipelineState.cardCleanupTimer());
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
    long now = ctx.timerService().currentProcessingTime();
    List<PendingTransaction> atSameTime = pending.get(t);
    if (atSameTime == null) {
      atSameTime = new ArrayList<>(1);
      ctx.timerService().registerEventTimeTimer(t);
    }
    atSameTime.add(new PendingTransaction(tx, now));
    pending.put(t, atSameTime);
    // one per transaction: a timer per card would need the card's state read for every transaction
    // to know whether it has one, which costs more than the timer when cards are used seldom
    ctx.timerService().registerProcessingTimeTimer(roundUp(now + maxWaitMs, MAX_WAIT_TIMER_RESOLUTION_MS));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      processWaitedTooLong(timestamp, ctx.timerService(), out);
      return;
    }
    // event-time timers fire in timestamp order and every waiting time has its own, so only this
    // time is due
    processPendingAt(timestamp, ctx.timerService(), out);
    // cleanup timers are at expiry times, which are whole multiples of the resolution, so most
    // release timers need not look
    if (timestamp % CardFeatures.EXPIRY_RESOLUTION_MS == 0 && isCleanupTime(timestamp)) {
      expireOrPostpone(timestamp, ctx.timerService());
    }
  }

  /**
   * Whether {@code timestamp} is the card's cleanup time; for a history of an earlier release, which
   * kept no cleanup time, any may be.
   */
  private boolean isCleanupTime(long timestamp) throws Exception {
    Long cleanupAt = cleanupTimer.value();
    return cleanupAt == null ? history.value() != null : cleanupAt == timestamp;
  }

  private void expireOrPostpone(long timestamp, TimerService timers) throws Exception {
    long expiresAt = CardFeatures.expiresAt(history.value().getLastEventTime());
    if (expiresAt <= timestamp) {
      history.clear();
      cleanupTimer.clear();
    } else {
      setCleanupTimer(expiresAt, timers);
    }
  }

  private void setCleanupTimer(long at, TimerService timers) throws Exception {
    timers.registerEventTimeTimer(at);
    cleanupTimer.update(at);
  }

  /**
   * Processes, in event-time order, every waiting transaction up to the latest one (in event time)
   * that arrived {@code maxWait} or more before {@code now}.
   */
  private void processWaitedTooLong(long now, TimerService timers, Collector<EnrichedTransaction> out)
      throws Exception {
    List<Long> waitingTimes = new ArrayList<>();
    long dueUntil = Long.MIN_VALUE;
    for (Map.Entry<Long, List<PendingTransaction>> entry : pending.entries()) {
      waitingTimes.add(entry.getKey());
      for (PendingTransaction waiting : entry.getValue()) {
        if (waiting.arrivedAt + maxWaitMs <= now) {
          dueUntil = Math.max(dueUntil, entry.getKey());
        }
      }
    }
    Collections.sort(waitingTimes);
    for (long time : waitingTimes) {
      if (time > dueUntil) {
        break;
      }
      processPendingAt(time, timers, out);
    }
  }

  private void processPendingAt(long time, TimerService timers, Collector<EnrichedTransaction> out)
      throws Exception {
    List<PendingTransaction> due = pending.get(time);
    if (due != null) {
      pending.remove(time);
      // transactions of one card at the same millisecond: in an order that arrival cannot change, so
      // that batch inference, which sorts its input, sees the same history
      due.sort(BY_TRANSACTION_ID);
      for (PendingTransaction waiting : due) {
        enrich(waiting.transaction, timers, out);
      }
    }
  }

  private void enrich(Transaction tx, TimerService timers, Collector<EnrichedTransaction> out)
      throws Exception {
    // a history its cleanup timer would have cleared before this transaction's time is gone, also
    // when that timer has not fired: the transaction waited too long for the watermark, or batch
    // execution, which fires a card's timers only after all its transactions, ignores the timer
    CardState stored = history.value();
    CardState card = CardFeatures.historyAt(stored, tx.getEventTime().toEpochMilli());
    // validated upstream: every currency that reaches this operator has a rate
    double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
    out.collect(new EnrichedTransaction(tx, features.extract(tx, amountBase, card)));

    CardFeatures.remember(card, tx, amountBase);
    history.update(card);
    if (stored == null) {
      // a stored history already has its cleanup timer, which moves itself on when it fires
      setCleanupTimer(CardFeatures.expiresAt(card.getLastEventTime()), timers);
    }
  }

  /** For tests: the metric's count. */
  long lateTransactionCount() {
    return lateTransactions.getCount();
  }

  private static long roundUp(long time, long resolution) {
    return (time / resolution + 1) * resolution;
  }
}
