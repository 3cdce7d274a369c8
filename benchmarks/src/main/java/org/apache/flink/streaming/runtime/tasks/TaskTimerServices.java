package org.apache.flink.streaming.runtime.tasks;

/**
 * The processing-time service that a running task hands its operators, for code that runs an
 * operator outside a task. It sits in Flink's package because the services' constructors are
 * package-private; the test harness's own service keeps every cancelled timer in its queue, which a
 * benchmark that registers a timer per batch would end up measuring.
 */
public final class TaskTimerServices {

  private TaskTimerServices() {}

  /** The service behind a task's timers: a scheduled executor that drops cancelled timers. */
  public static TimerService system() {
    return new SystemProcessingTimeService(e -> {
      throw new IllegalStateException("a processing-time timer failed", e);
    });
  }

  /**
   * The view an operator gets. A task defers each firing timer into its mailbox; here it fires on
   * the timer thread, so callers must not let timers fire while they feed the operator.
   */
  public static ProcessingTimeService forOperator(TimerService timers) {
    return new ProcessingTimeServiceImpl(timers, callback -> callback);
  }
}
