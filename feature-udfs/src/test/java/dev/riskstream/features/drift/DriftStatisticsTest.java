package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

  private static double psi(long[] reference, long[] observed) {
    return DriftStatistics.psi(reference, observed, 0, reference.length);
  }

  @Test
  void psiSumsTheSmoothedTermsOfEveryBin() {
    // smoothed: reference 50.5/101 twice; observed 25.5/101 and 75.5/101
    double r = 50.5 / 101;
    double o1 = 25.5 / 101;
    double o2 = 75.5 / 101;
    double expected = (o1 - r) * Math.log(o1 / r) + (o2 - r) * Math.log(o2 / r);

    assertThat(psi(new long[] {50, 50}, new long[] {25, 75})).isCloseTo(expected, within(1e-12));
    assertThat(expected).isCloseTo(0.2687, within(1e-4));
    assertThat(psi(new long[] {50, 50}, new long[] {50, 50})).isZero();
  }

  @Test
  void psiIgnoresBinsEmptyOnBothSidesAndStaysFiniteForBinsEmptyOnOne() {
    assertThat(psi(new long[] {50, 0, 50}, new long[] {25, 0, 75}))
        .isCloseTo(psi(new long[] {50, 50}, new long[] {25, 75}), within(1e-12));

    // reference never saw the second bin: 0.5 / 101 against 10.5 / 101
    double r1 = 100.5 / 101;
    double r2 = 0.5 / 101;
    double o1 = 90.5 / 101;
    double o2 = 10.5 / 101;
    double expected = (o1 - r1) * Math.log(o1 / r1) + (o2 - r2) * Math.log(o2 / r2);
    assertThat(psi(new long[] {100, 0}, new long[] {90, 10})).isCloseTo(expected, within(1e-12));
    assertThat(expected).isGreaterThan(0.25);
  }

  @Test
  void ksIsTheLargestGapBetweenTheCumulativeShares() {
    // cumulative 0.1 0.3 0.6 1 against 0.4 0.7 0.9 1
    assertThat(DriftStatistics.ksDistance(new long[] {10, 20, 30, 40}, new long[] {40, 30, 20, 10}, 0, 4))
        .isCloseTo(0.4, within(1e-12));
    assertThat(DriftStatistics.ksDistance(new long[] {1, 2, 3}, new long[] {10, 20, 30}, 0, 3)).isZero();
  }

  @Test
  void jensenShannonDistanceIsInBitsBetweenZeroAndOne() {
    // mixture (0.75, 0.25): KL(r||m) = 0.5 log2(2/3) + 0.5 log2(2), KL(o||m) = log2(4/3)
    double divergence = 0.5 * (0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25)) + 0.5 * log2(1 / 0.75);
    assertThat(DriftStatistics.jensenShannonDistance(new long[] {50, 50}, new long[] {100, 0}, 0, 2))
        .isCloseTo(Math.sqrt(divergence), within(1e-12));
    assertThat(Math.sqrt(divergence)).isCloseTo(0.5579, within(1e-4));

    assertThat(DriftStatistics.jensenShannonDistance(new long[] {7, 0}, new long[] {0, 3}, 0, 2))
        .isCloseTo(1, within(1e-12));
    assertThat(DriftStatistics.jensenShannonDistance(new long[] {3, 5}, new long[] {30, 50}, 0, 2))
        .isCloseTo(0, within(1e-7));
  }

  @Test
  void readsOnlyTheGivenSlice() {
    long[] reference = {999, 50, 50, 0};
    long[] observed = {1, 25, 75, 999};
    assertThat(DriftStatistics.psi(reference, observed, 1, 2))
        .isCloseTo(psi(new long[] {50, 50}, new long[] {25, 75}), within(1e-12));
  }

  @Test
  void anEmptySideMeasuresNothing() {
    assertThat(psi(new long[] {0, 0}, new long[] {1, 2})).isZero();
    assertThat(DriftStatistics.ksDistance(new long[] {1, 2}, new long[] {0, 0}, 0, 2)).isZero();
    assertThat(DriftStatistics.jensenShannonDistance(new long[] {0, 0}, new long[] {1, 2}, 0, 2)).isZero();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
