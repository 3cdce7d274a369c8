package dev.riskstream.io.settings;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Rollout": how a new model version goes live, and the evidence that promotes
 * or rejects a candidate scoring in shadow. Read by the job, which judges the evidence, and by the
 * retraining service, which publishes into the policy.
 */
public final class RolloutOptions {

  public static final ConfigOption<RolloutPolicy> POLICY =
      key("rollout.policy").enumType(RolloutPolicy.class).defaultValue(RolloutPolicy.MANUAL)
          .withDescription("How a retrained version goes live. MANUAL: into shadow; the job reports the evidence "
              + "and its verdict on topic.model-status, and a person promotes or ends it. SHADOW_THEN_PROMOTE: into "
              + "shadow, and the job promotes or rejects it on the evidence (needs monitoring.labels). CANARY: as "
              + "SHADOW_THEN_PROMOTE, and meanwhile it decides the transactions of rollout.canary-share of the cards. "
              + "IMMEDIATE: it decides at once. The job judges every shadow by the same evidence, also one a person "
              + "published.");
  public static final ConfigOption<Double> CANARY_SHARE =
      key("rollout.canary-share").doubleType().defaultValue(0.05)
          .withDescription("Under CANARY: the share of cards whose transactions the candidate decides while it is "
              + "judged. Which cards is a hash of the candidate's version and the card token: a card stays with one "
              + "model for the whole rollout, across restarts and rescaling, and each rollout draws its own cards.");
  public static final ConfigOption<Long> MIN_LABELLED =
      key("rollout.min-labelled").longType().defaultValue(1000L)
          .withDescription("Labelled transactions both versions scored before the labels can promote or reject.");
  public static final ConfigOption<Long> MIN_FRAUDS =
      key("rollout.min-frauds").longType().defaultValue(30L)
          .withDescription("Of those, labelled frauds needed before the labels can promote or reject.");
  public static final ConfigOption<Double> SIGNIFICANCE =
      key("rollout.significance").doubleType().defaultValue(0.05)
          .withDescription("Two paired one-sided tests on the labelled transactions both versions scored: DeLong's "
              + "test of the two ROC AUCs, and exact McNemar on the frauds only one of them caught at the champion's "
              + "alert volume. Either showing the candidate worse at this level rejects it; otherwise either showing "
              + "it better promotes it.");
  public static final ConfigOption<Double> MAX_RATE_RATIO =
      key("rollout.max-rate-ratio").doubleType().defaultValue(2.0)
          .withDescription("Guardrail, labels not needed: in a guardrail window the candidate's review-or-decline "
              + "rate and its decline rate may be at most this many times the champion's on the same transactions; "
              + "beyond, it is rejected. Flagging less is left to the labels.");
  public static final ConfigOption<Double> MAX_UNSCORED_RATE =
      key("rollout.max-unscored-rate").doubleType().defaultValue(0.001)
          .withDescription("Guardrail: the share of a guardrail window's transactions the candidate may fail to "
              + "score; beyond, it is rejected.");
  public static final ConfigOption<Duration> GUARDRAIL_WINDOW =
      key("rollout.guardrail-window").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("Event-time windows in which the guardrails compare the two versions' decisions.");
  public static final ConfigOption<Long> GUARDRAIL_MIN_SCORED =
      key("rollout.guardrail-min-scored").longType().defaultValue(1000L)
          .withDescription("A guardrail window with fewer transactions is counted in the evidence but not judged "
              + "on its own: its rates are noise.");
  public static final ConfigOption<Duration> MAX_DURATION =
      key("rollout.max-duration").durationType().defaultValue(Duration.ofDays(14))
          .withDescription("Event time a candidate may score in shadow without a verdict; then it is rejected as "
              + "inconclusive (SHADOW_THEN_PROMOTE) or reported so (MANUAL).");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Rollout",
      "How a new model version goes live, and the live evidence that promotes or rejects a candidate in shadow.",
      List.of(POLICY, CANARY_SHARE, MIN_LABELLED, MIN_FRAUDS, SIGNIFICANCE, MAX_RATE_RATIO, MAX_UNSCORED_RATE,
          GUARDRAIL_WINDOW, GUARDRAIL_MIN_SCORED, MAX_DURATION),
      List.of());

  private RolloutOptions() {}
}
