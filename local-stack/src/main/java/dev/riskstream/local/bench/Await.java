package dev.riskstream.local.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waiting for a count to reach its target, without waiting for ever: Awaitility polls the count, and
 * a count that stands still for the stall timeout ends the wait, however long the whole takes.
 */
public final class Await {

  /** When the count first reached a tenth and nine tenths of its target, in {@link System#nanoTime()}. */
  record Milestones(long tenthNanos, long nineTenthsNanos) {}

  /** Fails the wait when the awaited process has ended (throws). */
  interface Check {
    void check() throws Exception;
  }

  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final LongSupplier count;
  private final long target;
  private final Duration stallTimeout;
  private final Check check;
  private long last = -1;
  private long lastChangeNanos = System.nanoTime();
  private long tenthNanos;
  private long nineTenthsNanos;

  private Await(LongSupplier count, long target, Duration stallTimeout, Check check) {
    this.count = count;
    this.target = target;
    this.stallTimeout = stallTimeout;
    this.check = check;
  }

  /**
   * Returns once {@code count} reaches {@code target}; fails when {@code check} throws (the awaited
   * process has ended) or the count stands still for {@code stallTimeout}.
   */
  static Milestones count(LongSupplier count, long target, Duration stallTimeout, Check check)
      throws Exception {
    Await wait = new Await(count, target, stallTimeout, check);
    await().forever().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL).until(wait::reached);
    return new Milestones(wait.tenthNanos, wait.nineTenthsNanos);
  }

  /** Whether {@code count} reaches {@code target} before it stands still for {@code stallTimeout}. */
  public static boolean reaches(LongSupplier count, long target, Duration stallTimeout) throws Exception {
    try {
      count(count, target, stallTimeout, () -> { });
      return true;
    } catch (Stalled e) {
      return false;
    }
  }

  /** A count that stood still for the stall timeout. */
  private static final class Stalled extends IllegalStateException {
    Stalled(String message) {
      super(message);
    }
  }

  private boolean reached() throws Exception {
    long now = count.getAsLong();
    long at = System.nanoTime();
    if (tenthNanos == 0 && now * 10 >= target) {
      tenthNanos = at;
    }
    if (nineTenthsNanos == 0 && now * 10 >= target * 9) {
      nineTenthsNanos = at;
    }
    if (now >= target) {
      return true;
    }
    check.check();
    if (now != last) {
      last = now;
      lastChangeNanos = at;
    } else if (at - lastChangeNanos > stallTimeout.toNanos()) {
      throw new Stalled("stalled at " + now + " of " + target + " records for " + stallTimeout);
    }
    return false;
  }
}
