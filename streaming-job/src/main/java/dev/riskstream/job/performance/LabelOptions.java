package dev.riskstream.job.performance;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Labels and realised performance": the delayed-label join and the floors a
 * model version's realised performance is judged against.
 */
public final class LabelOptions {

  public static final ConfigOption<Boolean> ENABLED =
      key("monitoring.labels").booleanType().defaultValue(false)
          .withDescription("Join delayed labels from topic.labels with the decisions and write the realised "
              + "performance of every monitoring window and segment to topic.performance-reports. Off: no labels are "
              + "read.");
  public static final ConfigOption<Duration> TTL =
      key("labels.ttl").durationType().defaultValue(Duration.ofDays(7))
          .withDescription("How long, in event time, a decision waits for its label (from its transaction "
              + "time) and a label for its decision (from labelledAt); then it is dropped and counted: "
              + "labels.unlabelledDecisions, labels.unmatched.");
  public static final ConfigOption<Duration> WAIT =
      key("labels.wait").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("How long after a window's end, in event time, its performance report waits for "
              + "labels; a label matched later is counted in labels.late and in no report.");
  public static final ConfigOption<Long> MIN_LABELLED =
      key("monitoring.min-labelled").longType().defaultValue(1000L)
          .withDescription("With monitoring.labels: a segment's performance window with fewer labelled decisions is "
              + "not judged against the floors (neither counts towards a retraining request nor resets the count).");
  public static final ConfigOption<Long> MIN_FRAUDS =
      key("monitoring.min-labelled-frauds").longType().defaultValue(30L)
          .withDescription("With monitoring.labels: a segment's performance window with fewer labelled frauds is not "
              + "judged; recall and ROC AUC from a handful of frauds are chance.");
  public static final ConfigOption<Double> MIN_ROC_AUC =
      key("monitoring.min-roc-auc").doubleType().defaultValue(0.8)
          .withDescription("With monitoring.labels: realised ROC AUC below which a performance window fails; "
              + "0 turns the check off.");
  public static final ConfigOption<Double> MIN_REVIEW_RECALL =
      key("monitoring.min-review-recall").doubleType().noDefaultValue()
          .withDescription("With monitoring.labels: share of labelled frauds at or above the review threshold "
              + "below which a performance window fails. Unset: not checked; what is too low depends on the "
              + "thresholds the model ships with.");
  public static final ConfigOption<Double> MIN_DECLINE_PRECISION =
      key("monitoring.min-decline-precision").doubleType().noDefaultValue()
          .withDescription("With monitoring.labels: share of declined decisions labelled fraud below which a "
              + "performance window fails. Unset: not checked.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Labels and realised performance",
      "The delayed-label join and the floors a model version's realised performance is judged against.",
      List.of(ENABLED, TTL, WAIT, MIN_LABELLED, MIN_FRAUDS, MIN_ROC_AUC, MIN_REVIEW_RECALL,
          MIN_DECLINE_PRECISION),
      List.of(MIN_REVIEW_RECALL, MIN_DECLINE_PRECISION));

  private LabelOptions() {}
}
