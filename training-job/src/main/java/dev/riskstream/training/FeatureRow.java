package dev.riskstream.training;

import dev.riskstream.features.spec.FeatureSpec;
import java.util.Objects;

/**
 * The features of one labeled transaction as serving would have computed them.
 *
 * @param source the transaction and its label
 * @param features in {@link FeatureSpec#CURRENT} order, not in any model's column order
 */
public record FeatureRow(LabeledTransaction source, float[] features) {

  public FeatureRow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(features, "features");
  }

  public boolean fraud() {
    return source.fraud();
  }

  public long eventTimeMillis() {
    return source.transaction().getEventTime().toEpochMilli();
  }
}
