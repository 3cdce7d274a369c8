package dev.riskstream.local.simulator;

import java.util.List;

/**
 * A payment card and the habits of its holder.
 *
 * @param index position in {@link Population#cards()}, for per-card simulator state kept in arrays
 * @param spendFactor how much more (or less) than a typical customer this holder spends per purchase
 * @param activity relative frequency of use, in (0, 1]
 * @param habitualMerchants the merchants the holder keeps going back to, most frequented first
 */
public record Card(int index, String pan, Customer customer, double spendFactor, double activity,
    List<Merchant> habitualMerchants) {

  public Card {
    habitualMerchants = List.copyOf(habitualMerchants);
  }

  /** What a purchase on this card usually costs, so that fraud can be sized against the holder's habits. */
  public double typicalAmountEur() {
    double sum = 0;
    for (Merchant merchant : habitualMerchants) {
      sum += merchant.category().typicalAmountEur();
    }
    return spendFactor * sum / habitualMerchants.size();
  }
}
