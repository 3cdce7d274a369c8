package dev.riskstream.features.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelManifest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  private static final ModelManifest.Thresholds THRESHOLDS = new ModelManifest.Thresholds(0.5, 0.8);

  @Test
  void poolsAdjacentViolatorsIntoANonDecreasingCurve() {
    Calibration calibration = Calibration.fit(new double[] {0.4, 0.1, 0.3, 0.2}, new boolean[] {true, false, false, true});

    assertThat(calibration.steps()).containsExactly(new Calibration.Step(0.1, 0.1, 0, 1),
        new Calibration.Step(0.2, 0.3, 0.5, 2), new Calibration.Step(0.4, 0.4, 1, 1));
    PerformanceEstimator estimator = new PerformanceEstimator(calibration, THRESHOLDS);
    assertThat(estimator.probability(0.05)).isEqualTo(0.0);
    assertThat(estimator.probability(0.15)).isCloseTo(0.25, within(1e-12));
    assertThat(estimator.probability(0.25)).isEqualTo(0.5);
    assertThat(estimator.probability(0.4)).isEqualTo(1.0);
    assertThat(estimator.probability(0.9)).isEqualTo(1.0);
  }

  @Test
  void equalScoresGetOneProbability() {
    Calibration calibration = Calibration.fit(new double[] {0.5, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true});

    assertThat(calibration.steps()).containsExactly(new Calibration.Step(0.5, 0.5, 1 / 3.0, 3),
        new Calibration.Step(0.9, 0.9, 1, 1));
  }

  @Test
  void saysHowFarTheModelsOwnScoresWereFromTheFraudRates() {
    SplittableRandom random = new SplittableRandom(3);
    int rows = 50_000;
    double[] calibrated = new double[rows];
    double[] overconfident = new double[rows];
    boolean[] fraud = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      double probability = random.nextDouble() * 0.2;
      calibrated[i] = probability;
      overconfident[i] = Math.sqrt(probability);
      fraud[i] = random.nextDouble() < probability;
    }

    assertThat(Calibration.fit(calibrated, fraud).rawCalibrationError()).isLessThan(0.01);
    // sqrt(p) over p in [0, 0.2] is 0.30 against 0.10 on average
    assertThat(Calibration.fit(overconfident, fraud).rawCalibrationError()).isCloseTo(0.2, within(0.02));
  }

  @Test
  void needsBothClasses() {
    assertThatThrownBy(() -> Calibration.fit(new double[] {0.1, 0.2}, new boolean[] {false, false}))
        .hasMessageContaining("needs fraud and legitimate rows; there are 0 fraud of 2");
  }

  @Test
  void refusesACurveThatFalls() {
    assertThatThrownBy(() -> new Calibration(Calibration.ISOTONIC,
            List.of(new Calibration.Step(0.1, 0.1, 0.5, 4), new Calibration.Step(0.2, 0.3, 0.4, 6)), 10, 4, 0))
        .hasMessageContaining("step 1 is Step[lowScore=0.2, highScore=0.3, probability=0.4, rows=6]");
  }
}
