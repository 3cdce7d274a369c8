package dev.riskstream.local.simulator;

import java.util.Currency;
import java.util.Map;

/**
 * Rough exchange rates to the euro, for the simulator only: they make amounts look plausible in every
 * currency. They are fixed round numbers, not market data, and nothing that prices or scores may use them.
 */
final class Currencies {

  private static final Map<String, Double> UNITS_PER_EUR = Map.ofEntries(
      Map.entry("EUR", 1.0),
      Map.entry("USD", 1.08),
      Map.entry("GBP", 0.85),
      Map.entry("CHF", 0.95),
      Map.entry("UAH", 44.0),
      Map.entry("MXN", 19.5),
      Map.entry("BRL", 5.9),
      Map.entry("INR", 90.0),
      Map.entry("JPY", 160.0),
      Map.entry("KRW", 1450.0),
      Map.entry("KWD", 0.33),
      Map.entry("BHD", 0.41),
      Map.entry("AUD", 1.65),
      Map.entry("THB", 38.0),
      Map.entry("TRY", 35.0));

  private Currencies() {}

  /** How many minor units of the currency (yen, cents, fils) one euro buys. */
  static double minorUnitsPerEur(Currency currency) {
    Double units = UNITS_PER_EUR.get(currency.getCurrencyCode());
    if (units == null) {
      throw new IllegalArgumentException("no simulator rate for " + currency);
    }
    return units * Math.pow(10, currency.getDefaultFractionDigits());
  }
}
