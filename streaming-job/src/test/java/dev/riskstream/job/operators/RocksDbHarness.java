package dev.riskstream.job.operators;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Operator harnesses on the production state backend: state is serialized on every access, as on a cluster. */
final class RocksDbHarness {

  private RocksDbHarness() {}

  /** Opens {@code harness} on RocksDB, restored from {@code restoreFrom} unless it is null. */
  static <H extends AbstractStreamOperatorTestHarness<?>> H open(H harness, OperatorSubtaskState restoreFrom)
      throws Exception {
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }
}
