package dev.riskstream.features.drift;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Bin counts of one segment's transactions in one window: the mergeable accumulator of drift
 * monitoring. Counts merge by addition, so partial counts from parallel subtasks merge into the
 * window's, in any grouping and order, and equal the counts of all its transactions added to one
 * accumulator.
 *
 * <p>A Flink POJO (public no-argument constructor, public fields of long and long[]), so Flink
 * serializes it with its own POJO serializer, and it evolves with state schema evolution; it is also
 * {@link Serializable}. Its layout (which array slot is which bin) is that of the {@link
 * ProfileBinning} that created it: counts are only meaningful, and only merge, with the same model
 * version's reference.
 */
public final class WindowCounts implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Transactions counted. */
  public long events;
  /** Transactions per bin, laid out by {@link ProfileBinning}. */
  public long[] bins;
  /** Per feature: transactions where it fell back to its default. */
  public long[] missing;
  /** The transactions' reconstruction errors added up (see {@link JointReference}); 0 without one. */
  public double reconstructionErrorSum;

  /** For Flink's POJO serializer; use {@link ProfileBinning#newCounts()}. */
  public WindowCounts() {}

  WindowCounts(int binSlots, int features) {
    this.bins = new long[binSlots];
    this.missing = new long[features];
  }

  public long events() {
    return events;
  }

  /** Adds {@code other}'s counts to these and returns these. */
  public WindowCounts merge(WindowCounts other) {
    if (other.bins.length != bins.length || other.missing.length != missing.length) {
      throw new IllegalArgumentException("counts of different layouts (" + bins.length + "/" + missing.length
          + " and " + other.bins.length + "/" + other.missing.length + " slots) do not merge");
    }
    events += other.events;
    for (int i = 0; i < bins.length; i++) {
      bins[i] += other.bins[i];
    }
    for (int i = 0; i < missing.length; i++) {
      missing[i] += other.missing[i];
    }
    reconstructionErrorSum += other.reconstructionErrorSum;
    return this;
  }

  public WindowCounts copy() {
    WindowCounts copy = new WindowCounts();
    copy.events = events;
    copy.bins = bins.clone();
    copy.missing = missing.clone();
    copy.reconstructionErrorSum = reconstructionErrorSum;
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowCounts other && events == other.events && Arrays.equals(bins, other.bins)
        && Arrays.equals(missing, other.missing) && reconstructionErrorSum == other.reconstructionErrorSum;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(events) + Arrays.hashCode(bins)) + Arrays.hashCode(missing);
  }

  @Override
  public String toString() {
    return "WindowCounts{events=" + events + ", bins=" + Arrays.toString(bins) + ", missing="
        + Arrays.toString(missing) + ", reconstructionErrorSum=" + reconstructionErrorSum + "}";
  }
}
