package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.job.performance.SegmentedDecision;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionSegmentsTest {

  @TempDir Path dir;

  private static EnrichedTransaction scored(int i, String modelVersion, double score, Channel channel, String country) {
    EnrichedTransaction tx = new EnrichedTransaction(
        TestData.transaction(i).setChannel(channel).setCountry(country).build(), FeatureSpec.CURRENT.defaults());
    tx.score = score;
    tx.modelVersion = modelVersion;
    tx.reviewThreshold = 0.5;
    tx.declineThreshold = 0.8;
    tx.executionProvider = "cpu";
    return tx;
  }

  private static <T> List<T> run(org.apache.flink.api.common.functions.MapFunction<EnrichedTransaction, T> map,
      List<EnrichedTransaction> input) throws Exception {
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(map))) {
      harness.open();
      for (EnrichedTransaction tx : input) {
        harness.processElement(tx, tx.transaction.getEventTime().toEpochMilli());
      }
      return new ArrayList<>(harness.extractOutputValues());
    }
  }

  @Test
  void carriesTheOutcomeTheDecisionPolicyDecidedAndTheSegmentsDriftJudges() throws Exception {
    DriftEvaluator drift = new DriftEvaluator(ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().reference(),
        DriftThresholds.DEFAULTS);
    String version = ModelBundle.load(TestData.BASELINE_BUNDLE).version();
    List<EnrichedTransaction> input = List.of(
        scored(0, version, 0.1, Channel.POS, "DE"),
        scored(1, version, 0.5, Channel.ECOM, "GB"),
        scored(2, version, 0.95, Channel.ATM, "ZZ"));

    List<SegmentedDecision> segmented = run(new DecisionSegments(
        new ModelMonitors(TestData.BASELINE_BUNDLE, null, DriftThresholds.DEFAULTS)), input);
    List<Decision> decided = run(new DecisionPolicy(), input);

    assertThat(segmented).extracting(d -> d.outcome)
        .containsExactly(Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE)
        .containsExactlyElementsOf(decided.stream().map(Decision::getOutcome).toList());
    for (int i = 0; i < input.size(); i++) {
      SegmentedDecision d = segmented.get(i);
      assertThat(d.transactionId).isEqualTo(decided.get(i).getTransactionId());
      assertThat(d.modelVersion).isEqualTo(version);
      assertThat(d.decisionTime).isEqualTo(decided.get(i).getEventTime().toEpochMilli());
      assertThat(d.score).isEqualTo(decided.get(i).getScore());
      assertThat(d.segments).containsExactly(drift.segmentsOf(input.get(i).transaction));
    }
    assertThat(segmented.get(0).segments).contains(Segmenter.ALL, "channel=POS", "country=DE");
    assertThat(segmented.get(2).segments).as("a country training never saw is no segment")
        .doesNotContain("country=ZZ").startsWith(Segmenter.ALL);
  }

  @Test
  void aVersionWithoutAReferenceProfileIsCountedInAllOnly() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toString());
    registry.publish(TestData.baselineAs(dir.resolve("bundles/baseline-2"), "baseline-2",
        new ModelManifest.Thresholds(0.5, 0.8)));

    List<SegmentedDecision> segmented = run(new DecisionSegments(
            new ModelMonitors(TestData.BASELINE_BUNDLE, registry, DriftThresholds.DEFAULTS)),
        List.of(scored(0, "baseline-2", 0.6, Channel.ECOM, "DE")));

    assertThat(segmented).singleElement().satisfies(d -> {
      assertThat(d.segments).containsExactly(Segmenter.ALL);
      assertThat(d.outcome).isEqualTo(Outcome.REVIEW);
    });
  }

  @Test
  void aShadowsWouldBeDecisionComesFromItsOwnThresholdsAndSegments() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toString());
    registry.publish(TestData.baselineAs(dir.resolve("bundles/baseline-2"), "baseline-2",
        new ModelManifest.Thresholds(0.01, 0.02)));
    String version = ModelBundle.load(TestData.BASELINE_BUNDLE).version();
    EnrichedTransaction shadowed = scored(0, version, 0.1, Channel.POS, "DE");
    shadowed.shadowVersion = "baseline-2";
    shadowed.shadowScore = 0.3;
    shadowed.shadowReviewThreshold = 0.01;
    shadowed.shadowDeclineThreshold = 0.02;

    List<SegmentedDecision> segmented = run(new DecisionSegments(
        new ModelMonitors(TestData.BASELINE_BUNDLE, registry, DriftThresholds.DEFAULTS)),
        List.of(shadowed, scored(1, version, 0.1, Channel.POS, "DE")));

    assertThat(segmented.get(0)).satisfies(d -> {
      assertThat(d.outcome).isEqualTo(Outcome.APPROVE);
      assertThat(d.segments).contains("channel=POS");
      assertThat(d.shadowVersion).isEqualTo("baseline-2");
      assertThat(d.shadowScore).isEqualTo(0.3);
      assertThat(d.shadowOutcome).as("0.3 is past the shadow's decline threshold").isEqualTo(Outcome.DECLINE);
      assertThat(d.shadowSegments).as("the shadow has no reference profile").containsExactly(Segmenter.ALL);
    });
    assertThat(segmented.get(1).shadowVersion).isNull();
    assertThat(segmented.get(1).shadowSegments).isNull();
  }
}
