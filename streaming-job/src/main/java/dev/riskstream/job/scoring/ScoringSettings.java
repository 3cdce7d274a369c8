package dev.riskstream.job.scoring;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the scoring operator batches and runs its model.
 *
 * @param providers where the model runs, and which runs go to the CPU though it runs on CUDA
 * @param batchSize most rows a subtask scores in one batch
 * @param maxWait longest the first row of a batch waits for the batch to fill
 * @param sharedMaxRows most rows the {@link ScoringLaneChoice#SHARED} lane merges into one run
 */
public record ScoringSettings(ProviderPlan providers, int batchSize, Duration maxWait,
    ScoringLaneChoice lane, int sharedMaxRows) implements Serializable {

  public ScoringSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("scoring.batch-size must be at least 1, not " + batchSize);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("scoring.max-wait must not be negative, not " + maxWait);
    }
    if (sharedMaxRows < batchSize) {
      throw new IllegalArgumentException("scoring.shared-max-rows (" + sharedMaxRows
          + ") must hold at least one batch of scoring.batch-size (" + batchSize + ")");
    }
  }

  /** The lane that runs {@code model}'s batches. */
  public ScoringLane laneFor(OnnxModel model) {
    return switch (lane.resolve(model.executionProvider())) {
      case SHARED -> model.sharedLane(sharedMaxRows);
      case TASK_THREAD, AUTO -> ScoringLane.CALLER;
    };
  }
}
