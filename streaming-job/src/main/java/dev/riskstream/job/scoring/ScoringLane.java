package dev.riskstream.job.scoring;

import java.util.concurrent.CompletableFuture;

/**
 * Runs batches through ONNX Runtime on some thread. The caller hands over a filled batch and must
 * not touch it until the returned future completes; then the batch holds the scores its model gave.
 */
public interface ScoringLane extends AutoCloseable {

  /** Completes with the ONNX Runtime run that scored the batch. */
  CompletableFuture<BatchRun> score(InputBatch batch);

  /** Lets a batch already handed over finish, then stops the lane's thread, if it has one. */
  @Override
  void close();

  /** Scores on the caller's thread: the future is complete when {@link #score} returns. */
  ScoringLane CALLER = new ScoringLane() {
    @Override
    public CompletableFuture<BatchRun> score(InputBatch batch) {
      try {
        return CompletableFuture.completedFuture(batch.model().timedScoreBatch(batch));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void close() {}
  };
}
