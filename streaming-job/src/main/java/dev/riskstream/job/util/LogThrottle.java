package dev.riskstream.job.util;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a log line through at most once per interval: a fault that every batch or every lookup meets
 * would otherwise write a line for each. Thread-safe.
 */
public final class LogThrottle {

  private static final long NEVER = Long.MIN_VALUE;

  private final long intervalNanos;
  private final AtomicLong last = new AtomicLong(NEVER);

  public LogThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Whether to log now; true for the first call and then once the interval has passed. */
  public boolean due() {
    long now = System.nanoTime();
    long previous = last.get();
    return (previous == NEVER || now - previous >= intervalNanos) && last.compareAndSet(previous, now);
  }
}
