package dev.riskstream.features.golden;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The feature functions on the golden transactions, replayed per card in event-time order; with
 * {@code -Dgolden.update=true} this test writes the expected file instead of checking it.
 */
class GoldenFeaturesTest {

  @Test
  void featureFunctionsGiveTheGoldenVectors() throws Exception {
    CurrencyRates rates = CurrencyRates.bundled();
    CardFeatures features = new CardFeatures();
    List<Transaction> chronological = GoldenFeatures.transactions().stream()
        .sorted(Comparator.comparing(Transaction::getEventTime))
        .toList();
    Map<String, CardState> historyByCard = new HashMap<>();
    Map<String, float[]> actual = new LinkedHashMap<>();
    for (Transaction tx : chronological) {
      double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      CardState history = historyByCard.computeIfAbsent(tx.getCardNumber(), card -> CardFeatures.emptyHistory());
      actual.put(tx.getTransactionId(), features.extract(tx, amountBase, history));
      CardFeatures.remember(history, tx, amountBase);
    }
    if (GoldenFeatures.updating()) {
      GoldenFeatures.write(actual);
    }
    GoldenFeatures.assertMatches(actual);
  }
}
