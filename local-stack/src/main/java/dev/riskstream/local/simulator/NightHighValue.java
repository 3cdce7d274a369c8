package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Channel;
import java.util.List;

/**
 * A counterfeit or stolen card cashed out in the small hours (0-5 h in the holder's time zone): one to
 * three large purchases at jewellers, electronics shops and quasi-cash merchants, mostly in the home country.
 */
final class NightHighValue extends FraudScenario {

  private static final int MIN_TRANSACTIONS = 1;
  private static final int MAX_TRANSACTIONS = 3;
  private static final int NIGHT_END_HOUR = 5;
  private static final long HOUR_MILLIS = 3_600_000L;
  /** Cards drawn looking for one whose holder's night it is, before waiting for the next night. */
  private static final int SEARCH_ATTEMPTS = 32;


  NightHighValue(Population population, Dice dice, Schedule schedule) {
    super(FraudPattern.NIGHT_HIGH_VALUE, 0.25, MIN_TRANSACTIONS, MAX_TRANSACTIONS, population, dice, schedule);
  }

  @Override
  int strike(long nowMillis, boolean drift) {
    Card card = dice.any(population.cards());
    for (int attempt = 1; attempt < SEARCH_ATTEMPTS && !atNight(card, nowMillis); attempt++) {
      card = dice.any(population.cards());
    }
    long time = atNight(card, nowMillis) ? nowMillis : nextNight(card, nowMillis);
    Market market = dice.chance(0.7) ? card.customer().home() : dice.any(Population.regularMarkets());
    List<Merchant> shops = population.highRiskMerchantsIn(market);
    String fraudsterDevice = dice.deviceId();
    int count = episodeLength();
    for (int i = 0; i < count; i++) {
      Merchant shop = dice.any(shops);
      double amountEur =
          Math.max(card.typicalAmountEur(), shop.category().typicalAmountEur()) * dice.uniform(1.5, 5)
          * (drift ? DRIFT_AMOUNT_FACTOR : 1);
      String deviceId = shop.channel() == Channel.ECOM ? fraudsterDevice : null;
      schedule.add(time, card, shop, shop.market().toMinor(amountEur), deviceId, pattern());
      time += dice.between(120_000, 1_200_000);
    }
    return count;
  }

  private static boolean atNight(Card card, long epochMillis) {
    return card.customer().home().localHour(epochMillis) < NIGHT_END_HOUR;
  }

  /** Somewhere in the next night, early enough that the episode ends before dawn. */
  private long nextNight(Card card, long nowMillis) {
    return card.customer().home().nextLocalMidnight(nowMillis) + dice.below(NIGHT_END_HOUR * HOUR_MILLIS - HOUR_MILLIS);
  }
}
