package dev.riskstream.job.monitoring;

import dev.riskstream.features.drift.DriftThresholds;
import java.io.Serializable;
import java.time.Duration;

/**
 * When drift becomes a retraining request: after {@code consecutiveWindows} windows in a row with
 * drift, at most once per {@code cooldown} of event time per model version. The thresholds say which
 * statistics of a drifting feature go into the request's evidence.
 */
public record RetrainPolicy(int consecutiveWindows, Duration cooldown, DriftThresholds thresholds)
    implements Serializable {

  public RetrainPolicy {
    if (consecutiveWindows < 1) {
      throw new IllegalArgumentException("consecutive windows must be at least 1, not " + consecutiveWindows);
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative: " + cooldown);
    }
  }
}
