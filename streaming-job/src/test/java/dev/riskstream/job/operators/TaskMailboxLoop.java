package dev.riskstream.job.operators;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.awaitility.core.ConditionFactory;

/**
 * What a task's mailbox loop does between records, for operator harnesses: runs the mails other
 * threads have posted to the task thread (the scoring lanes' "emit a scored batch", the lookups'
 * results).
 */
final class TaskMailboxLoop {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private TaskMailboxLoop() {}

  /** Runs the mails posted so far. */
  static void runMails(AbstractStreamOperatorTestHarness<?> harness) throws Exception {
    TaskMailbox mailbox = harness.getTaskMailbox();
    for (Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY); mail.isPresent();
        mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)) {
      mail.get().run();
    }
  }

  /** Runs mails as they come until {@code done} holds; fails after half a minute. */
  static void runMailsUntil(AbstractStreamOperatorTestHarness<?> harness, BooleanSupplier done) {
    onTheTaskThread().pollInterval(Duration.ofMillis(1)).until(() -> {
      runMails(harness);
      return done.getAsBoolean();
    });
  }

  /**
   * Waits for a condition, checked at once and then now and then for half a minute, on the calling
   * thread: the harness's mailbox and timers may be touched by the task thread only, which in a
   * harness test is the test's.
   */
  static ConditionFactory onTheTaskThread() {
    return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInSameThread();
  }
}
