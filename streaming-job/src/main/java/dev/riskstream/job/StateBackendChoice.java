package dev.riskstream.job;

/** Where keyed state lives; each value carries the name Flink's {@code state.backend.type} knows it by. */
public enum StateBackendChoice {
  /** Objects on the TaskManager's heap: read and changed in place, serialized only into checkpoints and the changelog. */
  HASHMAP("hashmap"),
  /** RocksDB on local disk: serialized on every read and write, bounded by disk rather than heap. */
  ROCKSDB("rocksdb");

  private final String flinkName;

  StateBackendChoice(String flinkName) {
    this.flinkName = flinkName;
  }

  public String flinkName() {
    return flinkName;
  }
}
