package dev.riskstream.local.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of one phase of the bench, once a second: rewritten in place on a terminal, a line
 * every ten seconds otherwise.
 */
final class Progress implements AutoCloseable {

  private static final long INTERVAL_MILLIS = 1_000;
  private static final int LOG_EVERY = 10;

  private final PrintStream out;
  private final String phase;
  private final long target;
  private final LongSupplier done;
  private final boolean interactive = System.console() != null;
  private final long startNanos = System.nanoTime();
  private final Thread thread;

  private Progress(PrintStream out, String phase, long target, LongSupplier done) {
    this.out = out;
    this.phase = phase;
    this.target = target;
    this.done = done;
    thread = new Thread(this::report, "riskstream-bench-progress");
    thread.setDaemon(true);
  }

  /** @param target the count the phase ends at, 0 when it ends at a time instead */
  static Progress start(PrintStream out, String phase, long target, LongSupplier done) {
    Progress progress = new Progress(out, phase, target, done);
    progress.thread.start();
    return progress;
  }

  private void report() {
    try {
      for (int shown = 0; ; shown++) {
        // a report every interval until close(): nothing is waited for
        Thread.sleep(INTERVAL_MILLIS);
        String line = line(phase, done.getAsLong(), target, (System.nanoTime() - startNanos) / 1e9);
        if (interactive) {
          out.print("\r" + line + "\u001b[K");
        } else if (shown % LOG_EVERY == LOG_EVERY - 1) {
          out.println(line);
        }
        out.flush();
      }
    } catch (InterruptedException stop) {
      // close() ends the phase
    }
  }

  static String line(String phase, long done, long target, double seconds) {
    String rate = String.format(Locale.ROOT, "%,.0f/s", seconds > 0 ? done / seconds : 0);
    return target > 0
        ? String.format(Locale.ROOT, "%-28s %,12d / %,d (%3.0f%%) %5.0fs %12s", phase, done, target,
            100.0 * done / target, seconds, rate)
        : String.format(Locale.ROOT, "%-28s %,12d %5.0fs %12s", phase, done, seconds, rate);
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join();
    out.println(line(phase, done.getAsLong(), target, (System.nanoTime() - startNanos) / 1e9));
    out.flush();
  }
}
