package dev.riskstream.job.operators;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database that hangs on cue: H2 calls {@link #stall} from a view ({@code WHERE STALL(millis)}),
 * and every query of the view waits there until the test calls {@link #release}, or {@code millis}
 * should it never do so. H2 calls a static method, so its state is static: one test at a time.
 */
public final class StalledQueries {

  private static volatile CountDownLatch released = new CountDownLatch(0);
  private static final AtomicInteger waiting = new AtomicInteger();
  private static final AtomicInteger ended = new AtomicInteger();

  private StalledQueries() {}

  /** From now on queries of the view wait for {@link #release}. */
  static void hold() {
    waiting.set(0);
    ended.set(0);
    released = new CountDownLatch(1);
  }

  static void release() {
    released.countDown();
  }

  /** Queries waiting now. */
  static int waiting() {
    return waiting.get();
  }

  /** Queries that have stopped waiting since {@link #hold}. */
  static int ended() {
    return ended.get();
  }

  /** Called by H2 when a query reads the view. */
  public static boolean stall(int millis) throws InterruptedException {
    waiting.incrementAndGet();
    try {
      released.await(millis, TimeUnit.MILLISECONDS);
      return true;
    } finally {
      waiting.decrementAndGet();
      ended.incrementAndGet();
    }
  }
}
