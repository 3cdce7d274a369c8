package dev.riskstream.job.scoring;

import java.util.concurrent.CompletableFuture;

/**
 * Runs batches through ONNX Runtime on some thread. The caller hands over a filled batch and must
 * not touch it, nor its scores, until the returned future completes; then the fraud probability of
 * row {@code i} is in {@code scores[i]}.
 */
public interface ScoringLane extends AutoCloseable {

  /** Completes with the ONNX Runtime run that scored the batch. */
  CompletableFuture<BatchRun> score(OnnxModel model, InputBatch batch, double[] scores);

  /** Lets a batch already handed over finish, then stops the lane's thread, if it has one. */
  @Override
  void close();

  /** Scores on the caller's thread: the future is complete when {@link #score} returns. */
  ScoringLane CALLER = new ScoringLane() {
    @Override
    public CompletableFuture<BatchRun> score(OnnxModel model, InputBatch batch, double[] scores) {
      try {
        return CompletableFuture.completedFuture(model.timedScoreBatch(batch, scores));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void close() {}
  };
}
