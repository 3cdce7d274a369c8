package dev.riskstream.job;

import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * How decisions reach Kafka. Flink's own {@link DeliveryGuarantee} cannot be the setting's type:
 * Flink parses enum settings by their {@code toString()}, which for it is {@code exactly-once},
 * not the name users write; and its {@code NONE}, which drops what is buffered on a failure, is
 * no choice for decisions.
 */
public enum DeliveryChoice {
  /** Kafka transactions committed with each checkpoint; read_committed consumers see each decision once. */
  EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
  /** Written at once and flushed at each checkpoint; a restart repeats the decisions since the last one. */
  AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE);

  private final DeliveryGuarantee guarantee;

  DeliveryChoice(DeliveryGuarantee guarantee) {
    this.guarantee = guarantee;
  }

  public DeliveryGuarantee guarantee() {
    return guarantee;
  }
}
