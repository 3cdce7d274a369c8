package dev.riskstream.features.golden;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The feature functions on the golden transactions, each arriving in the file's order at its card
 * ({@link CardFeatures#arrive}); with {@code -Dgolden.update=true} this test writes the expected file
 * instead of checking it.
 */
class GoldenFeaturesTest {

  @Test
  void featureFunctionsGiveTheGoldenVectors() throws Exception {
    CurrencyRates rates = CurrencyRates.bundled();
    CardFeatures features = new CardFeatures();
    Map<String, CardState> historyByCard = new HashMap<>();
    Map<String, float[]> actual = new LinkedHashMap<>();
    for (Transaction tx : GoldenFeatures.transactions()) {
      double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      CardFeatures.Arrival arrival = features.arrive(historyByCard.get(tx.getCardNumber()), tx, amountBase);
      historyByCard.put(tx.getCardNumber(), arrival.history());
      actual.put(tx.getTransactionId(), arrival.features());
    }
    if (GoldenFeatures.updating()) {
      GoldenFeatures.write(actual);
    }
    GoldenFeatures.assertMatches(actual);
  }
}
