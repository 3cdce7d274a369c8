package dev.riskstream.job.operators;

import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by transactionId: passes the first transaction with an id and turns every repeat within the
 * horizon into a dead letter (DUPLICATE) pointing at the repeat's Kafka record. A dead letter rather
 * than a silent drop, so that a producer's retries and replays can be audited; scoring the repeat
 * would count the card's spending twice and decide one transaction twice.
 *
 * <p>The horizon is event time from the first one's event time; an event-time timer then clears the
 * key, so the state holds about one horizon of ids and a replay after recovery de-duplicates alike,
 * however long after the snapshot it restores. Flink's state TTL would cost less than a timer per id
 * but counts processing time only: ids would also be forgotten one horizon of wall-clock time after
 * they were seen, so a restore from an older savepoint would score their repeats. A repeat after the
 * horizon is treated as new.
 */
public final class Deduplicate extends KeyedProcessFunction<String, ParsedTransaction, Transaction> {

  private final Duration horizon;
  private transient ValueState<Long> firstSeen;
  private transient DeadLetters deadLetters;

  public Deduplicate(Duration horizon) {
    this.horizon = horizon;
  }

  @Override
  public void open(OpenContext openContext) {
    firstSeen = getRuntimeContext().getState(PipelineState.transactionFirstSeen());
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(ParsedTransaction parsed, Context ctx, Collector<Transaction> out) throws Exception {
    long eventTime = parsed.transaction.getEventTime().toEpochMilli();
    Long first = firstSeen.value();
    if (first != null) {
      ctx.output(PipelineState.DEAD_LETTERS, deadLetters.letter(parsed.topic, parsed.partition, parsed.offset,
          DeadLetterReason.DUPLICATE, "transactionId '" + ctx.getCurrentKey() + "' was first seen with eventTime "
              + Instant.ofEpochMilli(first) + ", within the de-duplication horizon " + horizon
              + "; the record is at the coordinates above",
          "", parsed.payloadSize, ctx.timerService().currentProcessingTime()));
      return;
    }
    firstSeen.update(eventTime);
    ctx.timerService().registerEventTimeTimer(eventTime + horizon.toMillis());
    out.collect(parsed.transaction);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Transaction> out) {
    firstSeen.clear();
  }
}
