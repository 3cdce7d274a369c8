package dev.riskstream.job;

import dev.riskstream.io.kafka.RawRecord;

/**
 * A record of a control topic (a model-update announcement, a published rule set) on its way down the
 * decision path to the operator it is for. The deciding task takes the control topics in at its head,
 * the card-keyed operator, which hands each record down its chain in line with the transactions
 * ({@link EnrichedTransaction#carrying}): scoring and deciding then have one input each and run in the
 * same task as the card features, where a second input of their own would cut the chain (Flink chains
 * no operator with two inputs to its predecessor) and cost every transaction two network hops. A
 * Flink POJO.
 */
public class ControlRecord {

  /** Which operator a control record is for. */
  public enum Kind {
    /** The scorer's: a model version announced, shadowed, promoted or withdrawn. */
    MODEL_UPDATE,
    /** The deciding operator's: a rule set published. */
    RULE_SET
  }

  public Kind kind;
  public RawRecord record;

  public ControlRecord() {}

  public ControlRecord(Kind kind, RawRecord record) {
    this.kind = kind;
    this.record = record;
  }
}
