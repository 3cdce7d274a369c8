package dev.riskstream.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.Character.UnicodeScript;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PopulationTest {

  private final Population population =
      TransactionSimulator.builder().seed(11).customers(2_000).merchants(300).build().population();

  @Test
  void panAreSixteenDigitsThatPassTheLuhnCheckAndAreUnique() {
    List<String> pans = population.cards().stream().map(Card::pan).toList();

    assertThat(pans).allSatisfy(pan -> {
      assertThat(pan).matches("\\d{16}");
      assertThat(passesLuhn(pan)).as("Luhn check of %s", pan).isTrue();
    });
    assertThat(new HashSet<>(pans)).hasSameSizeAs(pans);
    assertThat(pans.stream().map(pan -> pan.substring(0, 6)).distinct().count()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aLargerPopulationOfTheSameSeedBeginsWithTheSmallerOne() {
    Population larger = TransactionSimulator.builder().seed(11).customers(2_500).merchants(300).build().population();

    assertThat(larger.customers()).hasSize(2_500).startsWith(population.customers().toArray(Customer[]::new));
    assertThat(larger.cards()).startsWith(population.cards().toArray(Card[]::new));
    assertThat(larger.merchants()).isEqualTo(population.merchants());
  }

  @Test
  void everyCustomerHasOneOrTwoCards() {
    var cardsPerCustomer = population.cards().stream()
        .collect(Collectors.groupingBy(Card::customer, Collectors.counting()));

    assertThat(population.customers()).hasSize(2_000);
    assertThat(cardsPerCustomer).hasSize(2_000);
    assertThat(cardsPerCustomer.values()).allSatisfy(count -> assertThat(count).isBetween(1L, 2L));
    assertThat(cardsPerCustomer.values()).contains(1L, 2L);
  }

  @Test
  void habitualMerchantsAreInTheHolderHomeCountry() {
    assertThat(population.cards()).allSatisfy(card -> {
      assertThat(card.habitualMerchants()).isNotEmpty();
      assertThat(card.habitualMerchants()).allSatisfy(m -> assertThat(m.market()).isEqualTo(card.customer().home()));
    });
  }

  @Test
  void merchantsSpanManyCountriesAndCurrenciesOfEveryExponent() {
    List<Merchant> merchants = population.merchants();
    Set<String> isoCountries = Set.of(Locale.getISOCountries());

    assertThat(merchants).hasSize(300);
    assertThat(merchants).allSatisfy(m -> {
      assertThat(isoCountries).contains(m.market().country());
      assertThat(m.category().code()).matches("\\d{4}");
    });
    assertThat(merchants.stream().map(Merchant::market).distinct().count()).isGreaterThanOrEqualTo(8);
    assertThat(merchants.stream().map(m -> m.market().currency().getDefaultFractionDigits()).distinct())
        .contains(0, 2, 3);
  }

  @Test
  void merchantNamesUseManyScripts() {
    Set<UnicodeScript> scripts = Stream.concat(population.merchants().stream(), population.emergingMerchants().stream())
        .flatMapToInt(m -> m.name().codePoints())
        .filter(Character::isLetter)
        .mapToObj(UnicodeScript::of)
        .collect(Collectors.toSet());

    assertThat(scripts).contains(UnicodeScript.LATIN, UnicodeScript.CYRILLIC, UnicodeScript.GREEK, UnicodeScript.HAN,
        UnicodeScript.ARABIC, UnicodeScript.DEVANAGARI);
    assertThat(population.merchants()).anySatisfy(m -> assertThat(m.name()).matches(".*[À-ÿ].*"));
  }

  @Test
  void emergingMerchantsAreNewMerchantsInNewCountries() {
    Set<Market> regular = population.merchants().stream().map(Merchant::market).collect(Collectors.toSet());

    assertThat(population.emergingMerchants()).isNotEmpty();
    assertThat(population.emergingMerchants()).allSatisfy(m -> assertThat(regular).doesNotContain(m.market()));
    assertThat(population.emergingMerchants()).extracting(Merchant::id)
        .doesNotContainAnyElementsOf(population.merchants().stream().map(Merchant::id).toList());
  }

  @Test
  void marketsConvertEurosIntoMinorUnitsOfTheirOwnCurrency() {
    assertThat(Market.DE.toMinor(10)).isEqualTo(1_000);
    // one yen is 0.0056 EUR and one dinar 2.81 EUR in the bundled rates table
    assertThat(Market.JP.toMinor(10)).isEqualTo(1_786);
    assertThat(Market.KW.toMinor(10)).isEqualTo(3_559);
    assertThat(Market.DE.toMinor(0.0001)).isEqualTo(1);
    assertThat(Market.JP.toCashMinor(100) % 1_000).isZero();
    assertThat(Market.KW.toCashMinor(100) % 1_000).isZero();
    assertThat(Market.values()).allSatisfy(market ->
        assertThat(Currency.getInstance(market.currency().getCurrencyCode())).isEqualTo(market.currency()));
  }

  @Test
  void rejectsTooFewMerchantsToGiveEveryMarketItsFirstShops() {
    assertThatThrownBy(() -> TransactionSimulator.builder().merchants(Population.MINIMUM_MERCHANTS - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TransactionSimulator.builder().merchants(Population.MINIMUM_MERCHANTS).build().population()
        .merchants()).hasSize(Population.MINIMUM_MERCHANTS);
  }

  /** Written here independently of the generator, so that a bug there cannot hide itself. */
  private static boolean passesLuhn(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = digits.charAt(digits.length() - 1 - i) - '0';
      sum += i % 2 == 0 ? digit : (digit * 2) / 10 + (digit * 2) % 10;
    }
    return sum % 10 == 0;
  }
}
