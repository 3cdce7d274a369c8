package dev.riskstream.training;

import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Card traffic with two fraud patterns the features can see: card testing (a burst of small
 * e-commerce payments at merchants new to the card, within a minute or two) and night-time spending
 * far above the card's usual amount in a country new to it. Legitimate traffic includes a little of
 * each ingredient (new merchants, night payments, quick repeats) so the patterns are not trivially
 * separable. Seeded, so every run sees the same transactions.
 */
final class SyntheticTransactions {

  static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
  /** A currency missing from the rates table. */
  static final String UNKNOWN_CURRENCY = "XYZ";

  private static final String[] HOME_COUNTRIES = {"DE", "FR", "GB", "US", "JP"};
  private static final String[] HOME_CURRENCIES = {"EUR", "EUR", "GBP", "USD", "JPY"};
  private static final int[] MINOR_UNITS_PER_EUR = {100, 100, 88, 116, 179};
  private static final String[] EVERYDAY_MCCS = {"5411", "5812", "5541", "5999", "4111"};
  private static final String[] TESTING_MCCS = {"5816", "5967"};
  private static final String[] HIGH_VALUE_MCCS = {"5944", "5732"};
  private static final String[] FOREIGN_COUNTRIES = {"NG", "RO", "BR", "VN"};

  private final Random random;
  private final List<LabeledTransaction> out = new ArrayList<>();
  private int nextId;

  private SyntheticTransactions(long seed) {
    this.random = new Random(seed);
  }

  /** Transactions of {@code cards} cards over {@code days} days, in no particular order. */
  static List<LabeledTransaction> generate(int cards, int days, long seed) {
    SyntheticTransactions generator = new SyntheticTransactions(seed);
    for (int card = 0; card < cards; card++) {
      generator.card(card, days);
    }
    return generator.out;
  }

  private void card(int card, int days) {
    String pan = String.valueOf(4000_0000_0000_0000L + card);
    int home = random.nextInt(HOME_COUNTRIES.length);
    double typicalEur = 10 + random.nextDouble() * 70;
    for (int day = 0; day < days; day++) {
      Instant midnight = START.plus(Duration.ofDays(day));
      int payments = 1 + random.nextInt(6);
      for (int i = 0; i < payments; i++) {
        legitimate(pan, card, home, typicalEur, midnight);
      }
      if (random.nextDouble() < 0.01) {
        out.add(new LabeledTransaction(
            tx(pan, "m-" + card + "-0", "5411", 1000, UNKNOWN_CURRENCY, HOME_COUNTRIES[home], Channel.POS,
                midnight.plus(Duration.ofHours(12))),
            false));
      }
      double fraudDraw = random.nextDouble();
      if (fraudDraw < 0.006) {
        cardTesting(pan, midnight.plus(Duration.ofMinutes(random.nextInt(24 * 60))));
      } else if (fraudDraw < 0.012) {
        nightSpending(pan, home, typicalEur, midnight);
      }
    }
  }

  private void legitimate(String pan, int card, int home, double typicalEur, Instant midnight) {
    boolean night = random.nextDouble() < 0.06;
    Instant at = midnight.plusSeconds(night ? random.nextInt(6 * 3600) : (7 + random.nextInt(16)) * 3600L
        + random.nextInt(3600));
    boolean newMerchant = random.nextDouble() < 0.08;
    String merchant = newMerchant ? "m-new-" + nextId : "m-" + card + "-" + random.nextInt(6);
    String mcc = EVERYDAY_MCCS[random.nextInt(EVERYDAY_MCCS.length)];
    // now and then a big purchase: a few times the usual amount, occasionally far more
    double splurge = random.nextDouble() < 0.03 ? 3 + random.nextDouble() * 12 : 1;
    double eur = typicalEur * splurge * Math.exp(random.nextGaussian() * 0.5);
    Channel channel = random.nextDouble() < 0.2 ? Channel.ECOM : Channel.POS;
    add(pan, merchant, mcc, eur, home, HOME_COUNTRIES[home], channel, at, false);
    if (random.nextDouble() < 0.03) {
      // a split bill or a retry: more payments at the same place seconds later
      int repeats = 1 + random.nextInt(3);
      for (int i = 1; i <= repeats; i++) {
        add(pan, merchant, mcc, eur / 2, home, HOME_COUNTRIES[home], channel, at.plusSeconds(20L * i), false);
      }
    }
  }

  private void cardTesting(String pan, Instant start) {
    int attempts = 1 + random.nextInt(6);
    for (int i = 0; i < attempts; i++) {
      String mcc = random.nextDouble() < 0.7
          ? TESTING_MCCS[random.nextInt(TESTING_MCCS.length)]
          : EVERYDAY_MCCS[random.nextInt(EVERYDAY_MCCS.length)];
      add(pan, "m-test-" + nextId, mcc, 0.5 + random.nextDouble() * 5, 0, "US",
          random.nextDouble() < 0.8 ? Channel.ECOM : Channel.MOTO, start.plusSeconds(i * (5 + random.nextInt(25))), true);
    }
  }

  private void nightSpending(String pan, int home, double typicalEur, Instant midnight) {
    Instant at = midnight.plusSeconds(random.nextDouble() < 0.7 ? 3600 + random.nextInt(4 * 3600) : random.nextInt(24 * 3600));
    String country = random.nextDouble() < 0.7
        ? FOREIGN_COUNTRIES[random.nextInt(FOREIGN_COUNTRIES.length)]
        : HOME_COUNTRIES[home];
    int purchases = 1 + random.nextInt(3);
    for (int i = 0; i < purchases; i++) {
      add(pan, "m-lux-" + nextId, HIGH_VALUE_MCCS[random.nextInt(HIGH_VALUE_MCCS.length)],
          typicalEur * (3 + random.nextDouble() * 20), home, country,
          random.nextBoolean() ? Channel.ECOM : Channel.POS, at.plusSeconds(i * 600L), true);
    }
  }

  private void add(String pan, String merchant, String mcc, double eur, int currencyOf, String country,
      Channel channel, Instant at, boolean fraud) {
    long amountMinor = Math.max(1, Math.round(eur * MINOR_UNITS_PER_EUR[currencyOf]));
    out.add(new LabeledTransaction(
        tx(pan, merchant, mcc, amountMinor, HOME_CURRENCIES[currencyOf], country, channel, at), fraud));
  }

  private Transaction tx(String pan, String merchant, String mcc, long amountMinor, String currency,
      String country, Channel channel, Instant at) {
    return Transaction.newBuilder()
        .setTransactionId("tx-" + nextId++)
        .setCardNumber(pan)
        .setCustomerId("cust-" + pan.substring(12))
        .setMerchantId(merchant)
        .setMerchantCategory(mcc)
        .setMerchantName("Händler " + merchant)
        .setAmountMinor(amountMinor)
        .setCurrency(currency)
        .setCountry(country)
        .setChannel(channel)
        .setEventTime(at)
        .build();
  }
}
