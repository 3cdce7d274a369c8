package dev.riskstream.job.monitoring;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Drift monitoring": the windows of online monitoring, when a feature drifts,
 * when performance estimated from the scores has fallen, and when either becomes a retraining request.
 */
public final class MonitoringOptions {

  public static final ConfigOption<Duration> WINDOW =
      key("monitoring.window").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("Size of the tumbling event-time windows of online monitoring: each window of "
              + "decisions gets its own reports. Reference profiles describe whole days of training traffic, "
              + "so a window shorter than a day sees one part of the daily cycle (hour of day, which time "
              + "zones are awake, so the country mix) and drifts by the clock; shorten it only with features "
              + "and segments that have no daily cycle.");
  public static final ConfigOption<Long> MIN_EVENTS =
      key("monitoring.min-events").longType().defaultValue(DriftThresholds.DEFAULTS.minEvents())
          .withDescription("A segment's window with fewer transactions is reported as TOO_FEW_EVENTS and not "
              + "judged: its statistics would be chance.");
  public static final ConfigOption<Double> PSI =
      key("monitoring.psi-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.psi())
          .withDescription("Population stability index above which a feature drifts (0.25: a major shift).");
  public static final ConfigOption<Double> SECOND_STATISTIC =
      key("monitoring.second-statistic-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.secondStatistic())
          .withDescription("Binned Kolmogorov-Smirnov distance (numeric features, score) or Jensen-Shannon distance "
              + "(categorical attributes) above which a feature drifts.");
  public static final ConfigOption<Double> UNSEEN_RATE =
      key("monitoring.unseen-rate-threshold").doubleType().defaultValue(DriftThresholds.DEFAULTS.unseenRate())
          .withDescription("Share of values training never saw above which a categorical attribute drifts.");
  public static final ConfigOption<Double> MISSING_RATE_INCREASE =
      key("monitoring.missing-rate-increase").doubleType().defaultValue(DriftThresholds.DEFAULTS.missingRateIncrease())
          .withDescription("Rise of the share of fallback values over training's, in absolute terms, above which a "
              + "feature drifts.");
  public static final ConfigOption<List<String>> UNJUDGED_FEATURES =
      key("monitoring.unjudged-features").stringType().asList()
          .defaultValues(DriftThresholds.STATE_AGE_FEATURES.stream().sorted().toArray(String[]::new))
          .withDescription("Features reported with their statistics but never judged drifting. Default: those "
              + "that grow with how long a card's history has been kept (history count, novelty flags), which a "
              + "job started days ago sees differently from a training replay of weeks whatever the traffic does.");
  public static final ConfigOption<Integer> CONSECUTIVE_WINDOWS =
      key("monitoring.consecutive-windows").intType().defaultValue(3)
          .withDescription("Drifting windows in a row (any segment) before a retraining request; a stable window "
              + "resets the count, one with too few events does not. With monitoring.labels, performance windows "
              + "below a floor are counted the same way, separately.");
  public static final ConfigOption<Duration> COOLDOWN =
      key("monitoring.cooldown").durationType().defaultValue(Duration.ofHours(6))
          .withDescription("Least event time between two retraining requests for one model version, whatever "
              + "their reason.");
  public static final ConfigOption<Duration> WARM_UP =
      key("monitoring.warm-up").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("Event time, from the end of the first (usually partial) window a model version is judged in, during which "
              + "no retraining request is raised: a job started without state computes per-card features from "
              + "empty histories at first (the longest feature horizon is 24 hours). Reports still say what they see.");
  public static final ConfigOption<Double> MIN_ESTIMATED_ROC_AUC =
      key("monitoring.min-estimated-roc-auc").doubleType().noDefaultValue()
          .withDescription("ROC AUC estimated from the scores (no labels needed; models whose bundle has a "
              + "calibration) below which a window fails; monitoring.consecutive-windows failing windows in a row "
              + "raise a retraining request of reason ESTIMATED_PERFORMANCE. Unset: not checked.");
  public static final ConfigOption<Double> MIN_ESTIMATED_REVIEW_RECALL =
      key("monitoring.min-estimated-review-recall").doubleType().noDefaultValue()
          .withDescription("Estimated share of frauds at or above the review threshold below which a window fails, "
              + "as monitoring.min-estimated-roc-auc. Unset: not checked.");
  public static final ConfigOption<Double> MIN_ESTIMATED_DECLINE_PRECISION =
      key("monitoring.min-estimated-decline-precision").doubleType().noDefaultValue()
          .withDescription("Estimated share of fraud among declined transactions below which a window fails, as "
              + "monitoring.min-estimated-roc-auc. Unset: not checked.");
  public static final ConfigOption<Long> MIN_EXPECTED_FRAUDS =
      key("monitoring.min-expected-frauds").longType().defaultValue(30L)
          .withDescription("A segment's window with fewer expected frauds (the sum of its calibrated fraud "
              + "probabilities) is not judged against the estimated floors: recall and AUC of a handful of frauds "
              + "are chance, estimated or realised.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Drift monitoring",
      "The windows of online monitoring, when a feature drifts, when performance estimated from the scores has "
          + "fallen, and when either becomes a retraining request.",
      List.of(WINDOW, MIN_EVENTS, PSI, SECOND_STATISTIC, UNSEEN_RATE, MISSING_RATE_INCREASE, UNJUDGED_FEATURES,
          CONSECUTIVE_WINDOWS, COOLDOWN, WARM_UP, MIN_ESTIMATED_ROC_AUC, MIN_ESTIMATED_REVIEW_RECALL,
          MIN_ESTIMATED_DECLINE_PRECISION, MIN_EXPECTED_FRAUDS),
      List.of(MIN_ESTIMATED_ROC_AUC, MIN_ESTIMATED_REVIEW_RECALL, MIN_ESTIMATED_DECLINE_PRECISION));

  private MonitoringOptions() {}
}
