package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.TestData;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.SharedModels;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class OnnxScorerTest {

  private static final Duration MAX_WAIT = Duration.ofMillis(5);

  private static OnnxScorer scorer(int batchSize) {
    return new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), null, ExecutionProviderChoice.AUTO, batchSize, MAX_WAIT);
  }

  private static EnrichedTransaction transaction(int i) {
    float[] features = FeatureSpec.CURRENT.defaults();
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = i;
    return new EnrichedTransaction(TestData.transaction(i).build(), features);
  }

  @Test
  void scoresFullBatchesAtOnceAndThePartialOneAfterMaxWait() throws Exception {
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer(4))) {
      harness.setProcessingTime(0);
      harness.open();
      for (int i = 0; i < 10; i++) {
        harness.processElement(transaction(i), 1_000 + i);
      }
      assertThat(harness.extractOutputValues()).as("two full batches").hasSize(8);

      harness.setProcessingTime(MAX_WAIT.toMillis() - 1);
      assertThat(harness.extractOutputValues()).hasSize(8);
      harness.setProcessingTime(MAX_WAIT.toMillis());
      List<EnrichedTransaction> scored = harness.extractOutputValues();
      assertThat(scored).as("the rest after max-wait").hasSize(10);

      assertThat(harness.getOutput()).extracting(r -> ((StreamRecord<?>) r).getTimestamp())
          .as("in arrival order with their timestamps")
          .containsExactly(1_000L, 1_001L, 1_002L, 1_003L, 1_004L, 1_005L, 1_006L, 1_007L, 1_008L, 1_009L);
      try (OnnxModel alone = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE), ExecutionProviderChoice.CPU)) {
        var one = alone.newBatch(1);
        double[] score = new double[1];
        for (int i = 0; i < scored.size(); i++) {
          EnrichedTransaction tx = scored.get(i);
          assertThat(tx.transaction.getTransactionId()).isEqualTo("tx-" + i);
          one.clear();
          one.add(tx.features);
          alone.scoreBatch(one, score);
          assertThat(tx.score).as("batch score of row %d", i).isCloseTo(score[0], within(1e-6));
          assertThat(tx.modelVersion).isEqualTo("baseline-1");
          assertThat(tx.executionProvider).isEqualTo("cpu");
        }
      }
    }
  }

  @Test
  void emptiesTheBufferBeforeACheckpointBarrierAWatermarkAndTheEndOfInput() throws Exception {
    OnnxScorer scorer = scorer(256);
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer)) {
      harness.open();
      harness.processElement(transaction(1), 1);
      harness.processElement(transaction(2), 2);
      assertThat(harness.extractOutputValues()).isEmpty();
      harness.prepareSnapshotPreBarrier(1);
      assertThat(harness.extractOutputValues()).as("flushed before the barrier").hasSize(2);

      harness.processElement(transaction(3), 3);
      harness.processWatermark(new Watermark(3));
      assertThat(harness.getOutput()).last().as("the row goes out before the watermark")
          .isEqualTo(new Watermark(3));
      assertThat(harness.extractOutputValues()).hasSize(3);

      harness.processElement(transaction(4), 4);
      harness.processElement(transaction(5), 5);
      scorer.finish();
      assertThat(harness.extractOutputValues()).as("flushed at the end of input").hasSize(5);
    }
  }

  @Test
  void subtasksShareOneSessionThatTheLastToCloseReleases() throws Exception {
    var first = new OneInputStreamOperatorTestHarness<>(scorer(4));
    var second = new OneInputStreamOperatorTestHarness<>(scorer(8));
    first.open();
    second.open();
    OnnxScorer a = (OnnxScorer) first.getOneInputOperator();
    OnnxScorer b = (OnnxScorer) second.getOneInputOperator();
    OnnxModel shared = a.model();
    assertThat(b.model()).isSameAs(shared);
    assertThat(SharedModels.users(shared)).isEqualTo(2);

    first.close();
    assertThat(SharedModels.users(shared)).isEqualTo(1);
    second.close();
    assertThat(SharedModels.users(shared)).as("closed with its last user").isZero();
  }

  @Test
  void aRequiredGpuThatIsMissingFailsTheJobWithoutRestarts() throws Exception {
    var scorer = new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), null, ExecutionProviderChoice.CUDA, 4, MAX_WAIT);
    var harness = new OneInputStreamOperatorTestHarness<>(scorer);
    assertThatThrownBy(harness::open).isInstanceOf(SuppressRestartsException.class)
        .cause().hasMessageContaining("CUDA cannot be used");
    scorer.close(); // as the task does after a failed open; it would not call finish()
  }
}
