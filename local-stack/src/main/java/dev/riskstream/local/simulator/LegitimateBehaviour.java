package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Channel;
import java.util.List;

/**
 * What card holders do: mostly shop at their habitual merchants at home, in the daytime of their time
 * zone, for amounts around their usual ones; sometimes travel. A little of it looks like fraud on purpose
 * (big purchases, new devices, quick repeats, night-time shopping), so that no single feature separates
 * fraud from it.
 */
final class LegitimateBehaviour {

  /** Relative likelihood that a card is used in each local hour; the peak is 1. */
  private static final double[] HOURLY_ACTIVITY = {
    0.10, 0.06, 0.04, 0.04, 0.05, 0.08, 0.20, 0.45, 0.70, 0.85, 0.95, 1.00,
    1.00, 1.00, 0.95, 0.90, 0.90, 0.95, 1.00, 0.90, 0.75, 0.55, 0.35, 0.20};

  /** A purchase retried or topped up within two minutes: genuine velocity. */
  private static final double QUICK_REPEAT_PROBABILITY = 0.03;
  private static final double BIG_PURCHASE_PROBABILITY = 0.01;
  private static final double NEW_DEVICE_PROBABILITY = 0.01;
  private static final double TRIP_START_PROBABILITY = 0.004;
  private static final double DRIFT_TRIP_START_PROBABILITY = 0.03;
  private static final double DRIFT_AMOUNT_INFLATION = 1.35;
  private static final long DAY_MILLIS = 86_400_000L;

  private final Population population;
  private final Dice dice;
  private final Schedule schedule;
  private final WeightedChoice<Market> destinations;
  private final WeightedChoice<Market> driftDestinations;
  private final Market[] tripDestination;
  private final long[] tripEndMillis;

  LegitimateBehaviour(Population population, Dice dice, Schedule schedule) {
    this.population = population;
    this.dice = dice;
    this.schedule = schedule;
    this.destinations = new WeightedChoice<>(Population.regularMarkets(), Market::weight);
    // under drift the emerging markets become the fashionable destinations
    this.driftDestinations =
        new WeightedChoice<>(List.of(Market.values()), m -> m.emerging() ? 4 * m.weight() : m.weight());
    this.tripDestination = new Market[population.cards().size()];
    this.tripEndMillis = new long[population.cards().size()];
  }

  /** Transactions one arrival produces on average, for calibrating the fraud rate. */
  static double transactionsPerArrival() {
    return 1 + QUICK_REPEAT_PROBABILITY;
  }

  /** Adds the arrival's transactions to the schedule; returns how many. */
  int arrive(long nowMillis, boolean drift) {
    Card card = cardInUse(nowMillis);
    Market trip = trip(card, nowMillis, drift);
    Merchant merchant = merchant(card, trip, drift);
    double amountEur = amountEur(card, merchant, drift);
    String deviceId = deviceId(card, merchant);
    schedule.add(nowMillis, card, merchant, amountMinor(merchant, amountEur), deviceId, FraudPattern.NONE);
    if (dice.chance(QUICK_REPEAT_PROBABILITY)) {
      long later = nowMillis + 15_000 + dice.below(105_000L);
      schedule.add(later, card, merchant, amountMinor(merchant, amountEur * dice.uniform(0.3, 1.2)), deviceId,
          FraudPattern.NONE);
      return 2;
    }
    return 1;
  }

  /** Busy cards and daytime hours are proportionally more likely: rejection sampling over all cards. */
  private Card cardInUse(long nowMillis) {
    List<Card> cards = population.cards();
    while (true) {
      Card card = dice.any(cards);
      int hour = card.customer().home().localHour(nowMillis);
      if (dice.chance(card.activity() * HOURLY_ACTIVITY[hour])) {
        return card;
      }
    }
  }

  /** The market the card holder is travelling in, or null when at home. */
  private Market trip(Card card, long nowMillis, boolean drift) {
    int i = card.index();
    // a trip to an emerging market is cut short when drift ends, as their merchants trade only under drift
    if (tripEndMillis[i] > nowMillis && (drift || !tripDestination[i].emerging())) {
      return tripDestination[i];
    }
    if (!dice.chance(drift ? DRIFT_TRIP_START_PROBABILITY : TRIP_START_PROBABILITY)) {
      return null;
    }
    Market home = card.customer().home();
    Market destination;
    do {
      destination = (drift ? driftDestinations : destinations).draw(dice);
    } while (destination == home);
    tripDestination[i] = destination;
    tripEndMillis[i] = nowMillis + dice.between(2, 10) * DAY_MILLIS;
    return destination;
  }

  private Merchant merchant(Card card, Market trip, boolean drift) {
    if (trip != null && dice.chance(0.75)) {
      return dice.any(population.merchantsIn(trip));
    }
    Market home = card.customer().home();
    if (drift) {
      double shift = dice.uniform();
      if (shift < 0.15) {
        return dice.any(population.emergingMerchants());
      }
      if (shift < 0.30) {
        return dice.any(population.onlineMerchantsIn(home));
      }
      if (shift < 0.40) {
        // electronics, jewellery and crypto-style quasi-cash go mainstream: a new merchant category mix
        return dice.any(population.highRiskMerchantsIn(home));
      }
    }
    double choice = dice.uniform();
    if (choice < 0.85) {
      return habitual(card);
    }
    if (choice < 0.97) {
      return dice.any(population.merchantsIn(home));
    }
    return dice.any(population.onlineMerchants());
  }

  /** Skewed towards the first habitual merchants: everyone has a favourite shop. */
  private Merchant habitual(Card card) {
    List<Merchant> habitual = card.habitualMerchants();
    double u = dice.uniform();
    return habitual.get((int) (u * u * habitual.size()));
  }

  private double amountEur(Card card, Merchant merchant, boolean drift) {
    double amount = merchant.category().typicalAmountEur() * card.spendFactor() * Math.exp(0.5 * dice.gaussian());
    if (dice.chance(BIG_PURCHASE_PROBABILITY)) {
      amount *= dice.uniform(3, 8);
    }
    return drift ? amount * DRIFT_AMOUNT_INFLATION : amount;
  }

  private static long amountMinor(Merchant merchant, double amountEur) {
    return merchant.channel() == Channel.ATM
        ? merchant.market().toCashMinor(amountEur)
        : merchant.market().toMinor(amountEur);
  }

  private String deviceId(Card card, Merchant merchant) {
    if (merchant.channel() != Channel.ECOM) {
      return null;
    }
    if (dice.chance(NEW_DEVICE_PROBABILITY)) {
      return dice.deviceId();
    }
    List<String> devices = card.customer().deviceIds();
    return dice.chance(0.85) ? devices.get(0) : devices.get(devices.size() - 1);
  }
}
