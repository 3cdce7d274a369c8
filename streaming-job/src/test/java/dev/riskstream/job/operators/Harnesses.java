package dev.riskstream.job.operators;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Operator harnesses on a chosen state backend. Each catches what the other cannot: RocksDB
 * serializes state on every access, so what an operator keeps must survive that; the heap, the job's
 * default, hands the operator the stored objects themselves, so what it changes in place is changed
 * in state.
 */
final class Harnesses {

  private Harnesses() {}

  /** Opens {@code harness} on RocksDB, restored from {@code restoreFrom} unless it is null. */
  static <H extends AbstractStreamOperatorTestHarness<?>> H onRocksDb(H harness, OperatorSubtaskState restoreFrom)
      throws Exception {
    return open(harness, new EmbeddedRocksDBStateBackend(), restoreFrom);
  }

  /** Opens {@code harness} on {@code backend}, restored from {@code restoreFrom} unless it is null. */
  static <H extends AbstractStreamOperatorTestHarness<?>> H open(H harness, StateBackend backend,
      OperatorSubtaskState restoreFrom) throws Exception {
    harness.setStateBackend(backend);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }
}
