package dev.riskstream.local.simulator;

import java.util.List;

/**
 * A fraudster who took over the customer's online account shops big from a new device, in quick
 * succession, mostly from another country (sometimes from the holder's own, which hides the country signal).
 */
final class AccountTakeover extends FraudScenario {

  private static final int MIN_TRANSACTIONS = 2;
  private static final int MAX_TRANSACTIONS = 6;
  private static final double SAME_COUNTRY_PROBABILITY = 0.2;

  private final WeightedChoice<Market> markets;

  AccountTakeover(Population population, Dice dice, Schedule schedule) {
    super(FraudPattern.ACCOUNT_TAKEOVER, 0.35, MIN_TRANSACTIONS, MAX_TRANSACTIONS, population, dice, schedule);
    this.markets = new WeightedChoice<>(Population.regularMarkets(), Market::weight);
  }

  @Override
  int strike(long nowMillis, boolean drift) {
    Card card = dice.any(population.cards());
    List<Merchant> shops = population.onlineMerchantsIn(fraudsterMarket(card));
    String deviceId = dice.deviceId();
    long time = nowMillis;
    int count = episodeLength();
    for (int i = 0; i < count; i++) {
      Merchant shop = dice.any(shops);
      double amountEur = Math.max(card.typicalAmountEur(), shop.category().typicalAmountEur()) * dice.uniform(3, 10)
          * (drift ? DRIFT_AMOUNT_FACTOR : 1);
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
