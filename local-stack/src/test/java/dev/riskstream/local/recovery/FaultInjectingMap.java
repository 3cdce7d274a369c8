package dev.riskstream.local.recovery;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Test-only fault injection: passes records through unchanged and, when armed, fails its task
 * exactly once, after a checkpoint has completed and at least a given number of records went
 * through (counted over all subtasks). The switches are static because the MiniCluster runs the
 * job in the test's JVM and every restarted subtask is a new instance: the fault must fire once
 * per test, not once per attempt.
 */
public final class FaultInjectingMap<T> implements MapFunction<T, T>, CheckpointedFunction,
    CheckpointListener {

  /** Where the armed fault strikes. */
  public enum Fault {
    /** No fault: records are counted only. */
    NONE,
    /** While processing a record, between two checkpoints. */
    WHILE_PROCESSING,
    /**
     * While taking a checkpoint: the snapshot of this operator fails after the barrier left the
     * source, so the sinks' transactions of that checkpoint stay open.
     */
    DURING_CHECKPOINT
  }

  private static volatile Fault armed = Fault.NONE;
  private static volatile long afterRecords;
  private static final AtomicLong records = new AtomicLong();
  private static final AtomicBoolean checkpointCompleted = new AtomicBoolean();
  private static final AtomicLong injectedAtMillis = new AtomicLong();

  /** Arms the fault for the next job and forgets everything about the previous one. */
  public static void arm(Fault fault, long records) {
    FaultInjectingMap.records.set(0);
    checkpointCompleted.set(false);
    injectedAtMillis.set(0);
    afterRecords = records;
    armed = fault;
  }

  /** When the fault struck, in epoch milliseconds; empty while it has not. */
  public static Optional<Long> injectedAt() {
    long at = injectedAtMillis.get();
    return at == 0 ? Optional.empty() : Optional.of(at);
  }

  @Override
  public T map(T record) {
    records.incrementAndGet();
    strikeIf(Fault.WHILE_PROCESSING);
    return record;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    strikeIf(Fault.DURING_CHECKPOINT);
  }

  @Override
  public void initializeState(FunctionInitializationContext context) {
    // nothing to keep: the switches must survive the restart the fault causes, so they are static
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointCompleted.set(true);
  }

  private static void strikeIf(Fault here) {
    if (armed == here && checkpointCompleted.get() && records.get() >= afterRecords
        && injectedAtMillis.compareAndSet(0, System.currentTimeMillis())) {
      throw new InjectedFault("fault injected by the test " + here + " after " + records.get() + " records");
    }
  }

  /** What the fault throws, so that logs tell an injected failure from a real one. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String message) {
      super(message);
    }
  }
}
