package dev.riskstream.job.rollout;

import dev.riskstream.io.settings.RolloutOptions;
import dev.riskstream.io.settings.RolloutPolicy;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * How a candidate in shadow is judged and what the job does with the verdict; see
 * {@link RolloutOptions}.
 */
public record RolloutSettings(RolloutPolicy policy, long minLabelled, long minFrauds, double significance,
    double maxRateRatio, double maxUnscoredRate, Duration guardrailWindow,
    long guardrailMinScored, Duration maxDuration) implements Serializable {

  public RolloutSettings {
    if (significance <= 0 || significance >= 1) {
      throw new IllegalArgumentException(RolloutOptions.SIGNIFICANCE.key() + " must lie between 0 and 1, not "
          + significance);
    }
    if (maxRateRatio < 1) {
      throw new IllegalArgumentException(RolloutOptions.MAX_RATE_RATIO.key() + " must be at least 1, not "
          + maxRateRatio);
    }
    if (guardrailWindow.isNegative() || guardrailWindow.isZero()) {
      throw new IllegalArgumentException(RolloutOptions.GUARDRAIL_WINDOW.key() + " must be positive, not "
          + guardrailWindow);
    }
  }

  public static RolloutSettings from(Configuration conf) {
    return new RolloutSettings(conf.get(RolloutOptions.POLICY), conf.get(RolloutOptions.MIN_LABELLED),
        conf.get(RolloutOptions.MIN_FRAUDS), conf.get(RolloutOptions.SIGNIFICANCE),
        conf.get(RolloutOptions.MAX_RATE_RATIO), conf.get(RolloutOptions.MAX_UNSCORED_RATE),
        conf.get(RolloutOptions.GUARDRAIL_WINDOW), conf.get(RolloutOptions.GUARDRAIL_MIN_SCORED),
        conf.get(RolloutOptions.MAX_DURATION));
  }

  /** Whether the job acts on a verdict, rather than only reporting it. */
  public boolean acts() {
    return policy == RolloutPolicy.SHADOW_THEN_PROMOTE;
  }
}
