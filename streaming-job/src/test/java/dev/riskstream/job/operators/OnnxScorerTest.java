package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import dev.riskstream.job.scoring.SharedModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxScorerTest {

  private static final Duration MAX_WAIT = Duration.ofMillis(5);

  private static OnnxScorer scorer(int batchSize) {
    return scorer(batchSize, ScoringLaneChoice.AUTO);
  }

  private static OnnxScorer scorer(int batchSize, ScoringLaneChoice lane) {
    return new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), null,
        new ScoringSettings(ProviderPlan.of(ExecutionProviderChoice.AUTO), batchSize, MAX_WAIT, lane, 1024));
  }

  private static EnrichedTransaction transaction(int i) {
    float[] features = FeatureSpec.CURRENT.defaults();
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = i;
    return new EnrichedTransaction(TestData.transaction(i).build(), features);
  }

  /** Each row's score as the model gives it for that row alone, and the version and provider stamped on it. */
  private static void assertScoredOneByOne(List<EnrichedTransaction> scored) throws Exception {
    try (OnnxModel alone = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      var one = alone.newBatch(1);
      for (EnrichedTransaction tx : scored) {
        one.clear();
        one.add(tx.features);
        alone.scoreBatch(one);
        assertThat(tx.score).as("batch score of %s", tx.transaction.getTransactionId())
            .isCloseTo(one.score(0), within(1e-6));
        assertThat(tx.modelVersion).isEqualTo("baseline-1");
        assertThat(tx.executionProvider).isEqualTo("cpu");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"TASK_THREAD", "SHARED"})
  void scoresFullBatchesAtOnceAndThePartialOneAfterMaxWait(ScoringLaneChoice lane) throws Exception {
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer(4, lane))) {
      harness.setProcessingTime(0);
      harness.open();
      for (int i = 0; i < 10; i++) {
        harness.processElement(transaction(i), 1_000 + i);
      }
      TaskMailboxLoop.runMailsUntil(harness, () -> harness.extractOutputValues().size() == 8);

      harness.setProcessingTime(MAX_WAIT.toMillis() - 1);
      TaskMailboxLoop.runMails(harness);
      assertThat(harness.extractOutputValues()).as("the partial batch waits").hasSize(8);
      harness.setProcessingTime(MAX_WAIT.toMillis());
      TaskMailboxLoop.runMailsUntil(harness, () -> harness.extractOutputValues().size() == 10);

      assertThat(harness.getOutput()).extracting(r -> ((StreamRecord<?>) r).getTimestamp())
          .as("in arrival order with their timestamps")
          .containsExactly(1_000L, 1_001L, 1_002L, 1_003L, 1_004L, 1_005L, 1_006L, 1_007L, 1_008L, 1_009L);
      List<EnrichedTransaction> scored = harness.extractOutputValues();
      assertThat(scored).extracting(tx -> tx.transaction.getTransactionId())
          .containsExactly("tx-0", "tx-1", "tx-2", "tx-3", "tx-4", "tx-5", "tx-6", "tx-7", "tx-8", "tx-9");
      assertScoredOneByOne(scored);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"TASK_THREAD", "SHARED"})
  void emitsEveryRowBeforeACheckpointBarrierAWatermarkAndTheEndOfInput(ScoringLaneChoice lane) throws Exception {
    OnnxScorer scorer = scorer(2, lane);
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer)) {
      harness.open();
      for (int i = 1; i <= 3; i++) {
        harness.processElement(transaction(i), i);
      }
      harness.prepareSnapshotPreBarrier(1);
      assertThat(harness.extractOutputValues()).as("the batch in flight and the partial one, before the barrier")
          .hasSize(3);

      harness.processElement(transaction(4), 4);
      harness.processElement(transaction(5), 5);
      harness.processElement(transaction(6), 6);
      harness.processWatermark(new Watermark(6));
      assertThat(harness.getOutput()).last().as("the rows go out before the watermark")
          .isEqualTo(new Watermark(6));
      assertThat(harness.extractOutputValues()).hasSize(6);

      harness.processElement(transaction(7), 7);
      harness.processElement(transaction(8), 8);
      harness.processElement(transaction(9), 9);
      scorer.finish();
      List<EnrichedTransaction> scored = harness.extractOutputValues();
      assertThat(scored).as("all out at the end of input").hasSize(9);
      assertScoredOneByOne(scored);
    }
  }

  @Test
  void subtasksOnTheSharedLaneEachGetTheirOwnRowsBack() throws Exception {
    try (var first = new OneInputStreamOperatorTestHarness<>(scorer(3, ScoringLaneChoice.SHARED));
        var second = new OneInputStreamOperatorTestHarness<>(scorer(3, ScoringLaneChoice.SHARED))) {
      first.open();
      second.open();
      for (int i = 0; i < 30; i++) {
        (i % 2 == 0 ? first : second).processElement(transaction(i), i);
      }
      first.prepareSnapshotPreBarrier(1);
      second.prepareSnapshotPreBarrier(1);

      assertThat(first.extractOutputValues()).extracting(tx -> tx.transaction.getTransactionId())
          .containsExactly("tx-0", "tx-2", "tx-4", "tx-6", "tx-8", "tx-10", "tx-12", "tx-14", "tx-16", "tx-18",
              "tx-20", "tx-22", "tx-24", "tx-26", "tx-28");
      assertThat(second.extractOutputValues()).hasSize(15);
      assertScoredOneByOne(first.extractOutputValues());
      assertScoredOneByOne(second.extractOutputValues());
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
  void aScoreThatIsNoProbabilityIsStampedAsNoScoreAndCounted() throws Exception {
    RecordedMetrics metrics = new RecordedMetrics();
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer(3), metrics.environment())) {
      harness.open();
      EnrichedTransaction broken = transaction(1);
      broken.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] = Float.NaN;
      harness.processElement(transaction(0), 0);
      harness.processElement(broken, 0);
      harness.processElement(transaction(2), 0);

      List<EnrichedTransaction> scored = harness.extractOutputValues();
      assertThat(scored).hasSize(3);
      assertThat(scored.get(1).score).as("the logistic regression of a NaN").isNaN();
      assertThat(scored.get(1).modelVersion).isEqualTo("baseline-1");
      assertScoredOneByOne(List.of(scored.get(0), scored.get(2)));
      assertThat(metrics.counter("flink_taskmanager_job_task_operator_model_unscored", Map.of()).getCount())
          .isEqualTo(1);
    }
  }

  @Test
  void aRequiredGpuThatIsMissingFailsTheJobWithoutRestarts() throws Exception {
    var scorer = new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), null,
        new ScoringSettings(ProviderPlan.of(ExecutionProviderChoice.CUDA), 4, MAX_WAIT, ScoringLaneChoice.AUTO, 1024));
    var harness = new OneInputStreamOperatorTestHarness<>(scorer);
    assertThatThrownBy(harness::open).isInstanceOf(SuppressRestartsException.class)
        .cause().hasMessageContaining("CUDA cannot be used");
    scorer.close(); // as the task does after a failed open; it would not call finish()
  }
}
