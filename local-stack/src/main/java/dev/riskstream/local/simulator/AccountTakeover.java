package dev.riskstream.local.simulator;

import java.util.List;

/**
 * A fraudster who took over the customer's online account shops big from a new device, in quick
 * succession, mostly from another country (sometimes from the holder's own, which hides the country signal).
 */
final class AccountTakeover implements FraudScenario {

  private static final int MIN_TRANSACTIONS = 2;
  private static final int MAX_TRANSACTIONS = 6;
  private static final double SAME_COUNTRY_PROBABILITY = 0.2;

  private final Population population;
  private final Dice dice;
  private final Schedule schedule;
  private final WeightedChoice<Market> markets;

  AccountTakeover(Population population, Dice dice, Schedule schedule) {
    this.population = population;
    this.dice = dice;
    this.schedule = schedule;
    this.markets = new WeightedChoice<>(Population.regularMarkets(), Market::weight);
  }

  @Override
  public FraudPattern pattern() {
    return FraudPattern.ACCOUNT_TAKEOVER;
  }

  @Override
  public double shareOfFraud() {
    return 0.35;
  }

  @Override
  public double transactionsPerEpisode() {
    return (MIN_TRANSACTIONS + MAX_TRANSACTIONS) / 2.0;
  }

  @Override
  public int strike(long nowMillis) {
    Card card = dice.any(population.cards());
    List<Merchant> shops = population.onlineMerchantsIn(fraudsterMarket(card));
    String deviceId = dice.deviceId();
    long time = nowMillis;
    int count = dice.between(MIN_TRANSACTIONS, MAX_TRANSACTIONS);
    for (int i = 0; i < count; i++) {
      Merchant shop = dice.any(shops);
      double amountEur = Math.max(card.typicalAmountEur(), shop.category().typicalAmountEur()) * dice.uniform(3, 10);
      schedule.add(time, card, shop, shop.market().toMinor(amountEur), deviceId, pattern());
      time += dice.between(30_000, 360_000);
    }
    return count;
  }

  private Market fraudsterMarket(Card card) {
    Market home = card.customer().home();
    if (dice.chance(SAME_COUNTRY_PROBABILITY)) {
      return home;
    }
    Market market;
    do {
      market = markets.draw(dice);
    } while (market == home);
    return market;
  }
}
