package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.TestData;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class OnnxScorerTest {

  @Test
  void scoresAndStampsModelVersionAndProvider() throws Exception {
    OnnxScorer scorer = new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), ExecutionProviderChoice.AUTO);
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(scorer))) {
      harness.open();
      harness.processElement(new EnrichedTransaction(TestData.transaction(1).build(), FeatureSpec.CURRENT.defaults()), 0);
      harness.processElement(new EnrichedTransaction(TestData.transaction(2).build(), FeatureSpec.CURRENT.defaults()), 0);

      var scored = harness.extractOutputValues();
      assertThat(scored).hasSize(2).allSatisfy(tx -> {
        assertThat(tx.score).isBetween(0.0, 1.0);
        assertThat(tx.modelVersion).isEqualTo("baseline-1");
        assertThat(tx.executionProvider).isEqualTo("cpu");
      });
      assertThat(scored.get(0).score).isEqualTo(scored.get(1).score);
    }
  }
}
