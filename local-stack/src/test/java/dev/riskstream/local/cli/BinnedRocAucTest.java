package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.training.HeldOutScores;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinnedRocAucTest {

  /**
   * Scores as a fraud model gives them, most legitimate ones crowded near 0 and the classes
   * overlapping: the binned AUC agrees with the exact one to the four places the summary prints.
   */
  @Test
  void agreesWithTheExactRankStatisticToFourPlaces() {
    Random random = new Random(11);
    int rows = 200_000;
    double[] scores = new double[rows];
    boolean[] fraud = new boolean[rows];
    BinnedRocAuc binned = new BinnedRocAuc();
    for (int i = 0; i < rows; i++) {
      fraud[i] = random.nextInt(50) == 0;
      double draw = random.nextDouble();
      scores[i] = fraud[i] ? 1 - Math.pow(draw, 0.7) : Math.pow(draw, 4) * 0.5;
      binned.add(scores[i], fraud[i]);
    }

    double exact = new HeldOutScores(scores, fraud).rocAuc();
    assertThat(exact).as("the classes overlap").isBetween(0.8, 0.99);
    assertThat(binned.rocAuc()).hasValueCloseTo(exact, within(5e-5));
  }

  @Test
  void equalScoresCountHalf() {
    BinnedRocAuc binned = new BinnedRocAuc();
    binned.add(0.3, true);
    binned.add(0.3, false);
    binned.add(0.9, true);
    binned.add(0.1, false);

    // pairs (fraud, legitimate): (0.3, 0.3) half, (0.3, 0.1), (0.9, 0.3), (0.9, 0.1)
    assertThat(binned.rocAuc()).hasValue(3.5 / 4);
  }

  @Test
  void theExtremesOfTheScaleAreCounted() {
    BinnedRocAuc binned = new BinnedRocAuc();
    binned.add(1.0, true);
    binned.add(0.0, false);

    assertThat(binned.rocAuc()).hasValue(1.0);
  }

  @Test
  void noneWithoutBothClasses() {
    BinnedRocAuc binned = new BinnedRocAuc();
    binned.add(0.7, true);

    assertThat(binned.rocAuc()).isEmpty();
  }
}
