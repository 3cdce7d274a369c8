package dev.riskstream.local.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for a command that must clean up and report first: the JVM's shutdown hook asks the main
 * loop to stop, then holds the JVM until the command has closed this.
 */
final class ShutdownRequest implements AutoCloseable {

  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook = new Thread(() -> {
    requested.set(true);
    awaitQuietly(finished);
  }, "riskstream-shutdown");

  private ShutdownRequest() {}

  static ShutdownRequest install() {
    ShutdownRequest request = new ShutdownRequest();
    Runtime.getRuntime().addShutdownHook(request.hook);
    return request;
  }

  boolean requested() {
    return requested.get();
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting (Ctrl-C): the hook is running and must stay
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
