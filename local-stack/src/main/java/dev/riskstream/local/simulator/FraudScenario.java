package dev.riskstream.local.simulator;

/**
 * One fraud scheme: plans a whole episode of labelled transactions when a fraudster strikes. An
 * episode has between a minimum and a maximum number of transactions.
 */
abstract class FraudScenario {

  /** Under drift the rings that spend (account takeover, night cash-out) buy this many times bigger. */
  static final double DRIFT_AMOUNT_FACTOR = 2.5;

  protected final Population population;
  protected final Dice dice;
  protected final Schedule schedule;
  private final FraudPattern pattern;
  private final double shareOfFraud;
  private final int minTransactions;
  private final int maxTransactions;

  FraudScenario(FraudPattern pattern, double shareOfFraud, int minTransactions, int maxTransactions,
      Population population, Dice dice, Schedule schedule) {
    this.pattern = pattern;
    this.shareOfFraud = shareOfFraud;
    this.minTransactions = minTransactions;
    this.maxTransactions = maxTransactions;
    this.population = population;
    this.dice = dice;
    this.schedule = schedule;
  }

  final FraudPattern pattern() {
    return pattern;
  }

  /** This scheme's share of all fraudulent transactions; the shares of all schemes add up to 1. */
  final double shareOfFraud() {
    return shareOfFraud;
  }

  /** Transactions per episode on average, for calibrating the fraud rate. */
  final double transactionsPerEpisode() {
    return (minTransactions + maxTransactions) / 2.0;
  }

  /** How many transactions the next episode has. */
  final int episodeLength() {
    return dice.between(minTransactions, maxTransactions);
  }

  /**
   * Adds the episode's transactions to the schedule, none earlier than {@code nowMillis}; returns how
   * many. Under {@code drift} the scheme may change its tactics.
   */
  abstract int strike(long nowMillis, boolean drift);
}
