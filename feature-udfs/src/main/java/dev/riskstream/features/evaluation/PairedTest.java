package dev.riskstream.features.evaluation;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The exact McNemar test of two models on the same cases: only the cases where they disagree say
 * which is better, and if both were equally good each of those would be a fair coin between them.
 * The offline validation gate and the live rollout both judge a candidate against its champion
 * with it, on the frauds one caught and the other missed.
 */
public final class PairedTest {

  private PairedTest() {}

  /**
   * The chance of the candidate winning at most {@code candidateWins} of the disagreements if both
   * were equally good: small when the candidate is worse. 1 without disagreements.
   */
  public static double pValueOfAtMost(int candidateWins, int championWins) {
    int disagreements = checked(candidateWins, championWins);
    return disagreements == 0 ? 1 : coin(disagreements).cumulativeProbability(candidateWins);
  }

  /**
   * The chance of the candidate winning at least {@code candidateWins} of the disagreements if both
   * were equally good: small when the candidate is better. 1 without disagreements.
   */
  public static double pValueOfAtLeast(int candidateWins, int championWins) {
    return pValueOfAtMost(championWins, candidateWins);
  }

  private static int checked(int candidateWins, int championWins) {
    if (candidateWins < 0 || championWins < 0) {
      throw new IllegalArgumentException("counts of wins cannot be negative: " + candidateWins + ", " + championWins);
    }
    return candidateWins + championWins;
  }

  private static BinomialDistribution coin(int trials) {
    // no random generator: only the distribution's probabilities are used
    return new BinomialDistribution(null, trials, 0.5);
  }
}
