package dev.riskstream.rules;

import dev.cel.common.types.CelType;
import dev.cel.common.values.CelValue;

/**
 * A value handed to CEL's runtime already in the form it computes with (a {@code Long}, a
 * {@code Double}, a {@code String}, a {@code Boolean}, a set-backed list of strings). The runtime
 * passes a {@link CelValue} through as it is; any other value it inspects on every access, walking
 * a list entry by entry, which would make a 50,000-card block list cost more than the rule.
 */
final class PreparedValue extends CelValue {

  private final Object value;
  private final CelType type;

  PreparedValue(Object value, CelType type) {
    this.value = value;
    this.type = type;
  }

  @Override
  public Object value() {
    return value;
  }

  /** CEL asks this only of a message's fields when testing their presence, and no name here is a message. */
  @Override
  public boolean isZeroValue() {
    return false;
  }

  @Override
  public CelType celType() {
    return type;
  }
}
