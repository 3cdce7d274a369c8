package dev.riskstream.features.sql;

import dev.riskstream.features.spec.FeatureSpec;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * Flink SQL scalar functions over {@link FeatureSpec#CURRENT}, so that a query names features instead
 * of copying their defaults or counting their positions: a query stays right when the specification
 * changes, or fails naming what it lacks. Register them with {@link RiskstreamFunctions#register}.
 */
public final class FeatureSpecFunctions {

  private FeatureSpecFunctions() {}

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;

  /**
   * {@code FEATURE_DEFAULT(name STRING) -> FLOAT}: the value the job gives the feature where it knows
   * nothing (no earlier transaction of the card, a profile lookup that fell back).
   */
  public static final class FeatureDefault extends ScalarFunction {
    public Float eval(String name) {
      return name == null ? null : SPEC.feature(name).defaultValue();
    }

    /**
     * Not folded into a constant when the query is planned: Flink 2.2.1 folds a FLOAT to a literal
     * of fewer digits (14.7679405 became 14.76794), and the model would score another value.
     */
    @Override
    public boolean isDeterministic() {
      return false;
    }
  }

  /**
   * {@code LOGGED_FEATURE(features ARRAY<FLOAT>, name STRING) -> FLOAT}: the named feature of a
   * feature log entry's vector, which is in the specification's order. A vector of another length was
   * written under another specification, and is refused rather than read at the wrong positions.
   */
  public static final class LoggedFeature extends ScalarFunction {
    public Float eval(@DataTypeHint("ARRAY<FLOAT>") Float[] features, String name) {
      if (features == null || name == null) {
        return null;
      }
      if (features.length != SPEC.size()) {
        throw new IllegalArgumentException("a feature vector of " + features.length + " values, but the feature "
            + "specification has " + SPEC.size() + ": it was logged under another specification");
      }
      return features[SPEC.requireIndex(name)];
    }
  }
}
