package dev.riskstream.training;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.profile.ProfileFeatures;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.features.validation.TransactionValidator;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes training features the way the streaming job computes them at serving time: per card,
 * in event-time order, {@link CardFeatures#extract} against the history so far and then {@link
 * CardFeatures#remember}. Using the very same two calls, rather than a batch re-implementation of
 * the features, is what keeps training and serving from drifting apart.
 */
public final class FeatureReplay {

  /**
   * @param rows one per replayed transaction, in event-time order
   * @param skippedInvalid transactions left out because they fail the validation that serving
   *     applies before it dead-letters them, so they neither get features nor enter a card's history
   */
  public record Result(List<FeatureRow> rows, int skippedInvalid) {

    public Result {
      rows = List.copyOf(rows);
    }
  }

  private final CurrencyRates rates;
  private final ProfileSource profiles;
  private final TransactionValidator validator;
  private final CardFeatures features = new CardFeatures();

  /**
   * @param rates must be the rates serving uses
   * @param profiles the profiles the lookup join would have served, or {@link ProfileSource#NONE}
   */
  public FeatureReplay(CurrencyRates rates, ProfileSource profiles) {
    this.rates = rates;
    this.profiles = profiles;
    this.validator = new TransactionValidator(rates);
  }

  /**
   * Replays {@code transactions} in event-time order, same-millisecond ones in transactionId order,
   * as the streaming job's card features process them.
   */
  public Result replay(List<LabeledTransaction> transactions) {
    List<LabeledTransaction> chronological = new ArrayList<>(transactions);
    chronological.sort(Comparator.comparing((LabeledTransaction labeled) -> labeled.transaction().getEventTime())
        .thenComparing(labeled -> labeled.transaction().getTransactionId()));

    Map<String, CardState> historyByCard = new HashMap<>();
    List<FeatureRow> rows = new ArrayList<>(chronological.size());
    int skippedInvalid = 0;
    for (LabeledTransaction labeled : chronological) {
      Transaction tx = labeled.transaction();
      if (validator.validate(tx).isPresent()) {
        skippedInvalid++;
        continue;
      }
      double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      // an idle card's history expires as the streaming job's state does
      CardState history = CardFeatures.historyAt(historyByCard.get(tx.getCardNumber()), tx.getEventTime().toEpochMilli());
      historyByCard.put(tx.getCardNumber(), history);
      float[] vector = features.extract(tx, amountBase, history);
      ProfileFeatures.apply(vector, tx, profiles.customer(tx.getCustomerId()), profiles.merchant(tx.getMerchantId()));
      rows.add(new FeatureRow(labeled, vector));
      CardFeatures.remember(history, tx, amountBase);
    }
    return new Result(rows, skippedInvalid);
  }
}
