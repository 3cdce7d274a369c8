package dev.riskstream.local.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A fraudster checks which stolen card numbers work: many tiny online payments within a minute or two,
 * at one to three web shops the card never used, from the fraudster's device. Under drift the ring
 * has learnt that bursts get caught and tests slowly: the same payments spread over several hours, so
 * that a card never makes more than a couple in a minute or an hour.
 */
final class CardTesting extends FraudScenario {

  private static final int MIN_TRANSACTIONS = 5;
  private static final int MAX_TRANSACTIONS = 16;
  /** Under drift: gaps of 20 to 60 minutes between test payments. */
  private static final double SLOW_MIN_GAP_MILLIS = 20 * 60_000;
  private static final double SLOW_MAX_GAP_MILLIS = 60 * 60_000;


  CardTesting(Population population, Dice dice, Schedule schedule) {
    super(FraudPattern.CARD_TESTING, 0.40, MIN_TRANSACTIONS, MAX_TRANSACTIONS, population, dice, schedule);
  }

  @Override
  int strike(long nowMillis, boolean drift) {
    Card card = dice.any(population.cards());
    List<Merchant> shops = new ArrayList<>();
    for (int i = dice.between(1, 3); i > 0; i--) {
      shops.add(unfamiliarWebShop(card));
    }
    String deviceId = dice.deviceId();
    int count = episodeLength();
    double meanGapMillis = drift ? dice.uniform(SLOW_MIN_GAP_MILLIS, SLOW_MAX_GAP_MILLIS)
        : dice.uniform(30_000, 120_000) / count;
    long time = nowMillis;
    for (int i = 0; i < count; i++) {
      Merchant shop = dice.any(shops);
      schedule.add(time, card, shop, shop.market().toMinor(dice.uniform(0.5, 3.0)), deviceId, pattern());
      time += (long) (meanGapMillis * dice.uniform(0.5, 1.5));
    }
    return count;
  }

  private Merchant unfamiliarWebShop(Card card) {
    Merchant shop;
    do {
      shop = dice.any(population.onlineMerchants());
    } while (card.habitualMerchants().contains(shop));
    return shop;
  }
}
