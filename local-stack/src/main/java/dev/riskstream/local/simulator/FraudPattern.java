package dev.riskstream.local.simulator;

/** The label of a simulated transaction: which fraud scheme produced it, or {@link #NONE}. */
public enum FraudPattern {
  /** Legitimate behaviour of the card holder. */
  NONE,
  /** A burst of many small online transactions on one card at merchants it never used, within a minute or two. */
  CARD_TESTING,
  /** A new device, usually in a new country, making high online purchases in quick succession. */
  ACCOUNT_TAKEOVER,
  /** Large amounts at high-risk merchant categories in the small hours of the card holder's time zone. */
  NIGHT_HIGH_VALUE;

  public boolean isFraud() {
    return this != NONE;
  }
}
