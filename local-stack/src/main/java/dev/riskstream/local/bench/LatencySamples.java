package dev.riskstream.local.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latencies of a fixed number of transactions on one path, each recorded the first time its
 * decision is seen: a decision read twice (a retried write) is one transaction decided once. One
 * thread records; any may count.
 */
final class LatencySamples {

  private static final long NONE = Long.MIN_VALUE;

  private final long[] millis;
  private final AtomicInteger recorded = new AtomicInteger();

  LatencySamples(int transactions) {
    millis = new long[transactions];
    Arrays.fill(millis, NONE);
  }

  /** @param transaction the transaction's index among those measured */
  void record(int transaction, long latencyMillis) {
    if (millis[transaction] == NONE) {
      millis[transaction] = latencyMillis;
      recorded.incrementAndGet(); // publishes the sample to whoever reads the count
    }
  }

  boolean has(int transaction) {
    return millis[transaction] != NONE;
  }

  /** @return the latency recorded for the transaction; only where {@link #has} says there is one */
  long latency(int transaction) {
    return millis[transaction];
  }

  int recorded() {
    return recorded.get();
  }

  /** The percentiles of the samples recorded, once {@link #recorded()} says they are all there. */
  Percentiles percentiles() {
    return Percentiles.of(Arrays.stream(millis).filter(m -> m != NONE).toArray());
  }
}
