package dev.riskstream.features.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class PairedAucTest {

  private static final int BINS = 20;

  @Test
  void agreesWithDeLongComputedCaseByCase() {
    Random random = new Random(7);
    int frauds = 60;
    int legitimate = 400;
    int[][] fraudScores = correlatedScores(random, frauds, 12, 4);
    int[][] legitimateScores = correlatedScores(random, legitimate, 6, 4);

    PairedAuc.Comparison binned = PairedAuc.compare(cells(fraudScores), cells(legitimateScores), BINS);
    double[] caseByCase = deLongCaseByCase(fraudScores, legitimateScores);

    assertThat(binned.aucA()).isCloseTo(caseByCase[0], within(1e-12));
    assertThat(binned.aucB()).isCloseTo(caseByCase[1], within(1e-12));
    assertThat(binned.pValueAHigher()).isCloseTo(caseByCase[2], within(1e-9));
    assertThat(binned.pValueALower()).isCloseTo(1 - caseByCase[2], within(1e-9));
  }

  @Test
  void aModelThatRanksFarBetterIsShownToWithEnoughCases() {
    Random random = new Random(11);
    Map<Integer, Long> frauds = new HashMap<>();
    Map<Integer, Long> legitimate = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      // A puts frauds high; B puts them anywhere
      frauds.merge(cell(14 + random.nextInt(6), random.nextInt(BINS)), 1L, Long::sum);
    }
    for (int i = 0; i < 2000; i++) {
      legitimate.merge(cell(random.nextInt(12), random.nextInt(BINS)), 1L, Long::sum);
    }

    PairedAuc.Comparison comparison = PairedAuc.compare(frauds, legitimate, BINS);

    assertThat(comparison.aucA()).isGreaterThan(0.95);
    assertThat(comparison.aucB()).isBetween(0.4, 0.6);
    assertThat(comparison.pValueAHigher()).isLessThan(1e-6);
  }

  @Test
  void identicalRankingsShowNothing() {
    Map<Integer, Long> frauds = Map.of(cell(15, 15), 10L, cell(3, 3), 2L);
    Map<Integer, Long> legitimate = Map.of(cell(2, 2), 100L, cell(16, 16), 1L);

    PairedAuc.Comparison comparison = PairedAuc.compare(frauds, legitimate, BINS);

    assertThat(comparison.aucA()).isEqualTo(comparison.aucB());
    assertThat(comparison.pValueAHigher()).isEqualTo(1.0);
    assertThat(comparison.pValueALower()).isEqualTo(1.0);
  }

  @Test
  void needsBothClasses() {
    assertThat(PairedAuc.compare(Map.of(cell(1, 1), 3L), Map.of(), BINS)).isNull();
  }

  private static int cell(int a, int b) {
    return a * BINS + b;
  }

  /** Scores of two models around {@code centre}: B is A plus noise, both clamped to the bins. */
  private static int[][] correlatedScores(Random random, int n, int centre, int spread) {
    int[][] scores = new int[n][2];
    for (int i = 0; i < n; i++) {
      int a = clamp(centre + (int) Math.round(random.nextGaussian() * spread));
      scores[i][0] = a;
      scores[i][1] = clamp(a + (int) Math.round(random.nextGaussian() * spread));
    }
    return scores;
  }

  private static int clamp(int bin) {
    return Math.max(0, Math.min(BINS - 1, bin));
  }

  private static Map<Integer, Long> cells(int[][] scores) {
    Map<Integer, Long> cells = new HashMap<>();
    for (int[] score : scores) {
      cells.merge(cell(score[0], score[1]), 1L, Long::sum);
    }
    return cells;
  }

  /** AUC of A, AUC of B and the one-sided p-value of A higher, by DeLong's formulas over every pair of cases. */
  private static double[] deLongCaseByCase(int[][] frauds, int[][] legitimate) {
    int m = frauds.length;
    int n = legitimate.length;
    double[][] v10 = new double[m][2];
    double[][] v01 = new double[n][2];
    for (int model = 0; model < 2; model++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double psi = frauds[i][model] > legitimate[j][model] ? 1 : frauds[i][model] == legitimate[j][model] ? 0.5 : 0;
          v10[i][model] += psi / n;
          v01[j][model] += psi / m;
        }
      }
    }
    double aucA = mean(v10, 0);
    double aucB = mean(v10, 1);
    double variance = differenceVariance(v10) / m + differenceVariance(v01) / n;
    double z = (aucA - aucB) / Math.sqrt(variance);
    return new double[] {aucA, aucB, 1 - new NormalDistribution(0, 1).cumulativeProbability(z)};
  }

  private static double mean(double[][] values, int column) {
    double sum = 0;
    for (double[] value : values) {
      sum += value[column];
    }
    return sum / values.length;
  }

  private static double differenceVariance(double[][] values) {
    double mean = mean(values, 0) - mean(values, 1);
    double sum = 0;
    for (double[] value : values) {
      double d = value[0] - value[1] - mean;
      sum += d * d;
    }
    return sum / (values.length - 1);
  }
}
