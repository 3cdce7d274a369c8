package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.profile.ProfileFeatures;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftEvaluatorTest {

  private static final ReferenceProfile REFERENCE = SyntheticTraffic.reference(new SyntheticTraffic(1).rows(40_000));
  private static final DriftEvaluator EVALUATOR = new DriftEvaluator(REFERENCE, DriftThresholds.DEFAULTS);

  @Test
  void profilesEverySegmentWithEnoughRows() {
    assertThat(REFERENCE.segments()).containsKeys("all", "channel=POS", "channel=ECOM", "country=DE", "country=GB",
        "mccGroup=travel", "mccGroup=cash", "mccGroup=high_risk");
    assertThat(REFERENCE.segments().keySet()).first().isEqualTo("all");
    assertThat(REFERENCE.segment("all").orElseThrow().rows()).isEqualTo(40_000);
    assertThat(REFERENCE.segment("channel=ATM")).as("no training rows").isEmpty();
  }

  @Test
  void aTransactionBelongsToTheSegmentsOfItsKeysThatTheReferenceProfiled() {
    var tx = new SyntheticTraffic(4).rows(1).get(0).transaction();
    String[] keys = REFERENCE.segmenter().keysOf(tx);
    tx.setChannel(dev.riskstream.schemas.Channel.ATM); // no ATM rows in training: not a segment

    assertThat(EVALUATOR.segmentsOf(tx)).containsExactly("all", keys[2], keys[3]);
  }

  @Test
  void trafficFromTheTrainingDistributionStaysStableInEverySegment() {
    Map<String, WindowCounts> windows = windowsBySegment(new SyntheticTraffic(2).rows(5_000));

    windows.forEach((segment, counts) -> {
      DriftEvaluation evaluation = EVALUATOR.evaluate(segment, counts);
      assertThat(evaluation.status()).as(segment + ": " + drifting(evaluation)).isEqualTo(DriftStatus.STABLE);
      assertThat(evaluation.maxPsi()).as(segment).isLessThan(DriftThresholds.DEFAULTS.psi());
    });
  }

  @Test
  void tripledAmountsAreFlaggedOnTheAmountAndTheScore() {
    DriftEvaluation evaluation = evaluateAll(new SyntheticTraffic(3).amountsTimes(3).rows(5_000));

    assertThat(evaluation.status()).isEqualTo(DriftStatus.DRIFTING);
    assertThat(drifting(evaluation)).contains(FeatureSpec.AMOUNT_BASE_LOG, ReferenceProfile.SCORE)
        .doesNotContain("country", FeatureSpec.CUSTOMER_RISK_TIER);
    assertThat(evaluation.maxPsi())
        .isEqualTo(evaluation.features().stream().mapToDouble(FeatureDrift::getPsi).max().orElseThrow());
    assertThat(evaluation.driftingFeatures()).isEqualTo(drifting(evaluation).size());
  }

  @Test
  void anUnjudgedFeatureIsReportedButNeverDrifts() {
    DriftThresholds amountUnjudged = new DriftThresholds(0.25, 0.15, 0.05, 0.10, 500,
        Set.of(FeatureSpec.AMOUNT_BASE_LOG));
    var rows = new SyntheticTraffic(3).amountsTimes(3).rows(5_000);
    DriftEvaluation evaluation = new DriftEvaluator(REFERENCE, amountUnjudged)
        .evaluate("all", SyntheticTraffic.count(EVALUATOR.binning(), rows));

    FeatureDrift amount = evaluation.features().stream()
        .filter(f -> f.getName().equals(FeatureSpec.AMOUNT_BASE_LOG)).findFirst().orElseThrow();
    assertThat(amount.getPsi()).as("still measured").isGreaterThan(0.25);
    assertThat(amount.getDrifting()).isFalse();
    assertThat(drifting(evaluation)).as("the score still shows the change").contains(ReferenceProfile.SCORE);
  }

  @Test
  void aCountryNeverSeenInTrainingIsFlaggedAsUnseen() {
    DriftEvaluation evaluation = evaluateAll(new SyntheticTraffic(4).withNewCountry("TH", 0.1).rows(5_000));

    assertThat(drifting(evaluation)).containsExactly("country");
    FeatureDrift country = feature(evaluation, "country");
    assertThat(country.getUnseenRate()).isBetween(0.08, 0.12);
    assertThat(country.getPsi()).isGreaterThan(DriftThresholds.DEFAULTS.psi());
  }

  @Test
  void aLookupOutageRaisesTheMissingRateOfTheProfileFeatures() {
    List<ReferenceProfiler.Row> rows = new SyntheticTraffic(5).rows(2_000);
    ProfileBinning binning = EVALUATOR.binning();
    WindowCounts counts = binning.newCounts();
    // the features as they were, but every lookup timed out
    rows.forEach(row -> binning.add(counts, row.features(), row.transaction(), row.score(), true));

    DriftEvaluation evaluation = EVALUATOR.evaluate("all", counts);
    assertThat(feature(evaluation, FeatureSpec.MERCHANT_RISK_SCORE).getMissingRate()).isEqualTo(1.0);
    assertThat(drifting(evaluation)).containsAll(ProfileFeatures.FEATURE_NAMES);
  }

  @Test
  void aFeatureConstantInTrainingIsFlaggedWhenItMoves() {
    int burst = FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M);
    List<ReferenceProfiler.Row> rows = new SyntheticTraffic(8).rows(2_000);
    // card testing: a fifth of the cards made several transactions within the last minute
    rows.subList(0, 400).forEach(row -> row.features()[burst] = 4f);

    assertThat(drifting(evaluateAll(rows))).contains(FeatureSpec.CARD_TX_COUNT_1M);
  }

  @Test
  void tinyWindowsAreReportedAsTooSmallNotAsDrift() {
    DriftEvaluation evaluation = evaluateAll(new SyntheticTraffic(6).amountsTimes(10).rows(499));

    assertThat(evaluation.status()).isEqualTo(DriftStatus.TOO_FEW_EVENTS);
    assertThat(evaluation.features()).isEmpty();
    assertThat(evaluation.events()).isEqualTo(499);
    assertThat(evaluation.driftingFeatures()).isZero();
  }

  @Test
  void reportsEveryFeatureTheScoreAndEveryAttribute() {
    DriftEvaluation evaluation = evaluateAll(new SyntheticTraffic(7).rows(1_000));

    assertThat(evaluation.features()).extracting(FeatureDrift::getName)
        .hasSize(FeatureSpec.CURRENT.size() + 1 + Attribute.values().length)
        .contains(ReferenceProfile.SCORE, "channel", "country", "currency", "mccGroup");
    var report = evaluation.toReport(java.time.Instant.EPOCH, java.time.Instant.ofEpochSecond(60), "all", "m-1", false, null,
        java.time.Instant.ofEpochSecond(61));
    assertThat(report.getEvents()).isEqualTo(1_000);
    assertThat(report.getFeatures()).isEqualTo(evaluation.features());
  }

  private static DriftEvaluation evaluateAll(List<ReferenceProfiler.Row> rows) {
    return EVALUATOR.evaluate("all", SyntheticTraffic.count(EVALUATOR.binning(), rows));
  }

  private static Map<String, WindowCounts> windowsBySegment(List<ReferenceProfiler.Row> rows) {
    Segmenter segmenter = REFERENCE.segmenter();
    Map<String, WindowCounts> windows = new HashMap<>();
    for (ReferenceProfiler.Row row : rows) {
      for (String key : segmenter.keysOf(row.transaction())) {
        if (EVALUATOR.hasSegment(key)) {
          SyntheticTraffic.add(EVALUATOR.binning(), windows.computeIfAbsent(key, k -> EVALUATOR.binning().newCounts()),
              row);
        }
      }
    }
    return windows;
  }

  private static List<String> drifting(DriftEvaluation evaluation) {
    return evaluation.features().stream().filter(FeatureDrift::getDrifting).map(FeatureDrift::getName).toList();
  }

  private static FeatureDrift feature(DriftEvaluation evaluation, String name) {
    return evaluation.features().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }
}
