package dev.riskstream.features.profile;

import static dev.riskstream.features.spec.FeatureSpec.*;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.features.spec.ProfileDefaults;
import dev.riskstream.schemas.Transaction;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Turns the customer and merchant profiles of a transaction, or their absence, into the profile
 * features of a {@link FeatureSpec#CURRENT} vector. An absent profile (not found, timed out, failed)
 * leaves its features at the documented fallbacks of {@link ProfileDefaults}; {@code
 * profile_missing} is 0 only when both profiles are present.
 */
public final class ProfileFeatures {

  /** The features this class writes: the ones that fall back to their defaults together. */
  public static final List<String> FEATURE_NAMES = List.of(CUSTOMER_RISK_TIER, CUSTOMER_ACCOUNT_AGE_DAYS_LOG,
      MERCHANT_RISK_SCORE, MERCHANT_CHARGEBACK_RATE, IS_HOME_COUNTRY_FOR_CUSTOMER, PROFILE_MISSING);

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;
  private static final int RISK_TIER = SPEC.requireIndex(CUSTOMER_RISK_TIER);
  private static final int ACCOUNT_AGE = SPEC.requireIndex(CUSTOMER_ACCOUNT_AGE_DAYS_LOG);
  private static final int MERCHANT_RISK = SPEC.requireIndex(MERCHANT_RISK_SCORE);
  private static final int CHARGEBACKS = SPEC.requireIndex(MERCHANT_CHARGEBACK_RATE);
  private static final int HOME_COUNTRY = SPEC.requireIndex(IS_HOME_COUNTRY_FOR_CUSTOMER);
  private static final int MISSING = SPEC.requireIndex(PROFILE_MISSING);

  private ProfileFeatures() {}

  /**
   * Writes the profile features of {@code tx} into {@code vector}.
   *
   * @param customer the customer's profile, or null when unknown
   * @param merchant the merchant's profile, or null when unknown
   */
  public static void apply(float[] vector, Transaction tx, CustomerProfile customer, MerchantProfile merchant) {
    unavailable(vector);
    if (customer != null) {
      vector[RISK_TIER] = customer.riskTier();
      LocalDate day = tx.getEventTime().atOffset(ZoneOffset.UTC).toLocalDate();
      // an opening date after the transaction is bad data, not a negative age
      long days = Math.max(0, ChronoUnit.DAYS.between(customer.accountOpened(), day));
      vector[ACCOUNT_AGE] = (float) Math.log1p(days);
      vector[HOME_COUNTRY] = customer.homeCountry().equals(tx.getCountry()) ? 1f : 0f;
    }
    if (merchant != null) {
      vector[MERCHANT_RISK] = merchant.riskScore();
      vector[CHARGEBACKS] = merchant.chargebackRate();
    }
    vector[MISSING] = customer != null && merchant != null ? 0f : 1f;
  }

  /** Sets every profile feature to its fallback: the lookup timed out or failed. */
  public static void unavailable(float[] vector) {
    vector[RISK_TIER] = ProfileDefaults.CUSTOMER_RISK_TIER;
    vector[ACCOUNT_AGE] = ProfileDefaults.CUSTOMER_ACCOUNT_AGE_DAYS_LOG;
    vector[MERCHANT_RISK] = ProfileDefaults.MERCHANT_RISK_SCORE;
    vector[CHARGEBACKS] = ProfileDefaults.MERCHANT_CHARGEBACK_RATE;
    vector[HOME_COUNTRY] = ProfileDefaults.IS_HOME_COUNTRY_FOR_CUSTOMER;
    vector[MISSING] = ProfileDefaults.PROFILE_MISSING;
  }
}
