package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the area "State": where the job keeps its keyed state, each card's history first of all. */
public final class StateOptions {

  public static final ConfigOption<StateBackendChoice> BACKEND =
      key("state.backend").enumType(StateBackendChoice.class).defaultValue(StateBackendChoice.HASHMAP)
          .withDescription("HASHMAP: keyed state as objects on the TaskManagers' heap; a card's history is read and "
              + "changed in place, serialized only into the state changelog and checkpoints. The heap must hold "
              + "every card active within the longest feature horizon (24 h): size the TaskManagers by the heap "
              + "per active card in docs/operations.md, and give them a low-pause collector (ZGC), as the "
              + "deployment files do. ROCKSDB: keyed state in RocksDB on local disk, serialized on every read and "
              + "write, for more active cards than a heap holds, at more CPU per transaction (docs/performance.md, \"Keyed "
              + "state on the heap\"). Changing it on a running job needs a savepoint in the canonical format.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("State",
      "Where the job keeps its keyed state, each card's history first of all.",
      List.of(BACKEND),
      List.of());

  private StateOptions() {}
}
