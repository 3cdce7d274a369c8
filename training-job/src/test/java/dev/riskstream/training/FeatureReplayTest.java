package dev.riskstream.training;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.golden.GoldenFeatures;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureReplayTest {

  private static final CurrencyRates RATES = CurrencyRates.bundled();
  private static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");

  private final FeatureReplay replay = new FeatureReplay(RATES, ProfileSource.NONE);

  @Test
  void givesEachTransactionTheFeaturesServingComputesForIt() {
    List<LabeledTransaction> transactions = SyntheticTransactions.generate(5, 10, 3);
    List<FeatureRow> rows = replay.replay(transactions).rows();

    for (String card : List.of("4000000000000000", "4000000000000003")) {
      List<float[]> replayed = rows.stream()
          .filter(row -> row.source().transaction().getCardNumber().equals(card))
          .map(FeatureRow::features)
          .toList();
      List<float[]> direct = servingFeaturesOfCard(transactions, card);

      assertThat(replayed).hasSameSizeAs(direct).hasSizeGreaterThan(20);
      for (int k = 0; k < direct.size(); k++) {
        assertThat(replayed.get(k)).as("transaction %d of card %s", k, card).containsExactly(direct.get(k));
      }
    }
  }

  @Test
  void replaysInTheOrderGivenWhichIsTakenAsArrivalOrder() {
    List<LabeledTransaction> shuffled = new ArrayList<>(SyntheticTransactions.generate(5, 10, 3));
    Collections.shuffle(shuffled, new Random(1));

    List<FeatureRow> rows = replay.replay(shuffled).rows();

    assertThat(rows).extracting(row -> row.source().transaction().getTransactionId())
        .containsExactlyElementsOf(shuffled.stream().map(labeled -> labeled.transaction())
            .filter(tx -> RATES.isKnown(tx.getCurrency())).map(Transaction::getTransactionId).toList());
    assertThat(rows).extracting(FeatureRow::eventTimeMillis).as("really out of event-time order").isNotEqualTo(
        rows.stream().map(FeatureRow::eventTimeMillis).sorted().toList());
  }

  @Test
  void keepsSimultaneousTransactionsInInputOrder() {
    Transaction first = tx("a", "merchant-1", "EUR", NOON);
    Transaction second = tx("b", "merchant-2", "EUR", NOON);

    List<FeatureRow> rows = replay.replay(List.of(labeled(first), labeled(second))).rows();

    assertThat(rows).extracting(row -> row.source().transaction().getTransactionId()).containsExactly("a", "b");
    int historyCount = FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_HISTORY_COUNT_LOG);
    assertThat(rows.get(1).features()[historyCount]).isEqualTo((float) Math.log1p(1));
  }

  @Test
  void anIdleCardsHistoryExpiresAsTheStreamingJobsStateDoes() {
    Transaction first = tx("a", "merchant-1", "EUR", NOON);
    Transaction withinADay = tx("b", "merchant-1", "EUR", NOON.plus(java.time.Duration.ofHours(23)));
    long expiry = CardFeatures.expiresAt(withinADay.getEventTime().toEpochMilli());
    Transaction atExpiry = tx("c", "merchant-1", "EUR", Instant.ofEpochMilli(expiry));
    Transaction afterExpiry = tx("d", "merchant-1", "EUR", Instant.ofEpochMilli(CardFeatures.expiresAt(expiry) + 1));

    List<FeatureRow> rows = replay.replay(Stream.of(first, withinADay, atExpiry, afterExpiry)
        .map(FeatureReplayTest::labeled).toList()).rows();

    int historyCount = FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_HISTORY_COUNT_LOG);
    int newMerchant = FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_MERCHANT_FOR_CARD);
    assertThat(rows).extracting(row -> row.features()[historyCount])
        .containsExactly(0f, (float) Math.log1p(1), (float) Math.log1p(2), 0f);
    assertThat(rows).extracting(row -> row.features()[newMerchant]).containsExactly(1f, 0f, 0f, 1f);
  }

  @Test
  void skipsAndCountsTransactionsWithoutARateAndKeepsThemOutOfHistory() {
    Transaction known = tx("a", "merchant-1", "EUR", NOON);
    Transaction unknown = tx("b", "merchant-2", SyntheticTransactions.UNKNOWN_CURRENCY, NOON.plusSeconds(10));
    Transaction later = tx("c", "merchant-2", "EUR", NOON.plusSeconds(20));

    FeatureReplay.Result result = replay.replay(List.of(labeled(known), labeled(unknown), labeled(later)));

    assertThat(result.skippedInvalid()).isEqualTo(1);
    assertThat(result.rows()).extracting(row -> row.source().transaction().getTransactionId())
        .containsExactly("a", "c");
    float[] laterFeatures = result.rows().get(1).features();
    assertThat(laterFeatures[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)]).isEqualTo(1f);
    assertThat(laterFeatures[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_MERCHANT_FOR_CARD)]).isEqualTo(1f);
  }

  @Test
  void goldenTransactionsGetTheGoldenFeatures() {
    FeatureReplay.Result result = replay.replay(GoldenFeatures.transactions().stream()
        .map(FeatureReplayTest::labeled).toList());

    assertThat(result.skippedInvalid()).isZero();
    Map<String, float[]> replayed = new LinkedHashMap<>();
    result.rows().forEach(row -> replayed.put(row.source().transaction().getTransactionId(), row.features()));
    GoldenFeatures.assertMatches(replayed);
  }

  /** What the streaming job's keyed operator computes for one card, transaction by transaction. */
  private static List<float[]> servingFeaturesOfCard(List<LabeledTransaction> transactions, String card) {
    CardFeatures features = new CardFeatures();
    CardState history = null;
    List<float[]> vectors = new ArrayList<>();
    List<Transaction> ofCard = transactions.stream()
        .map(LabeledTransaction::transaction)
        .filter(tx -> tx.getCardNumber().equals(card) && RATES.isKnown(tx.getCurrency()))
        .toList();
    for (Transaction tx : ofCard) {
      double amountBase = RATES.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      CardFeatures.Arrival arrival = features.arrive(history, tx, amountBase);
      vectors.add(arrival.features());
      history = arrival.history();
    }
    return vectors;
  }

  private static LabeledTransaction labeled(Transaction tx) {
    return new LabeledTransaction(tx, false);
  }

  private static Transaction tx(String id, String merchant, String currency, Instant at) {
    return Transaction.newBuilder()
        .setTransactionId(id)
        .setCardNumber("4111111111111111")
        .setCustomerId("cust-1")
        .setMerchantId(merchant)
        .setMerchantCategory("5411")
        .setMerchantName("Bäckerei Müller")
        .setAmountMinor(2_500)
        .setCurrency(currency)
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setEventTime(at)
        .build();
  }
}
