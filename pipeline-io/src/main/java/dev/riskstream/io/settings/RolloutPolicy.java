package dev.riskstream.io.settings;

/** How a new model version goes live; see {@link RolloutOptions#POLICY}. */
public enum RolloutPolicy {
  /**
   * A new version goes into shadow; the rollout gathers and reports the evidence, and a person
   * promotes ({@code riskstream model promote}) or ends the shadow.
   */
  MANUAL,
  /**
   * A new version goes into shadow, and the rollout promotes or rejects it on live evidence paired
   * on the same transactions, announcing what it did.
   */
  SHADOW_THEN_PROMOTE,
  /**
   * A new version scores every transaction in shadow and decides those of a stable share of cards
   * ({@link RolloutOptions#CANARY_SHARE}); the rollout promotes or rejects it on the live evidence, as
   * under {@link #SHADOW_THEN_PROMOTE}.
   */
  CANARY,
  /** A new version decides all traffic at once. */
  IMMEDIATE
}
