package dev.riskstream.job.scoring;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.metrics.MetricGroup;

/**
 * Shows a string that changes now and then, such as the model version, to Prometheus, which takes
 * numbers only: one gauge per value seen, in a key-value metric group (so the value becomes a label),
 * 1 while that value is the current one and 0 once it is not. Updated from the task thread only.
 */
public final class CurrentValueGauges {

  private final MetricGroup group;
  private final String key;
  private final String gaugeName;
  private final Supplier<String> current;
  private final Set<String> seen = new HashSet<>();

  /** Registers the gauge of the current value at once. */
  public CurrentValueGauges(MetricGroup group, String key, String gaugeName, Supplier<String> current) {
    this.group = group;
    this.key = key;
    this.gaugeName = gaugeName;
    this.current = current;
    update();
  }

  /** Registers the gauge of the current value if it is new; call whenever the value may have changed. */
  public void update() {
    String value = current.get();
    if (seen.add(value)) {
      group.addGroup(key, value).gauge(gaugeName, () -> value.equals(current.get()) ? 1 : 0);
    }
  }
}
