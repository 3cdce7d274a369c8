package dev.riskstream.features.drift;

/**
 * Distances between a reference and an observed distribution, both given as counts over the same
 * bins ({@code reference[from .. from+length)} against {@code observed[from .. from+length)}).
 */
public final class DriftStatistics {

  /**
   * Added to every count before PSI's logarithm, so that a bin empty on one side gives a large but
   * finite term rather than an infinite one. Half an observation (the Jeffreys prior) keeps a bin
   * that one window happens to miss from dominating, while a bin the reference never saw (a new
   * country) that takes a few percent of a window still pushes PSI well past 0.25.
   */
  public static final double PSI_SMOOTHING = 0.5;

  private DriftStatistics() {}

  /**
   * Population stability index, {@code sum((o - r) * ln(o / r))} over the bins, with both
   * distributions smoothed by {@link #PSI_SMOOTHING}: {@code p = (count + 0.5) / (total + 0.5 * k)}
   * over the {@code k} bins that are non-empty on at least one side. Bins empty on both sides say
   * nothing about drift and are left out, so that an attribute's unseen bin, always empty in the
   * reference, adds nothing while serving sees no unseen value either. 0 when either side is empty.
   */
  public static double psi(long[] reference, long[] observed, int from, int length) {
    long referenceTotal = total(reference, from, length);
    long observedTotal = total(observed, from, length);
    if (referenceTotal == 0 || observedTotal == 0) {
      return 0;
    }
    int informativeBins = 0;
    for (int i = from; i < from + length; i++) {
      if (reference[i] + observed[i] > 0) {
        informativeBins++;
      }
    }
    double referenceDenominator = referenceTotal + PSI_SMOOTHING * informativeBins;
    double observedDenominator = observedTotal + PSI_SMOOTHING * informativeBins;
    double psi = 0;
    for (int i = from; i < from + length; i++) {
      if (reference[i] + observed[i] > 0) {
        double r = (reference[i] + PSI_SMOOTHING) / referenceDenominator;
        double o = (observed[i] + PSI_SMOOTHING) / observedDenominator;
        psi += (o - r) * Math.log(o / r);
      }
    }
    return psi;
  }

  /**
   * Kolmogorov–Smirnov distance from binned counts: the largest difference between the two
   * cumulative distributions at a bin edge. It can only see differences across edges, so it is a
   * lower bound of the KS distance of the raw values. 0 when either side is empty.
   */
  public static double ksDistance(long[] reference, long[] observed, int from, int length) {
    long referenceTotal = total(reference, from, length);
    long observedTotal = total(observed, from, length);
    if (referenceTotal == 0 || observedTotal == 0) {
      return 0;
    }
    long referenceCumulative = 0;
    long observedCumulative = 0;
    double distance = 0;
    for (int i = from; i < from + length; i++) {
      referenceCumulative += reference[i];
      observedCumulative += observed[i];
      distance = Math.max(distance, Math.abs(
          referenceCumulative / (double) referenceTotal - observedCumulative / (double) observedTotal));
    }
    return distance;
  }

  /**
   * Jensen–Shannon distance: the square root of the Jensen–Shannon divergence in bits, in [0, 1].
   * Finite for empty bins without smoothing, since each side is compared with the mixture. 0 when
   * either side is empty.
   */
  public static double jensenShannonDistance(long[] reference, long[] observed, int from, int length) {
    long referenceTotal = total(reference, from, length);
    long observedTotal = total(observed, from, length);
    if (referenceTotal == 0 || observedTotal == 0) {
      return 0;
    }
    double divergence = 0;
    for (int i = from; i < from + length; i++) {
      double r = reference[i] / (double) referenceTotal;
      double o = observed[i] / (double) observedTotal;
      double mixture = (r + o) / 2;
      divergence += halfKullbackLeiblerTerm(r, mixture) + halfKullbackLeiblerTerm(o, mixture);
    }
    // rounding can leave a divergence a hair below 0 for identical distributions
    return Math.sqrt(Math.max(0, divergence));
  }

  private static double halfKullbackLeiblerTerm(double p, double mixture) {
    return p == 0 ? 0 : 0.5 * p * Math.log(p / mixture) / Math.log(2);
  }

  private static long total(long[] counts, int from, int length) {
    long total = 0;
    for (int i = from; i < from + length; i++) {
      total += counts[i];
    }
    return total;
  }
}
