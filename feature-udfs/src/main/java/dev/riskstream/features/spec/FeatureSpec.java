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

  // Profile features: from the lookup join to the customer and merchant profile tables
  // (ProfileFeatures). Their defaults are the fallbacks when a profile is missing or the lookup
  // times out or fails, so that a database outage degrades scores instead of stopping them.
  public static final String CUSTOMER_RISK_TIER = "customer_risk_tier";
  public static final String CUSTOMER_ACCOUNT_AGE_DAYS_LOG = "customer_account_age_days_log";
  public static final String MERCHANT_RISK_SCORE = "merchant_risk_score";
  public static final String MERCHANT_CHARGEBACK_RATE = "merchant_chargeback_rate";
  public static final String IS_HOME_COUNTRY_FOR_CUSTOMER = "is_home_country_for_customer";
  public static final String PROFILE_MISSING = "profile_missing";

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
                  "1 for merchant categories with high fraud rates (quasi-cash, jewellery, electronics, gambling, digital goods)"),

              // --- profile features (lookup join); appended after the card features so that the
              // positions of the earlier features, and bundles trained without these, stay valid.
              // Each default is the documented fallback for MISS, TIMEOUT, ERROR and NOT_CONFIGURED.
              new Feature(CUSTOMER_RISK_TIER, NUMERIC, ProfileDefaults.CUSTOMER_RISK_TIER, 1,
                  "the customer's risk tier, 1 (lowest) to 5 (highest); unknown customers count as the middle tier 3"),
              new Feature(CUSTOMER_ACCOUNT_AGE_DAYS_LOG, NUMERIC, ProfileDefaults.CUSTOMER_ACCOUNT_AGE_DAYS_LOG, 1,
                  "log1p of the days from account opening to the transaction (UTC); unknown: 0, as for an account opened that day"),
              new Feature(MERCHANT_RISK_SCORE, NUMERIC, ProfileDefaults.MERCHANT_RISK_SCORE, 1,
                  "the merchant's risk score in [0, 1]; unknown merchants get the midpoint 0.5"),
              new Feature(MERCHANT_CHARGEBACK_RATE, NUMERIC, ProfileDefaults.MERCHANT_CHARGEBACK_RATE, 1,
                  "the merchant's share of transactions charged back; unknown: 0.01, a typical rate"),
              new Feature(IS_HOME_COUNTRY_FOR_CUSTOMER, CATEGORICAL, ProfileDefaults.IS_HOME_COUNTRY_FOR_CUSTOMER, 1,
                  "1 if the transaction's country is the customer's home country; unknown: 1, so that a missing "
                      + "profile alone does not look like travel (profile_missing says it is unknown)"),
              new Feature(PROFILE_MISSING, CATEGORICAL, ProfileDefaults.PROFILE_MISSING, 1,
                  "0 when both the customer and the merchant profile were found, 1 otherwise (missing, timed out, failed "
                      + "or no lookup configured)")));

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
