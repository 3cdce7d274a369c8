package dev.riskstream.features.currency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    try (InputStream in = CurrencyRates.class.getResourceAsStream(DEFAULT_TABLE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_TABLE);
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads lines {@code CODE,BASE_PER_UNIT}; {@code #} starts a comment. */
  public static CurrencyRates parse(InputStream csv) throws IOException {
    Map<String, Double> rates = new HashMap<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",");
      if (parts.length != 2) {
        throw new IOException("expected CODE,RATE but got '" + line + "'");
      }
      String code = parts[0].strip();
      double perUnit = Double.parseDouble(parts[1].strip());
      int fractionDigits = Currency.getInstance(code).getDefaultFractionDigits();
      if (fractionDigits < 0 || !(perUnit > 0)) {
        throw new IOException("unusable rate line '" + line + "'");
      }
      rates.put(code, perUnit / Math.pow(10, fractionDigits));
    }
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
