package dev.riskstream.rules;

/** Whether a rule decides, or only records that it would have. */
public enum RuleMode {
  ACTIVE,
  /** Evaluated and reported on each decision it would have fired for, changing nothing: a rule on trial. */
  SHADOW
}
