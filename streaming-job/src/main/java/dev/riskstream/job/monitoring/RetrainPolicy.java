package dev.riskstream.job.monitoring;

import dev.riskstream.features.drift.DriftThresholds;
import java.io.Serializable;
import java.time.Duration;

/**
 * When drift becomes a retraining request: after {@code consecutiveWindows} windows in a row with
 * drift, at most once per {@code cooldown} of event time per model version, and not during the
 * {@code warmUp} after the end of the first window a model version is judged in: a job that starts without
 * state computes per-card features (history counts, sums over 24 hours) from empty histories at
 * first, which differ from training's for reasons that pass. The thresholds say which statistics
 * of a drifting feature go into the request's evidence. The estimated floors (null: none) judge each
 * window's performance estimated from its scores, before labels arrive, as realised performance is.
 */
public record RetrainPolicy(int consecutiveWindows, Duration cooldown, Duration warmUp, DriftThresholds thresholds,
    PerformanceFloors estimatedFloors) implements Serializable {

  public RetrainPolicy {
    if (consecutiveWindows < 1) {
      throw new IllegalArgumentException("consecutive windows must be at least 1, not " + consecutiveWindows);
    }
    if (cooldown.isNegative() || warmUp.isNegative()) {
      throw new IllegalArgumentException("cooldown and warm-up must not be negative: " + cooldown + ", " + warmUp);
    }
  }
}
