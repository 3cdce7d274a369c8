package dev.riskstream.features.drift;

import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.EstimatedPerformance;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.JointDrift;
import java.time.Instant;
import java.util.List;

/**
 * The verdict on one segment's window.
 *
 * @param events transactions in the window
 * @param status TOO_FEW_EVENTS below the minimum, else DRIFTING when any feature or the joint drifts,
 *     else STABLE
 * @param features every feature, the score and every attribute; empty when TOO_FEW_EVENTS
 * @param maxPsi the largest PSI among {@code features}, 0 when there are none
 * @param driftingFeatures how many of {@code features} drift
 * @param joint the features taken together; null without a joint reference for the segment, or when
 *     TOO_FEW_EVENTS
 */
public record DriftEvaluation(long events, DriftStatus status, List<FeatureDrift> features, double maxPsi,
    int driftingFeatures, JointDrift joint) {

  public DriftEvaluation {
    features = List.copyOf(features);
  }

  /**
   * The window's report for the {@code drift-reports} topic.
   *
   * @param shadow whether {@code modelVersion} scored the window's traffic in shadow
   * @param estimated the window's performance estimated from its scores; null without a calibration
   */
  public DriftReport toReport(Instant windowStart, Instant windowEnd, String segment, String modelVersion,
      boolean shadow, EstimatedPerformance estimated, Instant reportedAt) {
    return new DriftReport(windowStart, windowEnd, segment, modelVersion, events, status, maxPsi,
        driftingFeatures, features, reportedAt, shadow, estimated, joint);
  }
}
