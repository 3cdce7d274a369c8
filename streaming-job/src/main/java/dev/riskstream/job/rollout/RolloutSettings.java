package dev.riskstream.job.rollout;

import dev.riskstream.io.settings.RolloutOptions;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.job.scoring.CanaryShare;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;

/**
 * How a candidate in shadow is judged and what the job does with the verdict; see
 * {@link RolloutOptions}.
 */
public record RolloutSettings(RolloutPolicy policy, double canaryShare, long minLabelled, long minFrauds,
    double significance, double maxRateRatio, double maxUnscoredRate, Duration guardrailWindow,
    long guardrailMinScored, Duration maxDuration) implements Serializable {

  public RolloutSettings {
    if (!(canaryShare > 0 && canaryShare < 1)) {
      throw new IllegalArgumentException(RolloutOptions.CANARY_SHARE.key() + " must lie between 0 and 1, not "
          + canaryShare);
    }
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
    return new RolloutSettings(conf.get(RolloutOptions.POLICY), conf.get(RolloutOptions.CANARY_SHARE),
        conf.get(RolloutOptions.MIN_LABELLED),
        conf.get(RolloutOptions.MIN_FRAUDS), conf.get(RolloutOptions.SIGNIFICANCE),
        conf.get(RolloutOptions.MAX_RATE_RATIO), conf.get(RolloutOptions.MAX_UNSCORED_RATE),
        conf.get(RolloutOptions.GUARDRAIL_WINDOW), conf.get(RolloutOptions.GUARDRAIL_MIN_SCORED),
        conf.get(RolloutOptions.MAX_DURATION));
  }

  /** Whether the job acts on a verdict, rather than only reporting it. */
  public boolean acts() {
    return policy == RolloutPolicy.SHADOW_THEN_PROMOTE || policy == RolloutPolicy.CANARY;
  }

  /** The cards a candidate decides while it is judged; empty unless the policy is CANARY. */
  public Optional<CanaryShare> canary() {
    return policy == RolloutPolicy.CANARY ? Optional.of(new CanaryShare(canaryShare)) : Optional.empty();
  }
}
