package dev.riskstream.job.scoring;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/** The one thread of a scoring lane: tasks run in submission order, and closing waits for them. */
final class LaneThread implements AutoCloseable {

  /** A run that takes longer than this is stuck; the session is closed under it only after it. */
  private static final long CLOSE_TIMEOUT_SECONDS = 60;

  private final ExecutorService executor;

  LaneThread(String name) {
    this.executor = Executors.newSingleThreadExecutor(new ExecutorThreadFactory(name));
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a scoring run did not end within " + CLOSE_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
