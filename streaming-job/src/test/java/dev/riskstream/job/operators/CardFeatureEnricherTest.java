package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import dev.riskstream.job.PipelineState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardFeatureEnricherTest {

  private KeyedOneInputStreamOperatorTestHarness<String, Transaction, EnrichedTransaction> harness;

  @BeforeEach
  void open() throws Exception {
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CardFeatureEnricher()), Transaction::getCardNumber, Types.STRING);
    // the production backend: state is serialized on every access, as on a cluster
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Works on RocksDB too, unlike the harness's own count. */
  private long cardsWithHistory() {
    try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend()
        .getKeys(PipelineState.cardHistory().getName(), VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  private void process(Transaction tx) throws Exception {
    harness.processElement(tx, tx.getEventTime().toEpochMilli());
  }

  private static float feature(EnrichedTransaction tx, String name) {
    return tx.features[FeatureSpec.CURRENT.requireIndex(name)];
  }

  @Test
  void featuresComeFromEachCardsOwnHistory() throws Exception {
    Transaction first = TestData.transaction(0).setCardNumber("card-a").build();
    Transaction second = TestData.transaction(1).setCardNumber("card-a").build();
    Transaction otherCard = TestData.transaction(2).setCardNumber("card-b").build();
    process(first);
    process(second);
    process(otherCard);

    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).extracting(e -> e.transaction.getTransactionId()).containsExactly("tx-0", "tx-1", "tx-2");
    assertThat(feature(out.get(0), FeatureSpec.CARD_TX_COUNT_1H)).isZero();
    assertThat(feature(out.get(1), FeatureSpec.CARD_TX_COUNT_1H)).isEqualTo(1f);
    assertThat(feature(out.get(2), FeatureSpec.CARD_TX_COUNT_1H)).isZero();
  }

  @Test
  void stateAndTimersOfIdleCardsGoAway() throws Exception {
    process(TestData.transaction(0).setCardNumber("card-a").build());
    process(TestData.transaction(1).setCardNumber("card-a").build());
    process(TestData.transaction(2).setCardNumber("card-b").build());
    assertThat(cardsWithHistory()).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isPositive();

    long lastEvent = TestData.transaction(2).build().getEventTime().toEpochMilli();
    harness.processWatermark(lastEvent + CardFeatures.LONGEST_HORIZON_MS - 1);
    assertThat(cardsWithHistory()).as("still within the horizon").isEqualTo(2);

    harness.processWatermark(lastEvent + CardFeatures.LONGEST_HORIZON_MS + Duration.ofMinutes(2).toMillis());
    assertThat(cardsWithHistory()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aCardThatStaysActiveKeepsItsHistory() throws Exception {
    Transaction early = TestData.transaction(0).setCardNumber("card-a").build();
    process(early);
    long t0 = early.getEventTime().toEpochMilli();
    Transaction later = TestData.transaction(1).setCardNumber("card-a")
        .setEventTime(early.getEventTime().plus(Duration.ofHours(20))).build();
    process(later);

    harness.processWatermark(t0 + CardFeatures.LONGEST_HORIZON_MS + Duration.ofMinutes(2).toMillis());

    assertThat(cardsWithHistory()).isEqualTo(1);
    process(TestData.transaction(2).setCardNumber("card-a")
        .setEventTime(later.getEventTime().plus(Duration.ofHours(1))).build());
    EnrichedTransaction third = harness.extractOutputValues().get(2);
    assertThat(feature(third, FeatureSpec.CARD_HISTORY_COUNT_LOG)).isEqualTo((float) Math.log1p(2));
  }
}
