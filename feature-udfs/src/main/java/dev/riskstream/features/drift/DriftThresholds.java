package dev.riskstream.features.drift;

import dev.riskstream.features.spec.FeatureSpec;
import java.io.Serializable;
import java.util.Set;

/**
 * When a feature of a window counts as drifting: when any statistic passes its threshold.
 *
 * @param psi population stability index above which a feature drifts; 0.25 is the usual "major
 *     shift" (0.1 to 0.25 is commonly read as a moderate one)
 * @param secondStatistic binned KS distance (numeric features, score) or Jensen–Shannon distance
 *     (attributes) above which a feature drifts; 0.15 is about twice the KS distance that chance
 *     reaches with 1% probability in a 500-event window ({@code 1.63 / sqrt(500) = 0.073})
 * @param unseenRate share of a window's values that training never saw above which an attribute
 *     drifts
 * @param missingRateIncrease how far the share of fallback values may rise above the training
 *     share, in absolute terms (0.10: ten percentage points), before the feature drifts
 * @param minEvents windows with fewer events are TOO_FEW_EVENTS and not judged: their statistics are
 *     dominated by chance
 * @param unjudgedFeatures features whose statistics are reported but never count as drifting
 */
public record DriftThresholds(
    double psi, double secondStatistic, double unseenRate, double missingRateIncrease, long minEvents,
    Set<String> unjudgedFeatures) implements Serializable {

  /**
   * Features whose values grow with how long a card's history has been kept: the transaction count
   * and the novelty flags (a new merchant, country or device is rarer the longer the history). A job
   * that started days ago sees them differently from a training replay of weeks, whatever the
   * traffic does, so by default they are not judged; the other card features and the score still
   * show a real change in behaviour.
   */
  public static final Set<String> STATE_AGE_FEATURES = Set.of(FeatureSpec.CARD_HISTORY_COUNT_LOG,
      FeatureSpec.NEW_MERCHANT_FOR_CARD, FeatureSpec.NEW_COUNTRY_FOR_CARD, FeatureSpec.NEW_DEVICE_FOR_CARD);

  public static final DriftThresholds DEFAULTS =
      new DriftThresholds(0.25, 0.15, 0.05, 0.10, 500, STATE_AGE_FEATURES);

  public DriftThresholds {
    if (!(psi > 0 && secondStatistic > 0 && unseenRate > 0 && missingRateIncrease > 0 && minEvents > 0)) {
      throw new IllegalArgumentException("drift thresholds must be positive, got " + psi + ", " + secondStatistic
          + ", " + unseenRate + ", " + missingRateIncrease + ", " + minEvents);
    }
    unjudgedFeatures = Set.copyOf(unjudgedFeatures);
  }
}
