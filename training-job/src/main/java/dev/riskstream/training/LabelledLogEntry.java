package dev.riskstream.training;

import dev.riskstream.schemas.FeatureLogEntry;

/**
 * A logged decision and what its label says, as the retraining join emits it. A Flink POJO.
 *
 * @see LoggedFeatures
 */
public class LabelledLogEntry {

  public FeatureLogEntry entry;
  /** Null: no label has come for this decision (yet). */
  public Boolean fraud;

  public LabelledLogEntry() {}

  public LabelledLogEntry(FeatureLogEntry entry, Boolean fraud) {
    this.entry = entry;
    this.fraud = fraud;
  }
}
