package dev.riskstream.job.rollout;

/** Counts that add up: one element at a time, or another's counts of other elements. */
public interface Counts<T, C extends Counts<T, C>> {

  void add(T element);

  void add(C other);
}
