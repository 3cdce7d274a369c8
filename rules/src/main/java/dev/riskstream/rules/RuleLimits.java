package dev.riskstream.rules;

/**
 * How large a rule set may be. A set travels as one record on the rule-sets topic, whose brokers
 * refuse records over {@code max.message.bytes} (1 MiB by default), and every subtask holds it and
 * evaluates every rule for every transaction.
 */
public final class RuleLimits {

  public static final int MAX_SOURCE_BYTES = 900 * 1024;
  public static final int MAX_RULES = 500;
  public static final int MAX_EXPRESSION_CHARS = 4_000;
  /** All lists together. */
  public static final int MAX_LIST_ENTRIES = 50_000;

  private RuleLimits() {}
}
