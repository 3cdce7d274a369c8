package dev.riskstream.job.operators;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.PendingTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.RecentTransactionIds;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
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
 * Per card: de-duplicates the transaction, computes its features from the card's history, then adds
 * it to the history ({@link CardFeatures#arrive}, whose comment defines the semantics).
 *
 * <p>De-duplication: a transaction whose transactionId the card was already seen with, within the
 * horizon of event time after the first one's, becomes a dead letter (DUPLICATE) pointing at the
 * repeat's Kafka record, rather than a silent drop, so that a producer's retries and replays can be
 * audited; scoring it would count the card's spending twice and decide one transaction twice. A
 * repeated transactionId carries the same card, so the ids live with the card: one keyed operator
 * instead of a shuffle by transactionId before this one, which would also deliver a card's
 * transactions from several upstream subtasks and so in an order that no longer is the order its
 * partition delivered them. A card keeps its {@value #RECENT_IDS} most recent ids in one value read
 * with the transaction ({@code recent-transaction-ids}), older ones of a busier card in a map with a
 * timer each ({@code seen-transaction-ids}, where earlier releases kept every id). An id is forgotten
 * once the watermark reaches its first event time plus the horizon, rounded up to the expiry
 * resolution: the recent ones as the card's next transaction or timer finds them so, the others by
 * their timers. In event time, so a replay after recovery de-duplicates alike however long after the
 * snapshot it restores; Flink's state TTL counts processing time only. A repeat after the horizon is
 * treated as new.
 *
 * <p>In {@link FeatureOrdering#ARRIVAL} mode, the default, every transaction is decided when it
 * arrives, with the history as it stands then: nothing waits for a watermark or for later traffic.
 * One that arrives behind a newer transaction of its card (its event time before the latest in the
 * history) is decided at once too, takes its event-time place in the history, and is counted in the
 * metric {@value #LATE_TRANSACTIONS}.
 *
 * <p>In {@link FeatureOrdering#EVENT_TIME} mode a transaction first waits in keyed state until the
 * watermark passes its event time (an event-time timer at that time), and the card's waiting
 * transactions are then processed in event-time order, a card's transactions at the same millisecond
 * in transactionId order. A transaction already behind the watermark cannot be put in order any
 * more; it is processed at once and counted as late. No transaction waits longer than a maximum wait
 * in processing time: when the watermark stalls (the input pauses, a partition idles), a
 * processing-time timer processes, in event-time order, the card's transactions that have waited
 * that long and every earlier one. Batch inference over files runs this mode, since a file records
 * no arrival order.
 *
 * <p>The history of a card expires one longest-horizon after its latest transaction, in event time,
 * through a cleanup timer, so idle cards cost nothing; a transaction after that time never sees it,
 * even where the timer has not fired yet.
 *
 * <p>Timers live in RocksDB, where each registration and each firing is a write: a card has one
 * cleanup timer, set when the card gets a history and moved on to the card's expiry when it fires
 * while the card has been used since, and in event-time mode one release timer per distinct waiting
 * event time and a maximum-wait timer per waiting transaction; ids beyond the recent ones one timer
 * each (a card after its history has gone, one for its recent ids). Cleanup and forgetting timers of
 * earlier releases (one per transaction) may still fire after a restore from their savepoints; each
 * checks the card's state before it acts.
 */
public final class CardFeatureEnricher
    extends KeyedProcessFunction<String, ParsedTransaction, EnrichedTransaction> {

  /** How many of its ids a card keeps in its recent ids; most cards make far fewer transactions an hour. */
  static final int RECENT_IDS = 64;
  /** Maximum-wait timers are rounded up to this, so that a card's transactions arriving within it share one. */
  static final long MAX_WAIT_TIMER_RESOLUTION_MS = 100;
  public static final String LATE_TRANSACTIONS = "lateTransactions";
  private static final Comparator<PendingTransaction> BY_TRANSACTION_ID =
      Comparator.comparing(waiting -> waiting.transaction.getTransactionId());

  private final FeatureOrdering ordering;
  private final long maxWaitMs;
  private final long dedupHorizonMs;

  private transient ValueState<CardState> history;
  private transient MapState<Long, List<PendingTransaction>> pending;
  private transient ValueState<Long> cleanupTimer;
  private transient ValueState<RecentTransactionIds> recentIds;
  private transient MapState<String, Long> seenIds;
  private transient DeadLetters deadLetters;
  private transient CardFeatures features;
  private transient CurrencyRates rates;
  private transient Counter lateTransactions;

  public CardFeatureEnricher(FeatureOrdering ordering, Duration maxWait, Duration dedupHorizon) {
    this.ordering = ordering;
    this.maxWaitMs = maxWait.toMillis();
    this.dedupHorizonMs = dedupHorizon.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    history = getRuntimeContext().getState(PipelineState.cardHistory());
    pending = getRuntimeContext().getMapState(PipelineState.pendingTransactions());
    cleanupTimer = getRuntimeContext().getState(PipelineState.cardCleanupTimer());
    recentIds = getRuntimeContext().getState(PipelineState.recentTransactionIds());
    seenIds = getRuntimeContext().getMapState(PipelineState.seenTransactionIds());
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
    features = new CardFeatures();
    rates = CurrencyRates.bundled();
    lateTransactions = getRuntimeContext().getMetricGroup().counter(LATE_TRANSACTIONS);
  }

  @Override
  public void processElement(ParsedTransaction parsed, Context ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    if (isRepeat(parsed, ctx)) {
      return;
    }
    if (ordering == FeatureOrdering.ARRIVAL) {
      enrich(parsed.transaction, parsed.receivedAt, ctx.timerService(), out);
      return;
    }
    long t = parsed.transaction.getEventTime().toEpochMilli();
    if (t <= ctx.timerService().currentWatermark()) {
      lateTransactions.inc();
      enrich(parsed.transaction, parsed.receivedAt, ctx.timerService(), out);
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    List<PendingTransaction> atSameTime = pending.get(t);
    if (atSameTime == null) {
      atSameTime = new ArrayList<>(1);
      ctx.timerService().registerEventTimeTimer(t);
    }
    atSameTime.add(new PendingTransaction(parsed.transaction, now, parsed.receivedAt));
    pending.put(t, atSameTime);
    // one per transaction: a timer per card would need the card's state read for every transaction
    // to know whether it has one, which costs more than the timer when cards are used seldom
    ctx.timerService().registerProcessingTimeTimer(roundUp(now + maxWaitMs, MAX_WAIT_TIMER_RESOLUTION_MS));
  }

  /** Whether the card was seen with this transactionId within the horizon: then a dead letter, else remembered. */
  private boolean isRepeat(ParsedTransaction parsed, Context ctx) throws Exception {
    String id = parsed.transaction.getTransactionId();
    long watermark = ctx.timerService().currentWatermark();
    RecentTransactionIds recent = recentIds.value();
    Long first = recent == null ? null : recent.firstSeenOf(id);
    if (first == null || isForgotten(first, watermark)) {
      first = seenIds.get(id);
    }
    if (first != null) {
      ctx.output(DeadLetters.TAG, deadLetters.letter(parsed.topic, parsed.partition, parsed.offset,
          DeadLetterReason.DUPLICATE, "transactionId '" + id + "' was first seen with eventTime "
              + Instant.ofEpochMilli(first) + ", within the de-duplication horizon " + Duration.ofMillis(dedupHorizonMs)
              + "; the record is at the coordinates above",
          "", parsed.payloadSize, ctx.timerService().currentProcessingTime()));
      return true;
    }
    RecentTransactionIds kept = recent == null ? RecentTransactionIds.none()
        : recent.without(seen -> isForgotten(seen, watermark));
    if (kept.size() == RECENT_IDS) {
      long oldest = kept.firstSeen[0];
      seenIds.put(kept.ids[0], oldest);
      ctx.timerService().registerEventTimeTimer(forgetAt(oldest));
      kept = kept.withoutOldest();
    }
    recentIds.update(kept.with(id, parsed.transaction.getEventTime().toEpochMilli()));
    return false;
  }

  /** When an id first seen at {@code firstSeen} is forgotten: the horizon after it, rounded up to the expiry resolution. */
  private long forgetAt(long firstSeen) {
    return roundUp(firstSeen + dedupHorizonMs - 1, CardFeatures.EXPIRY_RESOLUTION_MS);
  }

  private boolean isForgotten(long firstSeen, long watermark) {
    return forgetAt(firstSeen) <= watermark;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTransaction> out)
      throws Exception {
    if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
      processWaitedTooLong(timestamp, ctx.timerService(), out);
      return;
    }
    if (ordering == FeatureOrdering.EVENT_TIME) {
      // event-time timers fire in timestamp order and every waiting time has its own, so only this
      // time is due
      processPendingAt(timestamp, ctx.timerService(), out);
    }
    // cleanup and forgetting timers are at whole multiples of the resolution, so most release timers
    // need not look
    if (timestamp % CardFeatures.EXPIRY_RESOLUTION_MS == 0) {
      if (isCleanupTime(timestamp)) {
        expireOrPostpone(timestamp, ctx.timerService());
      }
      forgetIdsSeenBefore(timestamp - dedupHorizonMs);
      forgetRecentIds(timestamp, ctx.timerService());
    }
  }

  /**
   * Forgets the recent ids due by {@code timestamp}; where some remain after the card's history has
   * gone (a horizon longer than the history's), a timer comes back for them.
   */
  private void forgetRecentIds(long timestamp, TimerService timers) throws Exception {
    RecentTransactionIds recent = recentIds.value();
    if (recent == null) {
      return;
    }
    RecentTransactionIds kept = recent.without(seen -> isForgotten(seen, timestamp));
    if (kept.size() == 0) {
      recentIds.clear();
      return;
    }
    if (kept != recent) {
      recentIds.update(kept);
    }
    if (cleanupTimer.value() == null) {
      timers.registerEventTimeTimer(forgetAt(kept.earliest()));
    }
  }

  /** Forgets the card's transactionIds kept beyond its recent ones and first seen at or before {@code time}. */
  private void forgetIdsSeenBefore(long time) throws Exception {
    List<String> forgotten = new ArrayList<>();
    for (Map.Entry<String, Long> seen : seenIds.entries()) {
      if (seen.getValue() <= time) {
        forgotten.add(seen.getKey());
      }
    }
    for (String id : forgotten) {
      seenIds.remove(id);
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
        enrich(waiting.transaction, waiting.receivedAt, timers, out);
      }
    }
  }

  private void enrich(Transaction tx, long receivedAt, TimerService timers, Collector<EnrichedTransaction> out)
      throws Exception {
    CardState stored = history.value();
    if (ordering == FeatureOrdering.ARRIVAL && stored != null
        && tx.getEventTime().toEpochMilli() < stored.getLastEventTime()) {
      lateTransactions.inc();
    }
    // validated upstream: every currency that reaches this operator has a rate
    double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
    // a history its cleanup timer would have cleared before this transaction's time is gone, also
    // when that timer has not fired yet (batch execution fires a card's timers only after all its
    // transactions)
    CardFeatures.Arrival arrival = features.arrive(stored, tx, amountBase);
    EnrichedTransaction enriched = new EnrichedTransaction(tx, arrival.features());
    enriched.receivedAt = receivedAt;
    out.collect(enriched);
    history.update(arrival.history());
    if (stored == null) {
      // a stored history already has its cleanup timer, which moves itself on when it fires
      setCleanupTimer(CardFeatures.expiresAt(arrival.history().getLastEventTime()), timers);
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
