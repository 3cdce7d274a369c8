package dev.riskstream.features.spec;

/**
 * The values the profile features take when the profile they come from is unknown: the row is
 * missing (MISS), the lookup timed out (TIMEOUT) or failed (ERROR), or the job runs without a lookup
 * database (NOT_CONFIGURED). Training replays have no lookup, so models see these values whenever a
 * profile was not available, exactly as serving does.
 */
public final class ProfileDefaults {

  /** The middle of tiers 1 to 5: neither trusted nor suspected. */
  public static final float CUSTOMER_RISK_TIER = 3f;
  /** log1p(0): an unknown account is treated like one opened on the day, the riskiest age. */
  public static final float CUSTOMER_ACCOUNT_AGE_DAYS_LOG = 0f;
  /** The midpoint of the [0, 1] risk score. */
  public static final float MERCHANT_RISK_SCORE = 0.5f;
  /** About what card schemes consider a normal chargeback rate (1 %). */
  public static final float MERCHANT_CHARGEBACK_RATE = 0.01f;
  /** Assume home: a missing profile alone must not look like travel. */
  public static final float IS_HOME_COUNTRY_FOR_CUSTOMER = 1f;
  /** Unknown until a lookup finds both profiles. */
  public static final float PROFILE_MISSING = 1f;

  private ProfileDefaults() {}
}
