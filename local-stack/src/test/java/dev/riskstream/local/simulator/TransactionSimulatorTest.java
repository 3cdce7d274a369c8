package dev.riskstream.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.lang.Character.UnicodeScript;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionSimulatorTest {

  private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
  private static final int EVENTS = 50_000;

  private static final TransactionSimulator SIMULATOR = TransactionSimulator.builder().seed(5).start(START).build();
  private static final List<SimulatedTransaction> STREAM = SIMULATOR.stream(EVENTS).toList();
  private static final Map<String, Card> CARDS_BY_PAN = SIMULATOR.population().cards().stream()
      .collect(Collectors.toMap(Card::pan, Function.identity()));

  @Test
  void sameSeedGivesTheSameTransactionsAndAnotherSeedDifferentOnes() {
    List<SimulatedTransaction> again = TransactionSimulator.builder().seed(5).start(START).build()
        .stream(EVENTS).toList();
    Transaction otherFirst = TransactionSimulator.builder().seed(6).start(START).build().next().transaction();

    assertThat(again).isEqualTo(STREAM);
    assertThat(otherFirst.getCardNumber()).isNotEqualTo(STREAM.get(0).transaction().getCardNumber());
    assertThat(otherFirst.getTransactionId()).isNotEqualTo(STREAM.get(0).transaction().getTransactionId());
  }

  @Test
  void transactionIdsAreUnique() {
    Set<String> ids = STREAM.stream().map(s -> s.transaction().getTransactionId()).collect(Collectors.toSet());

    assertThat(ids).hasSize(EVENTS);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.02, 0.05})
  void fraudRateIsCloseToTheConfiguredOne(double fraudRate) {
    long fraud = TransactionSimulator.builder().seed(9).fraudRate(fraudRate).build().stream(EVENTS)
        .filter(SimulatedTransaction::fraud).count();

    assertThat(fraud / (double) EVENTS).isCloseTo(fraudRate, within(fraudRate * 0.1));
  }

  @Test
  void noFraudAtRateZero() {
    assertThat(TransactionSimulator.builder().fraudRate(0).build().stream(EVENTS))
        .noneMatch(SimulatedTransaction::fraud);
  }

  @Test
  void everyFraudPatternAppearsAndEachStaysAFewPercentAtMost() {
    Map<FraudPattern, Long> counts = STREAM.stream()
        .collect(Collectors.groupingBy(SimulatedTransaction::pattern, () -> new EnumMap<>(FraudPattern.class),
            Collectors.counting()));

    assertThat(counts).containsOnlyKeys(FraudPattern.values());
    for (FraudPattern pattern : FraudPattern.values()) {
      if (pattern.isFraud()) {
        assertThat(counts.get(pattern)).as("%s", pattern).isBetween(20L, EVENTS * 3L / 100);
      }
    }
  }

  @Test
  void cardTestingIsABurstOfSmallOnlinePaymentsAtMerchantsNewToTheCard() {
    List<Transaction> testing = ofPattern(FraudPattern.CARD_TESTING);

    assertThat(testing).allSatisfy(tx -> {
      Card card = CARDS_BY_PAN.get(tx.getCardNumber());
      assertThat(tx.getChannel()).isEqualTo(Channel.ECOM);
      assertThat(tx.getDeviceId()).isNotNull();
      assertThat(tx.getAmountMinor()).isLessThanOrEqualTo(market(tx).toMinor(3.0));
      assertThat(card.habitualMerchants()).extracting(Merchant::id).doesNotContain(tx.getMerchantId());
      long burstMates = testing.stream()
          .filter(other -> other != tx && other.getCardNumber().equals(tx.getCardNumber()))
          .filter(other -> Duration.between(other.getEventTime(), tx.getEventTime()).abs().toSeconds() <= 180)
          .count();
      assertThat(burstMates).isGreaterThanOrEqualTo(4);
    });
  }

  @Test
  void accountTakeoverSpendsBigOnlineFromADeviceTheCustomerNeverUsed() {
    List<Transaction> takeovers = ofPattern(FraudPattern.ACCOUNT_TAKEOVER);

    assertThat(takeovers).allSatisfy(tx -> {
      Card card = CARDS_BY_PAN.get(tx.getCardNumber());
      assertThat(tx.getChannel()).isEqualTo(Channel.ECOM);
      assertThat(card.customer().deviceIds()).doesNotContain(tx.getDeviceId());
      assertThat(tx.getAmountMinor()).isGreaterThanOrEqualTo(market(tx).toMinor(3 * card.typicalAmountEur()) - 1);
    });
    assertThat(share(takeovers, tx -> !tx.getCountry().equals(home(tx).country()))).isGreaterThan(0.6);
  }

  @Test
  void nightHighValueHitsHighRiskMerchantsInTheHolderSmallHours() {
    List<Transaction> night = ofPattern(FraudPattern.NIGHT_HIGH_VALUE);

    assertThat(night).allSatisfy(tx -> {
      assertThat(tx.getMerchantCategory()).isIn("5732", "5944", "6051");
      // an episode starts before 5 h and may run on for up to 40 minutes
      assertThat(home(tx).localHour(tx.getEventTime().toEpochMilli())).isLessThan(6);
    });
  }

  @Test
  void legitimateUseIsMostlyDaytimeAtHome() {
    List<Transaction> legitimate = ofPattern(FraudPattern.NONE);

    assertThat(share(legitimate, tx -> tx.getCountry().equals(home(tx).country()))).isGreaterThan(0.85);
    assertThat(share(legitimate, tx -> home(tx).localHour(tx.getEventTime().toEpochMilli()) >= 8)).isGreaterThan(0.8);
  }

  @Test
  void eventTimesStartAtTheConfiguredInstantAndNeverDecrease() {
    Instant previous = START;
    for (SimulatedTransaction simulated : STREAM) {
      Instant time = simulated.transaction().getEventTime();
      assertThat(time).isAfterOrEqualTo(previous);
      previous = time;
    }
    assertThat(Duration.between(START, previous)).isBetween(Duration.ofHours(100), Duration.ofHours(180));
  }

  @Test
  void outOfOrdernessStaysWithinTheConfiguredBound() {
    Duration bound = Duration.ofSeconds(2);
    List<SimulatedTransaction> jittered = TransactionSimulator.builder().seed(5)
        .meanInterArrival(Duration.ofMillis(500)).maxOutOfOrderness(bound).build().stream(EVENTS).toList();

    Instant latest = Instant.EPOCH;
    int outOfOrder = 0;
    for (SimulatedTransaction simulated : jittered) {
      Instant time = simulated.transaction().getEventTime();
      assertThat(time).isAfterOrEqualTo(latest.minus(bound));
      if (time.isBefore(latest)) {
        outOfOrder++;
      } else {
        latest = time;
      }
    }
    assertThat(outOfOrder).isPositive();
  }

  @Test
  void amountsArePositiveMinorUnitsOfTheMerchantCountryIsoCurrency() {
    Set<Integer> exponents = new HashSet<>();
    assertThat(STREAM).allSatisfy(simulated -> {
      Transaction tx = simulated.transaction();
      Currency currency = Currency.getInstance(tx.getCurrency());
      assertThat(currency).isEqualTo(market(tx).currency());
      assertThat(tx.getAmountMinor()).isPositive();
      assertThat(tx.getMerchantCategory()).matches("\\d{4}");
      exponents.add(currency.getDefaultFractionDigits());
    });
    assertThat(exponents).contains(0, 2, 3);
  }

  @Test
  void merchantNamesInTheStreamUseManyScripts() {
    Set<UnicodeScript> scripts = STREAM.stream()
        .flatMapToInt(s -> s.transaction().getMerchantName().codePoints())
        .filter(Character::isLetter)
        .mapToObj(UnicodeScript::of)
        .collect(Collectors.toSet());

    assertThat(scripts).contains(UnicodeScript.LATIN, UnicodeScript.CYRILLIC, UnicodeScript.GREEK, UnicodeScript.HAN,
        UnicodeScript.ARABIC, UnicodeScript.DEVANAGARI);
  }

  @Test
  void driftShiftsTheCountryAndChannelMixAndInflatesAmounts() {
    List<Transaction> drifted = TransactionSimulator.builder().seed(5).start(START).drift(true).build().stream(EVENTS)
        .map(SimulatedTransaction::transaction).toList();
    List<Transaction> steady = STREAM.stream().map(SimulatedTransaction::transaction).toList();

    assertThat(totalVariationDistance(countryShares(steady), countryShares(drifted))).isGreaterThan(0.1);
    assertThat(share(steady, TransactionSimulatorTest::inEmergingMarket)).isZero();
    assertThat(share(drifted, TransactionSimulatorTest::inEmergingMarket)).isGreaterThan(0.05);
    assertThat(share(drifted, tx -> tx.getChannel() == Channel.ECOM))
        .isGreaterThan(share(steady, tx -> tx.getChannel() == Channel.ECOM) + 0.03);
    assertThat(medianEuroAmount(drifted)).isGreaterThan(medianEuroAmount(steady) * 1.1);
  }

  @Test
  void driftCanBeSwitchedOnMidStream() {
    TransactionSimulator switched = TransactionSimulator.builder().seed(5).start(START).build();
    List<SimulatedTransaction> before = switched.stream(EVENTS / 2).toList();
    switched.drift(true);
    List<Transaction> after = switched.stream(EVENTS / 2).map(SimulatedTransaction::transaction).toList();

    assertThat(before).isEqualTo(STREAM.subList(0, EVENTS / 2));
    assertThat(switched.drift()).isTrue();
    assertThat(share(after, TransactionSimulatorTest::inEmergingMarket)).isGreaterThan(0.05);
  }

  @Test
  void driftAtSwitchesAfterThatManyTransactionsAndShiftsWhatTheBuilderDocuments() {
    int driftAt = EVENTS / 2;
    List<SimulatedTransaction> stream = TransactionSimulator.builder().seed(5).start(START).driftAt(driftAt).build()
        .stream(EVENTS).toList();
    List<SimulatedTransaction> before = stream.subList(0, driftAt);
    List<SimulatedTransaction> after = stream.subList(driftAt, EVENTS);

    assertThat(before).isEqualTo(STREAM.subList(0, driftAt));
    assertThat(TransactionSimulator.builder().seed(5).start(START).driftAt(driftAt).build().stream(EVENTS).toList())
        .isEqualTo(stream);
    // countries and channels
    assertThat(share(transactions(before), TransactionSimulatorTest::inEmergingMarket)).isZero();
    assertThat(share(transactions(after), TransactionSimulatorTest::inEmergingMarket)).isGreaterThan(0.1);
    assertThat(share(transactions(after), tx -> tx.getChannel() == Channel.ECOM))
        .isGreaterThan(share(transactions(before), tx -> tx.getChannel() == Channel.ECOM) + 0.05);
    // the merchant category mix of legitimate spending
    assertThat(share(legitimate(after), TransactionSimulatorTest::highRiskCategory))
        .isGreaterThan(share(legitimate(before), TransactionSimulatorTest::highRiskCategory) + 0.05);
    // bigger fraud
    assertThat(medianEuros(spendingFraud(after))).isGreaterThan(2 * medianEuros(spendingFraud(before)));
  }

  private static List<Transaction> transactions(List<SimulatedTransaction> stream) {
    return stream.stream().map(SimulatedTransaction::transaction).toList();
  }

  private static List<Transaction> legitimate(List<SimulatedTransaction> stream) {
    return stream.stream().filter(s -> !s.fraud()).map(SimulatedTransaction::transaction).toList();
  }

  /** Account takeover and night-time cash-out: the schemes whose amounts drift. */
  private static List<Transaction> spendingFraud(List<SimulatedTransaction> stream) {
    return stream.stream()
        .filter(s -> s.pattern() == FraudPattern.ACCOUNT_TAKEOVER || s.pattern() == FraudPattern.NIGHT_HIGH_VALUE)
        .map(SimulatedTransaction::transaction).toList();
  }

  private static boolean highRiskCategory(Transaction tx) {
    return Set.of("5732", "5944", "6051").contains(tx.getMerchantCategory());
  }

  private static double medianEuros(List<Transaction> transactions) {
    double[] euros = transactions.stream()
        .mapToDouble(tx -> tx.getAmountMinor() / (double) market(tx).toMinor(1.0)).sorted().toArray();
    return euros[euros.length / 2];
  }

  private List<Transaction> ofPattern(FraudPattern pattern) {
    return STREAM.stream().filter(s -> s.pattern() == pattern).map(SimulatedTransaction::transaction).toList();
  }

  private static Market home(Transaction tx) {
    return CARDS_BY_PAN.get(tx.getCardNumber()).customer().home();
  }

  private static Market market(Transaction tx) {
    return Market.valueOf(tx.getCountry());
  }

  private static boolean inEmergingMarket(Transaction tx) {
    return market(tx).emerging();
  }

  private static double share(List<Transaction> transactions, Predicate<Transaction> condition) {
    return transactions.stream().filter(condition).count() / (double) transactions.size();
  }

  private static Map<String, Double> countryShares(List<Transaction> transactions) {
    return transactions.stream().collect(Collectors.groupingBy(Transaction::getCountry,
        Collectors.collectingAndThen(Collectors.counting(), n -> n / (double) transactions.size())));
  }

  private static double totalVariationDistance(Map<String, Double> p, Map<String, Double> q) {
    Set<String> keys = new HashSet<>(p.keySet());
    keys.addAll(q.keySet());
    return keys.stream().mapToDouble(k -> Math.abs(p.getOrDefault(k, 0.0) - q.getOrDefault(k, 0.0))).sum() / 2;
  }

  private static double medianEuroAmount(List<Transaction> transactions) {
    long[] cents = transactions.stream().filter(tx -> tx.getCurrency().equals("EUR"))
        .mapToLong(Transaction::getAmountMinor).sorted().toArray();
    return cents[cents.length / 2];
  }
}
