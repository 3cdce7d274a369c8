package dev.riskstream.local.cli;

import java.io.PrintStream;
import java.util.ArrayDeque;

/**
 * One live line of progress: rewritten in place on a terminal, a line every ten seconds otherwise
 * (so that logs stay readable).
 */
final class StatusLine {

  private static final int LOG_EVERY = 10;
  /**
   * Samples the rate is measured over: exactly-once decisions appear in bursts at each checkpoint,
   * so a one-second rate would swing between zero and a multiple of the true rate.
   */
  private static final int RATE_WINDOW = 10;

  private final PrintStream out;
  private final boolean interactive = System.console() != null;
  private final ArrayDeque<TopicMonitor.Counts> window = new ArrayDeque<>();
  private int shown;

  StatusLine(PrintStream out) {
    this.out = out;
  }

  void show(TopicMonitor.Counts counts) {
    window.addLast(counts);
    if (window.size() > RATE_WINDOW + 1) {
      window.removeFirst();
    }
    TopicMonitor.Counts oldest = window.getFirst();
    double interval = counts.elapsedSeconds() - oldest.elapsedSeconds();
    double perSecond = interval > 0 ? (counts.decisions() - oldest.decisions()) / interval : 0;
    String line = String.format(
        "%6.0fs | %,8.0f decisions/s | decisions %,d: approve %,d review %,d decline %,d | dead letters %,d | model %s on %s",
        counts.elapsedSeconds(), perSecond, counts.decisions(), counts.approve(), counts.review(),
        counts.decline(), counts.deadLetters(), blankAsDash(counts.modelVersion()),
        blankAsDash(counts.executionProvider()));
    if (interactive) {
      out.print("\r" + line + "\u001b[K");
    } else if (shown % LOG_EVERY == 0) {
      out.println(line);
    }
    shown++;
    out.flush();
  }

  void finish() {
    if (interactive) {
      out.println();
    }
  }

  private static String blankAsDash(String value) {
    return value.isEmpty() ? "-" : value;
  }
}
