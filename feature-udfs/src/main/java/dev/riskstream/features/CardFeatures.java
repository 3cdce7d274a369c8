package dev.riskstream.features;

import static dev.riskstream.features.spec.FeatureSpec.*;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature functions: a transaction plus the history of its card, in, a vector in {@link
 * FeatureSpec#CURRENT} order, out. The streaming job keeps one {@link CardState} per card in keyed
 * state; training and batch inference replay transactions through the same call, {@link #arrive},
 * so all three see identical features.
 *
 * <p><b>Arrival semantics.</b> A transaction is decided when it arrives, against its card's history
 * as it stands then: every earlier arrival of the card, whatever its event time, and nothing that
 * arrives after it. Then it takes its event-time place in that history. Precisely:
 * <ul>
 *   <li>Windows (counts and sums over 1 minute, 1 hour, 24 hours) count the remembered transactions
 *       in {@code [t - horizon, t)} of event time, and the time since the last transaction looks at
 *       the latest remembered one before {@code t}. So a transaction that arrives behind newer ones
 *       of its card (late) is compared with what happened before it, not with what arrived before
 *       it, and every later transaction sees it in its windows.
 *   <li>Novelty (merchant, country, device), the history count and the running mean look at
 *       everything remembered so far, so they follow arrival order: a late transaction sees the
 *       merchants of the newer ones that came first.
 *   <li>A history expires one longest horizon after the latest event time it holds (rounded up to
 *       {@link #EXPIRY_RESOLUTION_MS}): a transaction after that sees an empty history. A late one
 *       never finds its card's history expired, since the history holds a later time.
 * </ul>
 * Arrival order is what the job saw; replays use the order their input records: a topic's
 * offsets, a list's order (see each replay). When transactions arrive in event-time order the
 * windows and the arrival-order features agree with an event-time replay.
 *
 * <p>State per card is bounded: at most {@value #MAX_RECENT_TRANSACTIONS} transactions of the
 * last 24 hours (counts and sums saturate there; a card-testing burst must not grow state without
 * limit) and a few most recent distinct merchants, countries and devices.
 */
public final class CardFeatures {

  public static final long MINUTE_MS = 60_000L;
  public static final long HOUR_MS = 60 * MINUTE_MS;
  public static final long DAY_MS = 24 * HOUR_MS;
  /** History older than the longest horizon is dropped; idle cards' state expires after it. */
  public static final long LONGEST_HORIZON_MS = DAY_MS;
  /** Expiry times are rounded up to this, so that a burst on one card makes the job register few timers. */
  public static final long EXPIRY_RESOLUTION_MS = MINUTE_MS;

  /** Bounds per-card state: a card testing burst must not grow state without limit. */
  static final int MAX_RECENT_TRANSACTIONS = 512;
  static final int MAX_KNOWN_MERCHANTS = 32;
  static final int MAX_KNOWN_COUNTRIES = 8;
  static final int MAX_KNOWN_DEVICES = 8;
  static final float MAX_AMOUNT_RATIO = 100f;

  /** Positions in the vector, resolved once rather than looked up by name for every transaction. */
  private static final int AMOUNT_BASE_LOG_AT = FeatureSpec.CURRENT.requireIndex(AMOUNT_BASE_LOG);
  private static final int AMOUNT_TO_CARD_MEAN_AT = FeatureSpec.CURRENT.requireIndex(AMOUNT_TO_CARD_MEAN);
  private static final int CARD_AMOUNT_SUM_1H_LOG_AT = FeatureSpec.CURRENT.requireIndex(CARD_AMOUNT_SUM_1H_LOG);
  private static final int CARD_AMOUNT_SUM_1M_LOG_AT = FeatureSpec.CURRENT.requireIndex(CARD_AMOUNT_SUM_1M_LOG);
  private static final int CARD_AMOUNT_SUM_24H_LOG_AT = FeatureSpec.CURRENT.requireIndex(CARD_AMOUNT_SUM_24H_LOG);
  private static final int CARD_HISTORY_COUNT_LOG_AT = FeatureSpec.CURRENT.requireIndex(CARD_HISTORY_COUNT_LOG);
  private static final int CARD_TX_COUNT_1H_AT = FeatureSpec.CURRENT.requireIndex(CARD_TX_COUNT_1H);
  private static final int CARD_TX_COUNT_1M_AT = FeatureSpec.CURRENT.requireIndex(CARD_TX_COUNT_1M);
  private static final int CARD_TX_COUNT_24H_AT = FeatureSpec.CURRENT.requireIndex(CARD_TX_COUNT_24H);
  private static final int CHANNEL_ATM_AT = FeatureSpec.CURRENT.requireIndex(CHANNEL_ATM);
  private static final int CHANNEL_ECOM_AT = FeatureSpec.CURRENT.requireIndex(CHANNEL_ECOM);
  private static final int CHANNEL_MOTO_AT = FeatureSpec.CURRENT.requireIndex(CHANNEL_MOTO);
  private static final int HOUR_OF_DAY_COS_AT = FeatureSpec.CURRENT.requireIndex(HOUR_OF_DAY_COS);
  private static final int HOUR_OF_DAY_SIN_AT = FeatureSpec.CURRENT.requireIndex(HOUR_OF_DAY_SIN);
  private static final int IS_NIGHT_AT = FeatureSpec.CURRENT.requireIndex(IS_NIGHT);
  private static final int MCC_HIGH_RISK_AT = FeatureSpec.CURRENT.requireIndex(MCC_HIGH_RISK);
  private static final int NEW_COUNTRY_FOR_CARD_AT = FeatureSpec.CURRENT.requireIndex(NEW_COUNTRY_FOR_CARD);
  private static final int NEW_DEVICE_FOR_CARD_AT = FeatureSpec.CURRENT.requireIndex(NEW_DEVICE_FOR_CARD);
  private static final int NEW_MERCHANT_FOR_CARD_AT = FeatureSpec.CURRENT.requireIndex(NEW_MERCHANT_FOR_CARD);
  private static final int SECONDS_SINCE_LAST_TX_LOG_AT = FeatureSpec.CURRENT.requireIndex(SECONDS_SINCE_LAST_TX_LOG);

  /**
   * When a history last added to at {@code lastEventTime} expires: one longest horizon later, rounded
   * up to {@link #EXPIRY_RESOLUTION_MS}. The streaming job clears idle cards' state then, so training
   * replays the same expiry.
   */
  public static long expiresAt(long lastEventTime) {
    return (lastEventTime + LONGEST_HORIZON_MS) / EXPIRY_RESOLUTION_MS * EXPIRY_RESOLUTION_MS + EXPIRY_RESOLUTION_MS;
  }

  /** What one arrival makes: the transaction's features, and its card's history with it remembered. */
  public record Arrival(float[] features, CardState history) {}

  /**
   * A transaction's arrival at its card (see the class comment): its features against {@code
   * stored}, then the history with the transaction in its event-time place.
   *
   * @param stored the card's history before {@code tx}, or null when it has none; changed in place
   *     unless it has expired by {@code tx}'s event time
   */
  public Arrival arrive(CardState stored, Transaction tx, double amountBase) {
    CardState history = historyAt(stored, tx.getEventTime().toEpochMilli());
    float[] vector = extract(tx, amountBase, history);
    remember(history, tx, amountBase);
    return new Arrival(vector, history);
  }

  /** The history a transaction at {@code eventTime} sees: {@code history}, unless it is null or expired by then. */
  static CardState historyAt(CardState history, long eventTime) {
    return history == null || expiresAt(history.getLastEventTime()) < eventTime ? emptyHistory() : history;
  }

  public static CardState emptyHistory() {
    return CardState.newBuilder()
        .setRecentTimes(new ArrayList<>())
        .setRecentAmountsBase(new ArrayList<>())
        .setKnownMerchants(new ArrayList<>())
        .setKnownCountries(new ArrayList<>())
        .setKnownDevices(new ArrayList<>())
        .build();
  }

  /** The features of {@code tx} given its card's history before it; the history is not changed. */
  public float[] extract(Transaction tx, double amountBase, CardState history) {
    float[] v = FeatureSpec.CURRENT.defaults();
    long t = tx.getEventTime().toEpochMilli();

    set(v, AMOUNT_BASE_LOG_AT, TransactionFeatures.amountBaseLog(amountBase));
    if (history.getTransactionCount() > 0 && history.getMeanAmountBase() > 0) {
      set(v, AMOUNT_TO_CARD_MEAN_AT,
          (float) Math.min(MAX_AMOUNT_RATIO, amountBase / history.getMeanAmountBase()));
    }

    List<Long> times = history.getRecentTimes();
    List<Double> amounts = history.getRecentAmountsBase();
    int count1m = 0;
    int count1h = 0;
    int count24h = 0;
    double sum1m = 0;
    double sum1h = 0;
    double sum24h = 0;
    for (int i = 0; i < times.size(); i++) {
      long age = t - times.get(i);
      if (age <= 0 || age > DAY_MS) {
        continue;
      }
      double amount = amounts.get(i);
      count24h++;
      sum24h += amount;
      if (age <= HOUR_MS) {
        count1h++;
        sum1h += amount;
        if (age <= MINUTE_MS) {
          count1m++;
          sum1m += amount;
        }
      }
    }
    set(v, CARD_TX_COUNT_1M_AT, count1m);
    set(v, CARD_TX_COUNT_1H_AT, count1h);
    set(v, CARD_TX_COUNT_24H_AT, count24h);
    set(v, CARD_AMOUNT_SUM_1M_LOG_AT, (float) Math.log1p(sum1m));
    set(v, CARD_AMOUNT_SUM_1H_LOG_AT, (float) Math.log1p(sum1h));
    set(v, CARD_AMOUNT_SUM_24H_LOG_AT, (float) Math.log1p(sum24h));

    long previous = latestBefore(times, t);
    if (previous >= 0) {
      set(v, SECONDS_SINCE_LAST_TX_LOG_AT, (float) Math.log1p((t - previous) / 1000.0));
    }
    set(v, CARD_HISTORY_COUNT_LOG_AT, (float) Math.log1p(history.getTransactionCount()));
    if (history.getTransactionCount() > 0) {
      set(v, NEW_MERCHANT_FOR_CARD_AT, indicator(!history.getKnownMerchants().contains(tx.getMerchantId())));
      set(v, NEW_COUNTRY_FOR_CARD_AT, indicator(!history.getKnownCountries().contains(tx.getCountry())));
    }
    // without a device id there is no evidence either way: the feature keeps its default
    if (tx.getDeviceId() != null) {
      set(v, NEW_DEVICE_FOR_CARD_AT, indicator(!history.getKnownDevices().contains(tx.getDeviceId())));
    }

    double hour = TransactionFeatures.localHour(t, tx.getCountry());
    set(v, HOUR_OF_DAY_SIN_AT, TransactionFeatures.hourSin(hour));
    set(v, HOUR_OF_DAY_COS_AT, TransactionFeatures.hourCos(hour));
    set(v, IS_NIGHT_AT, TransactionFeatures.isNight(hour));
    set(v, CHANNEL_ECOM_AT, TransactionFeatures.channelIs(tx.getChannel(), Channel.ECOM));
    set(v, CHANNEL_ATM_AT, TransactionFeatures.channelIs(tx.getChannel(), Channel.ATM));
    set(v, CHANNEL_MOTO_AT, TransactionFeatures.channelIs(tx.getChannel(), Channel.MOTO));
    set(v, MCC_HIGH_RISK_AT, TransactionFeatures.mccHighRisk(tx.getMerchantCategory()));
    return v;
  }

  /** Adds {@code tx} to its card's history, dropping what falls out of the longest horizon. */
  public static void remember(CardState history, Transaction tx, double amountBase) {
    long t = tx.getEventTime().toEpochMilli();
    long count = history.getTransactionCount() + 1;
    history.setMeanAmountBase(history.getMeanAmountBase() + (amountBase - history.getMeanAmountBase()) / count);
    history.setTransactionCount(count);
    history.setLastEventTime(Math.max(history.getLastEventTime(), t));

    List<Long> times = history.getRecentTimes();
    List<Double> amounts = history.getRecentAmountsBase();
    int at = times.size();
    while (at > 0 && times.get(at - 1) > t) {
      at--;
    }
    times.add(at, t);
    amounts.add(at, amountBase);
    long cutoff = history.getLastEventTime() - LONGEST_HORIZON_MS;
    while (!times.isEmpty() && (times.get(0) < cutoff || times.size() > MAX_RECENT_TRANSACTIONS)) {
      times.remove(0);
      amounts.remove(0);
    }
    keepMostRecent(history.getKnownMerchants(), tx.getMerchantId(), MAX_KNOWN_MERCHANTS);
    keepMostRecent(history.getKnownCountries(), tx.getCountry(), MAX_KNOWN_COUNTRIES);
    if (tx.getDeviceId() != null) {
      keepMostRecent(history.getKnownDevices(), tx.getDeviceId(), MAX_KNOWN_DEVICES);
    }
  }

  private static void keepMostRecent(List<String> known, String value, int capacity) {
    // by index: lists read back by Avro (from RocksDB) do not support removal through an iterator
    int seen = known.indexOf(value);
    if (seen >= 0) {
      known.remove(seen);
    }
    known.add(value);
    if (known.size() > capacity) {
      known.remove(0);
    }
  }

  private static long latestBefore(List<Long> sortedTimes, long t) {
    for (int i = sortedTimes.size() - 1; i >= 0; i--) {
      if (sortedTimes.get(i) < t) {
        return sortedTimes.get(i);
      }
    }
    return -1;
  }

  private static void set(float[] vector, int index, float value) {
    vector[index] = value;
  }

  private static float indicator(boolean condition) {
    return TransactionFeatures.indicator(condition);
  }
}
