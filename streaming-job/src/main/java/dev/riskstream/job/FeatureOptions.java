package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Features and event time": in which order a card's transactions meet its
 * history, and the watermarks of event time.
 */
public final class FeatureOptions {

  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
      key("watermark.max-out-of-orderness").durationType().defaultValue(Duration.ofSeconds(5))
          .withDescription("How late, in event time, a transaction may arrive and still count as on time.");
  public static final ConfigOption<Duration> SOURCE_IDLENESS =
      key("watermark.idleness").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("A source split without records for this long stops holding back the watermark.");
  public static final ConfigOption<FeatureOrdering> ORDERING =
      key("features.ordering").enumType(FeatureOrdering.class).defaultValue(FeatureOrdering.ARRIVAL)
          .withDescription("ARRIVAL: each transaction is decided when it arrives, with its card's history as it "
              + "stands then, and then takes its event-time place in that history; nothing on the decision path "
              + "waits for a watermark. Windows count by event time, so a transaction arriving behind newer ones "
              + "of its card (counted in the metric lateTransactions) sees only what happened before it; novelty "
              + "and the card mean follow arrival order. EVENT_TIME: each card's transactions wait in keyed state "
              + "until the watermark passes them and are processed in event-time order, independent of arrival "
              + "order within " + MAX_OUT_OF_ORDERNESS.key() + "; the price is latency: a decision waits for "
              + "transactions about " + MAX_OUT_OF_ORDERNESS.key() + " of event time later, plus up to one "
              + "watermark interval (200 ms), and at most features.max-wait. Transactions behind the watermark "
              + "are then processed at once and counted as late.");
  public static final ConfigOption<Duration> MAX_WAIT =
      key("features.max-wait").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("EVENT_TIME ordering only: the longest a transaction waits, in wall-clock time, for the "
              + "watermark. Then the card's transactions that arrived up to it are processed in event-time "
              + "order with the history there is, so decisions keep coming when the input stalls or a "
              + "partition idles; one that arrives behind them later counts as late.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Features and event time",
      "In which order a card's transactions meet its history, and the watermarks of event time.",
      List.of(MAX_OUT_OF_ORDERNESS, SOURCE_IDLENESS, ORDERING, MAX_WAIT),
      List.of());

  private FeatureOptions() {}
}
