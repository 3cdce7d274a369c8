package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinningTest {

  @Test
  void cutsContinuousValuesAtTheDeciles() {
    float[] values = new float[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i + 1;
    }
    NumericBins bins = NumericBins.fromValues("x", values, 10);

    assertThat(bins.edges()).containsExactly(11.0, 21.0, 31.0, 41.0, 51.0, 61.0, 71.0, 81.0, 91.0);
    double[] edges = bins.edges().stream().mapToDouble(Double::doubleValue).toArray();
    assertThat(ProfileBinning.binOf(edges, 1)).isZero();
    assertThat(ProfileBinning.binOf(edges, 10.99)).isZero();
    assertThat(ProfileBinning.binOf(edges, 11)).isEqualTo(1);
    assertThat(ProfileBinning.binOf(edges, 100)).isEqualTo(9);
    assertThat(ProfileBinning.binOf(edges, -5)).as("below the training range").isZero();
    assertThat(ProfileBinning.binOf(edges, 1e9)).as("above the training range").isEqualTo(9);
  }

  @Test
  void givesEachValueOfADiscreteFeatureItsOwnBin() {
    float[] indicator = new float[1000];
    indicator[3] = 1f;
    assertThat(NumericBins.fromValues("rare_indicator", indicator, 10).edges())
        .as("a 0.1% indicator keeps its own bin").containsExactly(1.0, (double) Math.nextUp(1f));
    assertThat(NumericBins.fromValues("tier", new float[] {3, 1, 5, 2, 4, 3, 3}, 10).edges())
        .containsExactly(2.0, 3.0, 4.0, 5.0, (double) Math.nextUp(5f));
    NumericBins constant = NumericBins.fromValues("constant", new float[] {7, 7, 7}, 10);
    double[] edges = constant.edges().stream().mapToDouble(Double::doubleValue).toArray();
    assertThat(ProfileBinning.binOf(edges, 7)).isZero();
    assertThat(ProfileBinning.binOf(edges, 8)).as("values training never reached").isEqualTo(1);
  }

  @Test
  void dropsRepeatedQuantileCuts() {
    float[] values = new float[100];
    for (int i = 60; i < values.length; i++) {
      values[i] = i;
    }
    // 60% zeros: the cuts at the first six deciles are all 0, the minimum
    assertThat(NumericBins.fromValues("mostly_zero", values, 10).edges()).containsExactly(60.0, 70.0, 80.0, 90.0);
  }

  @Test
  void ranksCategoriesAndKeepsTheRestAsOther() {
    CategoryBins bins = CategoryBins.fromCounts("country", Map.of("DE", 50L, "FR", 30L, "GB", 30L, "MX", 1L), 2);

    assertThat(bins.top()).containsExactly("DE", "FR");
    assertThat(bins.other()).containsExactly("GB", "MX");
    assertThat(bins.binCount()).isEqualTo(4);
    assertThatThrownBy(() -> new CategoryBins("c", List.of("DE"), List.of("DE")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
