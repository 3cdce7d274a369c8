package dev.riskstream.local.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Waiting for a count to reach its target, without waiting for ever. */
final class Await {

  /** When the count first reached a tenth and nine tenths of its target, in {@link System#nanoTime()}. */
  record Milestones(long tenthNanos, long nineTenthsNanos) {}

  /** Fails the wait when the awaited process has ended (throws) or the count stands still. */
  interface Check {
    void check() throws Exception;
  }

  private static final long POLL_MILLIS = 50;

  private Await() {}

  /**
   * Returns once {@code count} reaches {@code target}; fails when {@code check} throws or the count
   * stands still for {@code stallTimeout}.
   */
  static Milestones count(LongSupplier count, long target, Duration stallTimeout, Check check) throws Exception {
    long last = -1;
    long lastChange = System.nanoTime();
    long tenth = 0;
    long nineTenths = 0;
    while (true) {
      long now = count.getAsLong();
      long at = System.nanoTime();
      if (tenth == 0 && now * 10 >= target) {
        tenth = at;
      }
      if (nineTenths == 0 && now * 10 >= target * 9) {
        nineTenths = at;
      }
      if (now >= target) {
        return new Milestones(tenth, nineTenths);
      }
      check.check();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > stallTimeout.toNanos()) {
        throw new IllegalStateException("stalled at " + now + " of " + target + " records for " + stallTimeout);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
