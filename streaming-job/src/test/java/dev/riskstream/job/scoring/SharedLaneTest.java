package dev.riskstream.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SharedLaneTest {

  private static InputBatch batchOf(OnnxModel model, int rows, int firstValue) {
    InputBatch batch = model.newBatch(rows);
    for (int i = 0; i < rows; i++) {
      float[] features = FeatureSpec.CURRENT.defaults();
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = firstValue + i;
      batch.add(features);
    }
    return batch;
  }

  @Test
  void mergesTheBatchesWaitingWhileItRunsUpToItsRowLimitAndReturnsEachItsOwnScores() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      LaneThread thread = new LaneThread("test-shared-lane");
      SharedLane lane = new SharedLane(model, 8, thread);
      CountDownLatch release = new CountDownLatch(1);
      // keep the lane busy so that the three batches below all wait for it
      thread.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      List<InputBatch> batches = List.of(batchOf(model, 4, 0), batchOf(model, 4, 100), batchOf(model, 4, 200));
      List<CompletableFuture<BatchRun>> runs = new ArrayList<>();
      for (InputBatch batch : batches) {
        runs.add(lane.score(batch));
      }
      release.countDown();
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();

      assertThat(runs.get(0).get()).as("the first two batches, 8 rows, in one run").isSameAs(runs.get(1).get())
          .isNotSameAs(runs.get(2).get());
      for (int b = 0; b < batches.size(); b++) {
        InputBatch alone = batchOf(model, 4, b * 100);
        model.scoreBatch(alone);
        for (int i = 0; i < 4; i++) {
          assertThat(batches.get(b).score(i)).as("batch %d row %d", b, i).isCloseTo(alone.score(i), within(1e-6));
        }
      }
      lane.close();
    }
  }
}
