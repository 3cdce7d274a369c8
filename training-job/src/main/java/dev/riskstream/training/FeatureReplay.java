package dev.riskstream.training;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recomputes training features the way the streaming job computes them at serving time: per card,
 * in event-time order, {@link CardFeatures#extract} against the history so far and then {@link
 * CardFeatures#remember}. Using the very same two calls, rather than a batch re-implementation of
 * the features, is what keeps training and serving from drifting apart.
 */
public final class FeatureReplay {

  /**
   * @param rows one per replayed transaction, in event-time order
   * @param skippedUnknownCurrency transactions left out because their currency has no rate; serving
   *     dead-letters them, so they neither get features nor enter a card's history
   */
  public record Result(List<FeatureRow> rows, int skippedUnknownCurrency) {

    public Result {
      rows = List.copyOf(rows);
    }
  }

  private final CurrencyRates rates;
  private final CardFeatures features = new CardFeatures();

  public FeatureReplay(CurrencyRates rates) {
    this.rates = rates;
  }

  /** Replays {@code transactions} in event-time order; ties keep their order in the input. */
  public Result replay(List<LabeledTransaction> transactions) {
    List<LabeledTransaction> chronological = new ArrayList<>(transactions);
    // List.sort is stable, so same-millisecond transactions replay in arrival order.
    chronological.sort(Comparator.comparing(labeled -> labeled.transaction().getEventTime()));

    Map<String, CardState> historyByCard = new HashMap<>();
    List<FeatureRow> rows = new ArrayList<>(chronological.size());
    int skippedUnknownCurrency = 0;
    for (LabeledTransaction labeled : chronological) {
      Transaction tx = labeled.transaction();
      Optional<Double> amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency());
      if (amountBase.isEmpty()) {
        skippedUnknownCurrency++;
        continue;
      }
      CardState history =
          historyByCard.computeIfAbsent(tx.getCardNumber(), card -> CardFeatures.emptyHistory());
      rows.add(new FeatureRow(labeled, features.extract(tx, amountBase.get(), history)));
      CardFeatures.remember(history, tx, amountBase.get());
    }
    return new Result(rows, skippedUnknownCurrency);
  }
}
