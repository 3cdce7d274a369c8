package dev.riskstream.job.rollout;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.util.function.SerializableSupplier;

/** A window's {@link Counts}, added up as the elements arrive. */
public final class WindowCounting<T, C extends Counts<T, C>> implements AggregateFunction<T, C, C> {

  private final SerializableSupplier<C> empty;

  public WindowCounting(SerializableSupplier<C> empty) {
    this.empty = empty;
  }

  @Override
  public C createAccumulator() {
    return empty.get();
  }

  @Override
  public C add(T element, C counts) {
    counts.add(element);
    return counts;
  }

  @Override
  public C getResult(C counts) {
    return counts;
  }

  @Override
  public C merge(C a, C b) {
    a.add(b);
    return a;
  }
}
