package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Delivery": how decisions are delivered: the guarantee, the checkpoints that
 * commit them and how long they may wait in a network buffer.
 */
public final class DeliveryOptions {

  public static final ConfigOption<DeliveryChoice> GUARANTEE =
      key("delivery.guarantee").enumType(DeliveryChoice.class).defaultValue(DeliveryChoice.EXACTLY_ONCE)
          .withDescription("EXACTLY_ONCE: decisions become visible to read_committed consumers at each "
              + "checkpoint, once each, also across failures. AT_LEAST_ONCE: visible as soon as written (latency "
              + "not tied to the checkpoint interval), but a restart writes the decisions since the last "
              + "checkpoint again; consumers de-duplicate by transactionId.");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("How often state is checkpointed and, exactly-once, decisions are committed.");
  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      key("network.buffer-timeout").durationType().defaultValue(Duration.ofMillis(1))
          .withDescription("Longest a transaction waits in a network buffer on the decision path, on its one hop: "
              + "the shuffle to its card's features (from there to its decision it stays in one task, model updates "
              + "and rule sets included); a full buffer ships at once whatever the setting. The other shuffles, off "
              + "the decision path, keep the cluster's execution.buffer-timeout.interval (Flink's default 100 ms). "
              + "Lower costs throughput (partly filled buffers); 0: every record ships alone.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Delivery",
      "How decisions are delivered: the guarantee, the checkpoints that commit them and how long they may "
          + "wait in a network buffer.",
      List.of(GUARANTEE, CHECKPOINT_INTERVAL, BUFFER_TIMEOUT),
      List.of());

  private DeliveryOptions() {}
}
