package dev.riskstream.features.currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CurrencyRatesTest {

  private final CurrencyRates rates = CurrencyRates.bundled();

  @Test
  void honoursTheMinorUnitsOfZeroTwoAndThreeDecimalCurrencies() {
    assertThat(rates.toBase(1_250, "EUR")).hasValueSatisfying(v -> assertThat(v).isCloseTo(12.50, within(1e-9)));
    assertThat(rates.toBase(10_000, "JPY")).hasValueSatisfying(v -> assertThat(v).isCloseTo(56.0, within(1e-9)));
    assertThat(rates.toBase(1_000, "KWD")).hasValueSatisfying(v -> assertThat(v).isCloseTo(2.81, within(1e-9)));
  }

  @Test
  void convertsBackToMinorUnits() {
    assertThat(rates.minorUnitsPerBaseUnit("EUR")).hasValueSatisfying(v -> assertThat(v).isCloseTo(100, within(1e-9)));
    assertThat(rates.minorUnitsPerBaseUnit("KWD")).hasValueSatisfying(v -> assertThat(v).isCloseTo(1000 / 2.81, within(1e-9)));
    assertThat(rates.minorUnitsPerBaseUnit("XXX")).isEmpty();
  }

  @Test
  void anUnknownCurrencyIsNotGuessed() {
    assertThat(rates.toBase(100, "XXX")).isEmpty();
    assertThat(rates.toBase(100, "eur")).isEmpty();
    assertThat(rates.toBase(100, null)).isEmpty();
    assertThat(rates.isKnown("USD")).isTrue();
  }
}
