package dev.riskstream.features.spec;

import static dev.riskstream.features.spec.FeatureType.CATEGORICAL;
import static dev.riskstream.features.spec.FeatureType.NUMERIC;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single list of features that serving, training and batch scoring compute. A feature vector
 * is a {@code float[]} in this order; a model bundle records the order its model expects, by name.
 */
public final class FeatureSpec {

  public static final String AMOUNT_BASE_LOG = "amount_base_log";
  public static final String AMOUNT_TO_CARD_MEAN = "amount_to_card_mean";
  public static final String CARD_TX_COUNT_1M = "card_tx_count_1m";
  public static final String CARD_TX_COUNT_1H = "card_tx_count_1h";
  public static final String CARD_TX_COUNT_24H = "card_tx_count_24h";
  public static final String CARD_AMOUNT_SUM_1M_LOG = "card_amount_sum_1m_log";
  public static final String CARD_AMOUNT_SUM_1H_LOG = "card_amount_sum_1h_log";
  public static final String CARD_AMOUNT_SUM_24H_LOG = "card_amount_sum_24h_log";
  public static final String SECONDS_SINCE_LAST_TX_LOG = "seconds_since_last_tx_log";
  public static final String CARD_HISTORY_COUNT_LOG = "card_history_count_log";
  public static final String NEW_MERCHANT_FOR_CARD = "new_merchant_for_card";
  public static final String NEW_COUNTRY_FOR_CARD = "new_country_for_card";
  public static final String NEW_DEVICE_FOR_CARD = "new_device_for_card";
  public static final String HOUR_OF_DAY_SIN = "hour_of_day_sin";
  public static final String HOUR_OF_DAY_COS = "hour_of_day_cos";
  public static final String IS_NIGHT = "is_night";
  public static final String CHANNEL_ECOM = "channel_ecom";
  public static final String CHANNEL_ATM = "channel_atm";
  public static final String CHANNEL_MOTO = "channel_moto";
  public static final String MCC_HIGH_RISK = "mcc_high_risk";

  /** log1p of 30 days in seconds: what a card without history looks like. */
  public static final float NO_PREVIOUS_TRANSACTION = (float) Math.log1p(30 * 24 * 3600);

  public static final FeatureSpec CURRENT =
      new FeatureSpec(
          List.of(
              new Feature(AMOUNT_BASE_LOG, NUMERIC, 0f, 1, "log1p of the amount in the base currency"),
              new Feature(AMOUNT_TO_CARD_MEAN, NUMERIC, 1f, 1,
                  "amount over the card's running mean amount, capped at 100"),
              new Feature(CARD_TX_COUNT_1M, NUMERIC, 0f, 1, "earlier transactions of the card in the last minute"),
              new Feature(CARD_TX_COUNT_1H, NUMERIC, 0f, 1, "earlier transactions of the card in the last hour"),
              new Feature(CARD_TX_COUNT_24H, NUMERIC, 0f, 1, "earlier transactions of the card in the last 24 hours"),
              new Feature(CARD_AMOUNT_SUM_1M_LOG, NUMERIC, 0f, 1,
                  "log1p of the card's earlier amounts in the base currency over the last minute"),
              new Feature(CARD_AMOUNT_SUM_1H_LOG, NUMERIC, 0f, 1,
                  "log1p of the card's amount in the base currency over the last hour"),
              new Feature(CARD_AMOUNT_SUM_24H_LOG, NUMERIC, 0f, 1,
                  "log1p of the card's earlier amounts in the base currency over the last 24 hours"),
              new Feature(SECONDS_SINCE_LAST_TX_LOG, NUMERIC, NO_PREVIOUS_TRANSACTION, 1,
                  "log1p of the seconds since the card's previous transaction"),
              new Feature(CARD_HISTORY_COUNT_LOG, NUMERIC, 0f, 1, "log1p of the card's transaction count"),
              new Feature(NEW_MERCHANT_FOR_CARD, CATEGORICAL, 1f, 1,
                  "1 if the merchant is not among the card's recent merchants"),
              new Feature(NEW_COUNTRY_FOR_CARD, CATEGORICAL, 1f, 1,
                  "1 if the country is not among the card's recent countries"),
              new Feature(NEW_DEVICE_FOR_CARD, CATEGORICAL, 0f, 1,
                  "1 if the device is not among the card's recent devices (so also for its first); default when the transaction has no deviceId"),
              // version 2: the merchant country's local time (its IANA zone, daylight saving included) instead of UTC
              new Feature(HOUR_OF_DAY_SIN, NUMERIC, 0f, 2,
                  "sine of the hour of day in the merchant country's local time (UTC for an unknown country)"),
              new Feature(HOUR_OF_DAY_COS, NUMERIC, 1f, 2,
                  "cosine of the hour of day in the merchant country's local time (UTC for an unknown country)"),
              new Feature(IS_NIGHT, CATEGORICAL, 0f, 2,
                  "1 between 00:00 and 05:59 in the merchant country's local time (UTC for an unknown country)"),
              new Feature(CHANNEL_ECOM, CATEGORICAL, 0f, 1, "1 for e-commerce"),
              new Feature(CHANNEL_ATM, CATEGORICAL, 0f, 1, "1 for ATM withdrawals"),
              new Feature(CHANNEL_MOTO, CATEGORICAL, 0f, 1, "1 for mail or telephone order"),
              new Feature(MCC_HIGH_RISK, CATEGORICAL, 0f, 1,
                  "1 for merchant categories with high fraud rates (quasi-cash, jewellery, electronics, gambling, digital goods)")));

  private final List<Feature> features;
  private final Map<String, Integer> indexByName = new HashMap<>();

  private FeatureSpec(List<Feature> features) {
    this.features = List.copyOf(features);
    for (int i = 0; i < features.size(); i++) {
      if (indexByName.put(features.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate feature " + features.get(i).name());
      }
    }
  }

  public List<Feature> features() {
    return features;
  }

  public int size() {
    return features.size();
  }

  public List<String> names() {
    return features.stream().map(Feature::name).toList();
  }

  /** Position of the named feature in a vector, or empty when the specification has no such feature. */
  public Optional<Integer> indexOf(String name) {
    return Optional.ofNullable(indexByName.get(name));
  }

  public int requireIndex(String name) {
    return indexOf(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown feature '" + name + "'"));
  }

  public Feature feature(String name) {
    return features.get(requireIndex(name));
  }

  /** A vector with every feature at its default. */
  public float[] defaults() {
    float[] vector = new float[features.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = features.get(i).defaultValue();
    }
    return vector;
  }
}
