package dev.riskstream.rules;

/** What an active rule does when it fires; see {@link RuleVerdict#outcome} for how it meets the model's outcome. */
public enum RuleAction {
  DECLINE,
  REVIEW,
  /** Approves, whatever the model says: for allow lists (a verified customer, a test card). */
  ALLOW
}
