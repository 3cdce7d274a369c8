package dev.riskstream.local.simulator;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Draws items in proportion to their weight. */
final class WeightedChoice<T> {

  private final List<T> items;
  private final double[] cumulative;

  WeightedChoice(List<T> items, ToDoubleFunction<T> weight) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("nothing to choose from");
    }
    this.items = List.copyOf(items);
    this.cumulative = new double[items.size()];
    double sum = 0;
    for (int i = 0; i < items.size(); i++) {
      sum += weight.applyAsDouble(items.get(i));
      cumulative[i] = sum;
    }
  }

  T draw(Dice dice) {
    double target = dice.uniform() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (target < cumulative[i]) {
        return items.get(i);
      }
    }
    return items.get(items.size() - 1);
  }
}
