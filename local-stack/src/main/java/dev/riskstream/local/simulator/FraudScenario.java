package dev.riskstream.local.simulator;

/** One fraud scheme: plans a whole episode of labelled transactions when a fraudster strikes. */
interface FraudScenario {

  FraudPattern pattern();

  /** This scheme's share of all fraudulent transactions; the shares of all schemes add up to 1. */
  double shareOfFraud();

  /** Transactions per episode on average, for calibrating the fraud rate. */
  double transactionsPerEpisode();

  /** Adds the episode's transactions to the schedule, none earlier than {@code nowMillis}; returns how many. */
  int strike(long nowMillis);
}
