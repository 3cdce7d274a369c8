package dev.riskstream.features.currency;

import dev.riskstream.features.table.KeyValueTable;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Converts amounts in minor units of any ISO 4217 currency to the base currency (EUR), so that
 * amount features mean the same thing for a yen and a dinar. The number of minor units comes from
 * ISO 4217 (0 for JPY, 2 for EUR, 3 for KWD); rates come from a table. A currency missing from the
 * table is not guessed: {@link #toBase} reports it as unknown.
 */
public final class CurrencyRates {

  public static final String BASE_CURRENCY = "EUR";
  private static final String DEFAULT_TABLE = "/dev/riskstream/features/currency-rates.csv";

  private final Map<String, Double> baseUnitsPerMinorUnit;

  private CurrencyRates(Map<String, Double> baseUnitsPerMinorUnit) {
    this.baseUnitsPerMinorUnit = Map.copyOf(baseUnitsPerMinorUnit);
  }

  /** The rates table shipped with the project (resource {@code currency-rates.csv}). */
  public static CurrencyRates bundled() {
    return Bundled.RATES;
  }

  /** Loaded once, on first use. */
  private static final class Bundled {
    static final CurrencyRates RATES = load();
  }

  private static CurrencyRates load() {
    return from(KeyValueTable.resource(DEFAULT_TABLE));
  }

  private static CurrencyRates from(Map<String, String> basePerUnitByCode) {
    Map<String, Double> rates = new HashMap<>();
    basePerUnitByCode.forEach((code, value) -> {
      double perUnit = Double.parseDouble(value);
      int fractionDigits = Currency.getInstance(code).getDefaultFractionDigits();
      if (fractionDigits < 0 || !(perUnit > 0)) {
        throw new IllegalArgumentException("unusable rate " + code + "," + value);
      }
      rates.put(code, perUnit / Math.pow(10, fractionDigits));
    });
    return new CurrencyRates(rates);
  }

  public boolean isKnown(String currency) {
    return currency != null && baseUnitsPerMinorUnit.containsKey(currency);
  }

  /** The amount in base-currency units, or empty when the currency is not in the table. */
  public Optional<Double> toBase(long amountMinor, String currency) {
    Double rate = currency == null ? null : baseUnitsPerMinorUnit.get(currency);
    return rate == null ? Optional.empty() : Optional.of(amountMinor * rate);
  }

  /** How many minor units of the currency one base-currency unit buys, or empty when unknown. */
  public Optional<Double> minorUnitsPerBaseUnit(String currency) {
    Double rate = currency == null ? null : baseUnitsPerMinorUnit.get(currency);
    return rate == null ? Optional.empty() : Optional.of(1 / rate);
  }
}
