package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * What a task's mailbox loop does between records, for operator harnesses: runs the mails other
 * threads have posted to the task thread (the scoring lanes' "emit a scored batch").
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
  static void runMailsUntil(AbstractStreamOperatorTestHarness<?> harness, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    runMails(harness);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(1);
      runMails(harness);
    }
    assertThat(done.getAsBoolean()).as("done within %s", PATIENCE).isTrue();
  }
}
