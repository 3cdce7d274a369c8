package dev.riskstream.training;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.profile.ProfileFeatures;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.features.validation.TransactionValidator;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes training features the way the streaming job computes them at serving time: per card,
 * in arrival order, {@link CardFeatures#arrive} against the history so far. Using the very same
 * call, rather than a batch re-implementation of the features, is what keeps training and serving
 * from drifting apart.
 */
public final class FeatureReplay {

  /**
   * @param rows one per replayed transaction, in the order replayed
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
   * Replays {@code transactions} in the order given, which is taken as their arrival order: the
   * order a feed sends them in, as the streaming job would have received them.
   */
  public Result replay(List<LabeledTransaction> transactions) {
    Map<String, CardState> historyByCard = new HashMap<>();
    List<FeatureRow> rows = new ArrayList<>(transactions.size());
    int skippedInvalid = 0;
    for (LabeledTransaction labeled : transactions) {
      Transaction tx = labeled.transaction();
      if (validator.validate(tx).isPresent()) {
        skippedInvalid++;
        continue;
      }
      double amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      CardFeatures.Arrival arrival = features.arrive(historyByCard.get(tx.getCardNumber()), tx, amountBase);
      historyByCard.put(tx.getCardNumber(), arrival.history());
      float[] vector = arrival.features();
      ProfileFeatures.apply(vector, tx, profiles.customer(tx.getCustomerId()), profiles.merchant(tx.getMerchantId()));
      rows.add(new FeatureRow(labeled, vector));
    }
    return new Result(rows, skippedInvalid);
  }
}
