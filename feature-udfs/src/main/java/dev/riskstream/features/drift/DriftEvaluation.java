package dev.riskstream.features.drift;

import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import java.time.Instant;
import java.util.List;

/**
 * The verdict on one segment's window.
 *
 * @param events transactions in the window
 * @param status TOO_FEW_EVENTS below the minimum, else DRIFTING when any feature drifts, else STABLE
 * @param features every feature, the score and every attribute; empty when TOO_FEW_EVENTS
 * @param maxPsi the largest PSI among {@code features}, 0 when there are none
 * @param driftingFeatures how many of {@code features} drift
 */
public record DriftEvaluation(
    long events, DriftStatus status, List<FeatureDrift> features, double maxPsi, int driftingFeatures) {

  public DriftEvaluation {
    features = List.copyOf(features);
  }

  /**
   * The window's report for the {@code drift-reports} topic.
   *
   * @param shadow whether {@code modelVersion} scored the window's traffic in shadow
   */
  public DriftReport toReport(Instant windowStart, Instant windowEnd, String segment, String modelVersion,
      boolean shadow, Instant reportedAt) {
    return new DriftReport(windowStart, windowEnd, segment, modelVersion, events, status, maxPsi,
        driftingFeatures, features, reportedAt, shadow);
  }
}
