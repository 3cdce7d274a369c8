package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrincipalComponentsTest {

  private static final String AMOUNT = FeatureSpec.AMOUNT_BASE_LOG;
  private static final String SUM_1H = FeatureSpec.CARD_AMOUNT_SUM_1H_LOG;
  private static final String SUM_24H = FeatureSpec.CARD_AMOUNT_SUM_24H_LOG;
  private static final String HOUR_SIN = FeatureSpec.HOUR_OF_DAY_SIN;
  private static final List<String> FEATURES = FeatureSpec.CURRENT.names().stream()
      .filter(List.of(AMOUNT, SUM_1H, SUM_24H, HOUR_SIN)::contains).toList();

  private final SplittableRandom random = new SplittableRandom(17);

  /** Three features that move together (one factor, some noise) and one on its own. */
  private List<float[]> rows(int n) {
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] row = FeatureSpec.CURRENT.defaults();
      double factor = random.nextGaussian();
      row[index(AMOUNT)] = (float) (3 + factor + 0.2 * random.nextGaussian());
      row[index(SUM_1H)] = (float) (4 + 2 * factor + 0.3 * random.nextGaussian());
      row[index(SUM_24H)] = (float) (5 + 1.5 * factor + 0.3 * random.nextGaussian());
      row[index(HOUR_SIN)] = (float) random.nextDouble(-1, 1);
      rows.add(row);
    }
    return rows;
  }

  private static int index(String feature) {
    return FeatureSpec.CURRENT.requireIndex(feature);
  }

  @Test
  void keepsTheSharedDirectionAndFindsRowsWhoseFeaturesNoLongerGoTogether() {
    PrincipalComponents components = PrincipalComponents.fit(rows(20_000), FEATURES);

    // the shared factor carries three of the four standardised unit variances; 0.65 of them needs only it
    assertThat(components.components()).hasSize(1);
    assertThat(components.explainedVariance()).isCloseTo(0.72, within(0.03));
    PrincipalComponents.Projector projector = components.projector();
    double stationary = meanError(projector, rows(5_000));
    List<float[]> shuffled = rows(5_000);
    // the amount of another row: its distribution is the same, its relation to the sums is gone
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float amount = shuffled.get(i)[index(AMOUNT)];
      shuffled.get(i)[index(AMOUNT)] = shuffled.get(j)[index(AMOUNT)];
      shuffled.get(j)[index(AMOUNT)] = amount;
    }
    assertThat(meanError(projector, shuffled)).isGreaterThan(stationary + 0.3);
  }

  @Test
  void aThresholdFromTheReferencesDailyVariationHoldsStationaryDaysAndCatchesAShuffledFeature() {
    int days = 20;
    int rowsPerDay = 2_000;
    List<float[]> training = rows(days * rowsPerDay);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < training.size(); i++) {
      times.add(i * 86_400_000L / rowsPerDay);
    }
    PrincipalComponents.Projector projector = PrincipalComponents.fit(training, FEATURES).projector();
    JointReference.Segment reference = JointReference.segment(
        training.stream().map(projector::reconstructionError).toList(), times);

    assertThat(reference.rowsPerDay()).isEqualTo(rowsPerDay);
    // independent rows: a day's mean varies by the rows' spread over the square root of a day's rows
    assertThat(reference.dailyStandardDeviation())
        .isCloseTo(reference.rowStandardDeviation() / Math.sqrt(rowsPerDay), within(0.3 * reference.dailyStandardDeviation()));
    int quietDays = 0;
    for (int day = 0; day < 100; day++) {
      quietDays += meanError(projector, rows(rowsPerDay)) <= reference.threshold(rowsPerDay) ? 1 : 0;
    }
    assertThat(quietDays).as("three standard deviations: about one day in 700 drifts by chance")
        .isGreaterThanOrEqualTo(98);
    assertThat(reference.threshold(rowsPerDay / 4)).as("a smaller window varies more")
        .isGreaterThan(reference.threshold(rowsPerDay));
    assertThat(reference.threshold(rowsPerDay * 4)).as("a larger one is held to a day's variation")
        .isEqualTo(reference.threshold(rowsPerDay));
  }

  @Test
  void aFeatureConstantInTrainingDeviatesByWhateverItTakesLater() {
    List<float[]> training = rows(1_000);
    training.forEach(row -> row[index(HOUR_SIN)] = 0.5f);
    PrincipalComponents components = PrincipalComponents.fit(training, FEATURES);

    assertThat(components.scales().get(FEATURES.indexOf(HOUR_SIN))).isEqualTo(1.0);
    float[] row = training.get(0).clone();
    double before = components.projector().reconstructionError(row);
    row[index(HOUR_SIN)] = -0.5f;
    assertThat(components.projector().reconstructionError(row)).isGreaterThan(before + 0.5);
  }

  private static double meanError(PrincipalComponents.Projector projector, List<float[]> rows) {
    return rows.stream().mapToDouble(projector::reconstructionError).average().orElseThrow();
  }
}
