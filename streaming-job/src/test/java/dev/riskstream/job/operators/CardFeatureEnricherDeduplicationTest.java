package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.RecentTransactionIds;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The card features operator's de-duplication: one card's transactions, some sent again. */
class CardFeatureEnricherDeduplicationTest {

  private static final Duration HORIZON = Duration.ofHours(1);
  private static final String CARD = "card-a";

  private KeyedOneInputStreamOperatorTestHarness<String, ParsedTransaction, EnrichedTransaction> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, ParsedTransaction, EnrichedTransaction> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    return harness(restoreFrom, HORIZON);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, ParsedTransaction, EnrichedTransaction> harness(
      OperatorSubtaskState restoreFrom, Duration horizon) throws Exception {
    CardFeatureEnricher enricher = new CardFeatureEnricher(FeatureOrdering.ARRIVAL, Duration.ofSeconds(10), horizon);
    return Harnesses.open(
        new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(enricher),
            (ParsedTransaction parsed) -> parsed.transaction.getCardNumber(), Types.STRING),
        stateBackend(), restoreFrom);
  }

  /** RocksDB here, the heap in {@link CardFeatureEnricherDeduplicationOnHeapTest}: see {@link Harnesses}. */
  StateBackend stateBackend() {
    return new EmbeddedRocksDBStateBackend();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(long offset, String transactionId, Instant eventTime) throws Exception {
    Transaction tx = TestData.transaction((int) offset).setTransactionId(transactionId).setCardNumber(CARD)
        .setEventTime(eventTime).build();
    harness.processElement(new ParsedTransaction("transactions", 2, offset, 321, tx, 0), eventTime.toEpochMilli());
  }

  private List<String> passedIds() {
    return harness.extractOutputValues().stream().map(enriched -> enriched.transaction.getTransactionId()).toList();
  }

  private List<DeadLetter> deadLetters() {
    var letters = harness.getSideOutput(DeadLetters.TAG);
    return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
  }

  /** The ids the card keeps: its recent ones, oldest first, then those beyond them. */
  private List<String> idsKept() throws Exception {
    var backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(CARD);
    RecentTransactionIds recent = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, PipelineState.recentTransactionIds()).value();
    List<String> ids = new ArrayList<>(recent == null ? List.of() : List.of(recent.ids));
    MapState<String, Long> beyond = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, PipelineState.seenTransactionIds());
    beyond.keys().forEach(ids::add);
    return ids;
  }

  @Test
  void aRepeatedTransactionIdWithinTheHorizonBecomesADeadLetterAndOthersPass() throws Exception {
    Instant t0 = TestData.START;
    send(1, "tx-a", t0);
    send(2, "tx-b", t0.plusSeconds(1));
    send(3, "tx-a", t0.plusSeconds(2)); // a producer's retry
    send(4, "tx-c", t0.plusSeconds(3));
    send(5, "tx-a", t0.minusSeconds(5)); // a replay, earlier event time: still the same transaction

    assertThat(passedIds()).containsExactly("tx-a", "tx-b", "tx-c");
    assertThat(deadLetters()).extracting(DeadLetter::getOffset).containsExactly(3L, 5L);
    assertThat(deadLetters()).allSatisfy(letter -> {
      assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DUPLICATE);
      assertThat(letter.getSourceTopic()).isEqualTo("transactions");
      assertThat(letter.getPartition()).isEqualTo(2);
      assertThat(letter.getPayloadSize()).isEqualTo(321);
      assertThat(letter.getPayloadPreview()).isEmpty();
      assertThat(letter.getErrorMessage()).contains("tx-a").contains(t0.toString());
    });
  }

  @Test
  void idsAreForgottenOnceTheWatermarkPassesTheHorizonAndALaterRepeatCountsAsNew() throws Exception {
    Instant t0 = TestData.START;
    send(1, "tx-a", t0);
    send(2, "tx-b", t0.plusSeconds(600));
    assertThat(idsKept()).containsExactly("tx-a", "tx-b");
    assertThat(harness.numEventTimeTimers()).as("the card's cleanup timer alone: the ids are kept with the card")
        .isEqualTo(1);

    harness.processWatermark(t0.plus(HORIZON).toEpochMilli() - 1);
    send(3, "tx-a", t0.plusSeconds(1));
    assertThat(deadLetters()).as("still within the horizon").hasSize(1);

    harness.processWatermark(t0.plus(HORIZON).toEpochMilli());
    send(4, "tx-a", t0.plus(HORIZON).plusSeconds(1));
    assertThat(passedIds()).containsExactly("tx-a", "tx-b", "tx-a");
    assertThat(idsKept()).as("the first tx-a forgotten as the second came").containsExactly("tx-b", "tx-a");

    harness.processWatermark(Long.MAX_VALUE);
    assertThat(idsKept()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aCardBusierThanItsRecentIdsKeepsTheOlderOnesWithATimerEachAndForgetsThemAlike() throws Exception {
    Instant t0 = TestData.START;
    int sent = CardFeatureEnricher.RECENT_IDS + 2;
    for (int i = 0; i < sent; i++) {
      send(i, "tx-" + i, t0.plusSeconds(i));
    }
    for (int i = 0; i < sent; i++) {
      send(sent + i, "tx-" + i, t0.plusSeconds(i));
    }
    assertThat(passedIds()).hasSize(sent);
    assertThat(deadLetters()).as("every repeat, whether its id is a recent one or an older one").hasSize(sent);
    assertThat(idsKept()).hasSize(sent).startsWith("tx-2").endsWith("tx-0", "tx-1");
    assertThat(harness.numEventTimeTimers()).as("the cleanup timer and one for each older id").isEqualTo(3);

    harness.processWatermark(t0.plus(HORIZON).plus(Duration.ofMinutes(2)).toEpochMilli());
    send(2 * sent, "tx-0", t0.plus(HORIZON).plus(Duration.ofMinutes(2)));
    assertThat(passedIds()).as("forgotten, so new").hasSize(sent + 1);

    harness.processWatermark(Long.MAX_VALUE);
    assertThat(idsKept()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  /** A horizon longer than a card's history lasts: its ids outlive the history, with a timer of their own. */
  @Test
  void idsOfAHorizonLongerThanTheCardsHistoryAreKeptAfterItAndThenForgotten() throws Exception {
    harness.close();
    harness = harness(null, Duration.ofDays(3));
    Instant t0 = TestData.START;
    send(1, "tx-a", t0);
    harness.processWatermark(t0.plus(Duration.ofDays(2)).toEpochMilli());
    assertThat(idsKept()).containsExactly("tx-a");
    assertThat(harness.numEventTimeTimers()).as("the history gone, one timer for the ids").isEqualTo(1);

    send(2, "tx-a", t0);
    assertThat(deadLetters()).extracting(DeadLetter::getOffset).containsExactly(2L);
    harness.processWatermark(t0.plus(Duration.ofDays(3)).toEpochMilli());
    assertThat(idsKept()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aRestoreKeepsTheIdsSeenSoRecoveryStillDeduplicates() throws Exception {
    Instant t0 = TestData.START;
    restoreAfterSeeing("tx-a", t0);
    send(2, "tx-a", t0.plusSeconds(1));
    send(3, "tx-b", t0.plusSeconds(2));
    assertThat(passedIds()).containsExactly("tx-b");
    assertThat(deadLetters()).extracting(DeadLetter::getOffset).containsExactly(2L);

    harness.processWatermark(t0.plus(HORIZON).toEpochMilli());
    send(4, "tx-a", t0.plus(HORIZON));
    assertThat(passedIds()).as("the restored id forgotten after its horizon").containsExactly("tx-b", "tx-a");
  }

  @Test
  void idsExpireInEventTimeOnlySoARestoreADayLaterStillDeduplicates() throws Exception {
    Instant t0 = TestData.START;
    restoreAfterSeeing("tx-a", t0);
    long dayLater = Duration.ofDays(1).toMillis();
    harness.setProcessingTime(dayLater);
    harness.setStateTtlProcessingTime(dayLater);
    send(2, "tx-a", t0.plusSeconds(1));
    assertThat(passedIds()).isEmpty();
    assertThat(deadLetters()).extracting(DeadLetter::getOffset).containsExactly(2L);
  }

  /** Sends {@code id} at {@code eventTime} as offset 1, then restores the operator from a snapshot taken after it. */
  private void restoreAfterSeeing(String id, Instant eventTime) throws Exception {
    send(1, id, eventTime);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = harness(snapshot);
  }
}
