package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.golden.GoldenFeatures;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CardFeatureEnricherTest {

  /** As the job's default watermark strategy: watermark = highest event time seen - bound - 1 ms. */
  private static final long BOUND_MS = 5_000;

  private CardFeatureEnricher enricher;
  private KeyedOneInputStreamOperatorTestHarness<String, ParsedTransaction, EnrichedTransaction> harness;
  private long maxEventTime = Long.MIN_VALUE;

  private static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final long RECEIVED_AT = 1_700_000_000_123L;
  private static final Duration DEDUP_HORIZON = Duration.ofHours(1);

  private void open(FeatureOrdering ordering) throws Exception {
    enricher = new CardFeatureEnricher(ordering, MAX_WAIT, DEDUP_HORIZON);
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(enricher), CardFeatureEnricherTest::card, Types.STRING);
    Harnesses.open(harness, stateBackend(), null);
  }

  /** RocksDB here, the heap in {@link CardFeatureEnricherOnHeapTest}: see {@link Harnesses}. */
  StateBackend stateBackend() {
    return new EmbeddedRocksDBStateBackend();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Works on RocksDB too, unlike the harness's own count. */
  private long keysWith(String stateName) {
    try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend()
        .getKeys(stateName, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  private long cardsWithHistory() {
    return keysWith(PipelineState.cardHistory().getName());
  }

  private long cardsWithPendingTransactions() {
    return keysWith(PipelineState.pendingTransactions().getName());
  }

  private static String card(ParsedTransaction parsed) {
    return parsed.transaction.getCardNumber();
  }

  private void process(Transaction tx) throws Exception {
    harness.processElement(TestData.parsed(tx, RECEIVED_AT), tx.getEventTime().toEpochMilli());
  }

  /** Processes {@code tx}, then moves the watermark as a bounded-out-of-orderness source would. */
  private void arrive(Transaction tx) throws Exception {
    process(tx);
    maxEventTime = Math.max(maxEventTime, tx.getEventTime().toEpochMilli());
    harness.processWatermark(maxEventTime - BOUND_MS - 1);
  }

  private Map<String, float[]> featuresById() {
    Map<String, float[]> byId = new LinkedHashMap<>();
    harness.extractOutputValues().forEach(e -> byId.put(e.transaction.getTransactionId(), e.features));
    return byId;
  }

  private static float feature(EnrichedTransaction tx, String name) {
    return tx.features[FeatureSpec.CURRENT.requireIndex(name)];
  }

  @Test
  void featuresComeFromEachCardsOwnHistory() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction first = TestData.transaction(0).setCardNumber("card-a").build();
    Transaction second = TestData.transaction(1).setCardNumber("card-a").build();
    Transaction otherCard = TestData.transaction(2).setCardNumber("card-b").build();
    process(first);
    process(second);
    process(otherCard);
    harness.processWatermark(otherCard.getEventTime().toEpochMilli());

    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).extracting(e -> e.transaction.getTransactionId()).containsExactly("tx-0", "tx-1", "tx-2");
    assertThat(feature(out.get(0), FeatureSpec.CARD_TX_COUNT_1H)).isZero();
    assertThat(feature(out.get(1), FeatureSpec.CARD_TX_COUNT_1H)).isEqualTo(1f);
    assertThat(feature(out.get(2), FeatureSpec.CARD_TX_COUNT_1H)).isZero();
  }

  @Test
  void aCardsTransactionsAtTheSameMillisecondAreProcessedInTransactionIdOrderWhateverTheirArrival() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction later = TestData.transaction(2).setCardNumber("card-a").setEventTime(TestData.START).build();
    Transaction earlier = TestData.transaction(1).setCardNumber("card-a").setEventTime(TestData.START).build();
    process(later);
    process(earlier);
    harness.processWatermark(TestData.START.toEpochMilli());

    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).extracting(e -> e.transaction.getTransactionId()).containsExactly("tx-1", "tx-2");
    assertThat(feature(out.get(0), FeatureSpec.CARD_HISTORY_COUNT_LOG)).isZero();
    assertThat(feature(out.get(1), FeatureSpec.CARD_HISTORY_COUNT_LOG)).isPositive();
  }

  @Test
  void aTransactionAfterTheCleanupTimeSeesNoHistoryEvenBeforeTheCleanupTimerFires() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction first = TestData.transaction(0).setCardNumber("card-a").build();
    long afterCleanup = CardFeatures.expiresAt(first.getEventTime().toEpochMilli()) + 1;
    Transaction muchLater = TestData.transaction(1).setCardNumber("card-a")
        .setEventTime(java.time.Instant.ofEpochMilli(afterCleanup)).build();
    process(first);
    process(muchLater);
    // no watermark: both have waited too long, and the cleanup timer cannot fire before the second
    harness.setProcessingTime(MAX_WAIT.toMillis() + CardFeatureEnricher.MAX_WAIT_TIMER_RESOLUTION_MS);

    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).extracting(e -> e.transaction.getTransactionId()).containsExactly("tx-0", "tx-1");
    assertThat(feature(out.get(1), FeatureSpec.CARD_HISTORY_COUNT_LOG)).isZero();
  }

  @Test
  void eventTimeModeDecidesOnceTheWatermarkPassesATransaction() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction tx = TestData.transaction(0).build();
    long t = tx.getEventTime().toEpochMilli();
    process(tx);
    harness.processWatermark(t - 1);
    assertThat(harness.extractOutputValues()).as("waits for the watermark").isEmpty();
    assertThat(cardsWithPendingTransactions()).isEqualTo(1);

    harness.processWatermark(t);
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(harness.extractOutputStreamRecords().get(0).getTimestamp()).isEqualTo(t);
    assertThat(cardsWithPendingTransactions()).isZero();
  }

  @Test
  void arrivalModeDecidesAtOnceWithoutAnyWatermarkOrTimerOfItsOwn() throws Exception {
    open(FeatureOrdering.ARRIVAL);
    process(TestData.transaction(0).build());
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(harness.extractOutputValues().get(0).receivedAt).isEqualTo(RECEIVED_AT);
    assertThat(cardsWithPendingTransactions()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).as("the card's cleanup timer; its id is kept with it, no timer of its own")
        .isEqualTo(1);
  }

  @Test
  void aTransactionBehindNewerOnesOfItsCardIsDecidedAtOnceAndThenTakesItsEventTimePlace() throws Exception {
    open(FeatureOrdering.ARRIVAL);
    Instant start = TestData.START;
    Transaction newer = TestData.transaction(2).setCardNumber("card-a").setMerchantId("m-new")
        .setEventTime(start.plus(Duration.ofMinutes(10))).build();
    Transaction late = TestData.transaction(1).setCardNumber("card-a").setMerchantId("m-new")
        .setEventTime(start).build();
    Transaction next = TestData.transaction(3).setCardNumber("card-a")
        .setEventTime(start.plus(Duration.ofMinutes(11))).build();
    arrive(newer);
    // far behind the watermark too: arrival mode does not look at it
    harness.processWatermark(start.plus(Duration.ofHours(1)).toEpochMilli());
    process(late);
    assertThat(harness.extractOutputValues()).as("decided on arrival").hasSize(2);
    process(next);

    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).extracting(e -> e.transaction.getTransactionId()).containsExactly("tx-2", "tx-1", "tx-3");
    assertThat(enricher.lateTransactionCount()).isEqualTo(1);
    EnrichedTransaction decidedLate = out.get(1);
    assertThat(feature(decidedLate, FeatureSpec.CARD_TX_COUNT_24H)).as("windows hold only what happened before it")
        .isZero();
    assertThat(feature(decidedLate, FeatureSpec.NEW_MERCHANT_FOR_CARD)).as("novelty follows arrival").isZero();
    assertThat(feature(decidedLate, FeatureSpec.CARD_HISTORY_COUNT_LOG)).isEqualTo((float) Math.log1p(1));
    assertThat(feature(out.get(2), FeatureSpec.CARD_TX_COUNT_1H)).as("both earlier ones, the late one included")
        .isEqualTo(2f);
    assertThat(feature(out.get(2), FeatureSpec.CARD_TX_COUNT_1M)).as("the newer one, a minute before").isEqualTo(1f);
  }

  @Test
  void arrivalModeCleansUpIdleCardsAndEveryTimer() throws Exception {
    Map<String, float[]> served = run(FeatureOrdering.ARRIVAL, shuffledWithin(burstyCards(), BOUND_MS, new Random(3)));
    assertThat(served).hasSize(120);
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void eventTimeModeCarriesWhenTheTransactionWasReceived() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction tx = TestData.transaction(0).build();
    process(tx);
    harness.processWatermark(tx.getEventTime().toEpochMilli());
    assertThat(harness.extractOutputValues()).extracting(e -> e.receivedAt).containsExactly(RECEIVED_AT);
  }

  @Test
  void shuffledArrivalWithinTheBoundGivesTheFeaturesOfInOrderArrival() throws Exception {
    List<Transaction> inOrder = burstyCards();
    Map<String, float[]> fromInOrder = run(FeatureOrdering.EVENT_TIME, inOrder);
    List<Transaction> shuffled = shuffledWithin(inOrder, BOUND_MS, new Random(11));
    assertThat(shuffled).as("really out of order").isNotEqualTo(inOrder);

    Map<String, float[]> fromShuffled = run(FeatureOrdering.EVENT_TIME, shuffled);
    assertThat(enricher.lateTransactionCount()).isZero();
    assertThat(fromShuffled.keySet()).containsExactlyInAnyOrderElementsOf(fromInOrder.keySet());
    fromInOrder.forEach((id, features) -> assertThat(fromShuffled.get(id)).as(id).containsExactly(features));

    // the same shuffle in arrival order: novelty and the card mean see the future, so some differ
    Map<String, float[]> arrival = run(FeatureOrdering.ARRIVAL, shuffled);
    assertThat(fromInOrder.keySet()).anySatisfy(id ->
        assertThat(arrival.get(id)).isNotEqualTo(fromInOrder.get(id)));
  }

  @Test
  void lateTransactionsAreScoredAtOnceAndCounted() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction onTime = TestData.transaction(5).setCardNumber("card-a").build();
    arrive(onTime);
    harness.processWatermark(onTime.getEventTime().toEpochMilli() + 60_000);
    Transaction late = TestData.transaction(1).setCardNumber("card-a").build();
    process(late);

    assertThat(harness.extractOutputValues()).extracting(e -> e.transaction.getTransactionId())
        .containsExactly("tx-5", "tx-1");
    assertThat(enricher.lateTransactionCount()).isEqualTo(1);
    // windows still look back in event time: tx-5 is after tx-1, so it is not in tx-1's history
    assertThat(feature(harness.extractOutputValues().get(1), FeatureSpec.CARD_TX_COUNT_24H)).isZero();
  }

  @Test
  void whenTheWatermarkStallsNoTransactionWaitsLongerThanTheMaximumWait() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    harness.setProcessingTime(1_000);
    process(TestData.transaction(3).setCardNumber("card-a").build());
    process(TestData.transaction(1).setCardNumber("card-a").build());
    harness.setProcessingTime(6_000);
    process(TestData.transaction(2).setCardNumber("card-a").build());
    process(TestData.transaction(9).setCardNumber("card-a").build());
    harness.setProcessingTime(1_000 + MAX_WAIT.toMillis() - 1);
    assertThat(harness.extractOutputValues()).as("nothing has waited the maximum yet").isEmpty();

    harness.setProcessingTime(1_000 + MAX_WAIT.toMillis() + CardFeatureEnricher.MAX_WAIT_TIMER_RESOLUTION_MS);

    // tx-1 and tx-3 waited the maximum; tx-2 arrived later but comes before tx-3 in event time
    assertThat(harness.extractOutputValues()).extracting(e -> e.transaction.getTransactionId())
        .containsExactly("tx-1", "tx-2", "tx-3");
    assertThat(cardsWithPendingTransactions()).as("tx-9 still waits").isEqualTo(1);
    harness.setProcessingTime(6_000 + MAX_WAIT.toMillis() + CardFeatureEnricher.MAX_WAIT_TIMER_RESOLUTION_MS);
    assertThat(harness.extractOutputValues()).extracting(e -> e.transaction.getTransactionId())
        .containsExactly("tx-1", "tx-2", "tx-3", "tx-9");
    assertThat(cardsWithPendingTransactions()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();

    harness.processWatermark(TestData.transaction(9).build().getEventTime().toEpochMilli());
    assertThat(harness.extractOutputValues()).as("release timers find nothing left to release").hasSize(4);
  }

  @Test
  void goldenTransactionsGetTheGoldenFeatures() throws Exception {
    Map<String, float[]> served = run(FeatureOrdering.ARRIVAL, GoldenFeatures.transactions());
    assertThat(enricher.lateTransactionCount()).as("c-02, a-04, e-02, e-05").isEqualTo(4);
    GoldenFeatures.assertMatches(served);
  }

  @Test
  void stateAndTimersOfIdleCardsGoAway() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    process(TestData.transaction(0).setCardNumber("card-a").build());
    process(TestData.transaction(1).setCardNumber("card-a").build());
    process(TestData.transaction(2).setCardNumber("card-b").build());
    assertThat(cardsWithPendingTransactions()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isPositive();

    long lastEvent = TestData.transaction(2).build().getEventTime().toEpochMilli();
    harness.processWatermark(lastEvent + CardFeatures.LONGEST_HORIZON_MS - 1);
    assertThat(harness.extractOutputValues()).hasSize(3);
    assertThat(cardsWithPendingTransactions()).isZero();
    assertThat(cardsWithHistory()).as("still within the horizon").isEqualTo(2);

    harness.processWatermark(lastEvent + CardFeatures.LONGEST_HORIZON_MS + Duration.ofMinutes(2).toMillis());
    assertThat(cardsWithHistory()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aCardThatStaysActiveKeepsItsHistory() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Transaction early = TestData.transaction(0).setCardNumber("card-a").build();
    long t0 = early.getEventTime().toEpochMilli();
    Transaction later = TestData.transaction(1).setCardNumber("card-a")
        .setEventTime(early.getEventTime().plus(Duration.ofHours(20))).build();
    arrive(early);
    arrive(later);

    harness.processWatermark(t0 + CardFeatures.LONGEST_HORIZON_MS + Duration.ofMinutes(2).toMillis());
    assertThat(cardsWithHistory()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).as("the cleanup timer, moved to the card's new expiry").isEqualTo(1);

    Transaction third = TestData.transaction(2).setCardNumber("card-a")
        .setEventTime(later.getEventTime().plus(Duration.ofHours(5))).build();
    process(third);
    harness.processWatermark(third.getEventTime().toEpochMilli());
    EnrichedTransaction enriched = harness.extractOutputValues().get(2);
    assertThat(feature(enriched, FeatureSpec.CARD_HISTORY_COUNT_LOG)).isEqualTo((float) Math.log1p(2));

    harness.processWatermark(CardFeatures.expiresAt(third.getEventTime().toEpochMilli()));
    assertThat(cardsWithHistory()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aCardHasOneCleanupTimerHoweverManyTransactionsItMakes() throws Exception {
    open(FeatureOrdering.EVENT_TIME);
    Instant start = TestData.START;
    for (int i = 0; i < 30; i++) {
      // a new minute each, so that no two would share an expiry time
      arrive(TestData.transaction(i).setCardNumber("card-a").setEventTime(start.plus(Duration.ofMinutes(7L * i))).build());
    }
    harness.processWatermark(start.plus(Duration.ofHours(5)).toEpochMilli());

    assertThat(harness.extractOutputValues()).hasSize(30);
    assertThat(harness.numEventTimeTimers()).as("only the cleanup timer").isEqualTo(1);
  }

  @Test
  void cleanupTimersOfAnEarlierReleaseOnePerTransactionLeaveOneTimerAndClearTheCardOnce() throws Exception {
    Instant start = TestData.START;
    List<Transaction> earlier = List.of(
        TestData.transaction(0).setCardNumber("card-a").setEventTime(start).build(),
        TestData.transaction(1).setCardNumber("card-a").setEventTime(start.plus(Duration.ofMinutes(10))).build(),
        TestData.transaction(2).setCardNumber("card-a").setEventTime(start.plus(Duration.ofMinutes(20))).build());
    var writer = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new EarlierReleaseCleanupTimers()), Transaction::getCardNumber, Types.STRING);
    Harnesses.open(writer, stateBackend(), null);
    for (Transaction tx : earlier) {
      writer.processElement(tx, tx.getEventTime().toEpochMilli());
    }
    OperatorSubtaskState saved = writer.snapshot(1, 1);
    writer.close();

    enricher = new CardFeatureEnricher(FeatureOrdering.EVENT_TIME, MAX_WAIT, DEDUP_HORIZON);
    harness = Harnesses.open(new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(enricher), CardFeatureEnricherTest::card, Types.STRING), stateBackend(), saved);
    assertThat(harness.numEventTimeTimers()).isEqualTo(3);

    harness.processWatermark(expiryOf(earlier.get(0)));
    assertThat(cardsWithHistory()).as("used since").isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).as("the card's own, at the last transaction's expiry").isEqualTo(2);
    harness.processWatermark(expiryOf(earlier.get(1)));
    assertThat(cardsWithHistory()).isEqualTo(1);
    harness.processWatermark(expiryOf(earlier.get(2)));
    assertThat(cardsWithHistory()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private static long expiryOf(Transaction tx) {
    return CardFeatures.expiresAt(tx.getEventTime().toEpochMilli());
  }

  /** The card's history as the earlier release kept it: a cleanup timer registered by every transaction. */
  private static final class EarlierReleaseCleanupTimers
      extends KeyedProcessFunction<String, Transaction, EnrichedTransaction> {

    private transient ValueState<CardState> history;

    @Override
    public void open(OpenContext openContext) {
      history = getRuntimeContext().getState(PipelineState.cardHistory());
    }

    @Override
    public void processElement(Transaction tx, Context ctx, Collector<EnrichedTransaction> out) throws Exception {
      CardState card = new CardFeatures().arrive(history.value(), tx, tx.getAmountMinor() / 100.0).history();
      history.update(card);
      ctx.timerService().registerEventTimeTimer(CardFeatures.expiresAt(card.getLastEventTime()));
    }
  }

  /** Runs a fresh operator over {@code arrivals}, then flushes; features by transaction id. */
  private Map<String, float[]> run(FeatureOrdering ordering, List<Transaction> arrivals) throws Exception {
    if (harness != null) {
      harness.close();
    }
    maxEventTime = Long.MIN_VALUE;
    open(ordering);
    for (Transaction tx : arrivals) {
      arrive(tx);
    }
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(cardsWithPendingTransactions()).as("nothing left waiting").isZero();
    assertThat(cardsWithHistory()).as("history expired").isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    return featuresById();
  }

  /** Three cards with bursts, repeated and new merchants, countries and devices, in event-time order. */
  private static List<Transaction> burstyCards() {
    Random random = new Random(5);
    List<Transaction> transactions = new ArrayList<>();
    long t = TestData.START.toEpochMilli();
    for (int i = 0; i < 120; i++) {
      t += random.nextInt(4) == 0 ? 20_000 + random.nextInt(600_000) : 200 + random.nextInt(3_000);
      transactions.add(TestData.transaction(i)
          .setCardNumber("card-" + random.nextInt(3))
          .setMerchantId("merchant-" + random.nextInt(6))
          .setCountry(List.of("DE", "FR", "JP").get(random.nextInt(3)))
          .setDeviceId(random.nextBoolean() ? "device-" + random.nextInt(4) : null)
          .setAmountMinor(100 + random.nextInt(50_000))
          .setEventTime(java.time.Instant.ofEpochMilli(t))
          .build());
    }
    return transactions;
  }

  /** Each transaction arrives up to {@code boundMs} after its event time, never later. */
  private static List<Transaction> shuffledWithin(List<Transaction> transactions, long boundMs, Random random) {
    Map<Transaction, Long> arrival = new LinkedHashMap<>();
    transactions.forEach(tx -> arrival.put(tx, tx.getEventTime().toEpochMilli() + (long) (random.nextDouble() * boundMs)));
    return transactions.stream().sorted(Comparator.comparing(arrival::get)).toList();
  }
}
