package dev.riskstream.job;

import java.util.Optional;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed state's changes also go to a durable changelog (Flink's log-based incremental checkpoints),
 * so that a checkpoint's synchronous part only seals the changelog, and the state backend is
 * materialized in the background every {@code state.changelog.periodic-materialize.interval} (10
 * minutes) instead of at every checkpoint. Without it, each checkpoint of RocksDB flushes its memtables
 * on the task thread that decides (measured in docs/performance.md, "Checkpoints that do not stop the
 * decisions"), and each checkpoint of the heap writes every card's state, changed or not.
 *
 * <p>Where the changelog is kept is the cluster's to say, as for checkpoints: TaskManagers read
 * {@code state.changelog.storage} and its {@code state.changelog.dstl.dfs.base-path} from their own
 * configuration, not the job's. So the job turns the changelog on where the cluster keeps it durably
 * ({@code filesystem}); on a cluster without (Flink's default is {@code memory}, which holds the
 * changes in the checkpoints' metadata until the next materialization), it stays off and checkpoints
 * are the state backend's own. A cluster turns it off with {@code state.changelog.enabled: false}.
 *
 * <p>A run restored from a savepoint or retained checkpoint in {@code NO_CLAIM} mode (Flink's default,
 * which leaves the snapshot to its owner) must take a full snapshot first, which the changelog cannot:
 * every checkpoint would fail and the job restart without end. Such a run keeps the changelog off; one
 * restored in {@code CLAIM} mode (or Flink's deprecated {@code LEGACY}) keeps it on.
 */
public final class StateChangelog {

  static final String DURABLE_STORAGE = "filesystem";

  private static final Logger LOG = LoggerFactory.getLogger(StateChangelog.class);

  private StateChangelog() {}

  /** The cluster's side: the changelog kept under {@code basePath}, which every TaskManager must reach. */
  public static Configuration storage(String basePath) {
    Configuration storage = new Configuration();
    storage.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, DURABLE_STORAGE);
    storage.set(FsStateChangelogOptions.BASE_PATH, basePath);
    return storage;
  }

  /**
   * A local cluster and its job in one configuration (the demo's, the bench's): the changelog kept
   * under {@code basePath} unless {@code flink} already says where, and turned on where it can be.
   */
  public static void keepLocally(Configuration flink, String basePath) {
    if (flink.getOptional(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE).isEmpty()) {
      flink.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, DURABLE_STORAGE);
    }
    if (flink.getOptional(FsStateChangelogOptions.BASE_PATH).isEmpty()) {
      flink.set(FsStateChangelogOptions.BASE_PATH, basePath);
    }
    flink.addAll(settingsOver(flink));
  }

  /**
   * The job's side, over {@code effective} (the cluster's settings and the job's): the changelog on
   * where the cluster keeps it durably, otherwise nothing.
   *
   * @throws IllegalConfigurationException where the cluster names durable storage but no place for it,
   *     which would fail every task at start
   */
  public static Configuration settingsOver(ReadableConfig effective) {
    Configuration settings = new Configuration();
    if (!effective.getOptional(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG).orElse(true)) {
      return settings;
    }
    // Flink reads the storage's name in any case
    if (!DURABLE_STORAGE.equalsIgnoreCase(effective.get(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE))) {
      LOG.warn("State changelog off: the cluster keeps none durably (set {}: {} and {}); every checkpoint of RocksDB "
          + "pauses the deciding tasks while it flushes, every checkpoint of the heap writes all keyed state "
          + "(docs/operations.md, \"Checkpoints and the state changelog\")",
          StateChangelogOptions.STATE_CHANGE_LOG_STORAGE.key(), DURABLE_STORAGE, FsStateChangelogOptions.BASE_PATH.key());
      return settings;
    }
    Optional<String> restoringFrom = effective.getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
    if (restoringFrom.isPresent() && effective.get(StateRecoveryOptions.RESTORE_MODE) == RecoveryClaimMode.NO_CLAIM) {
      LOG.warn("State changelog off for this run: it restores {} in {} mode, whose first checkpoint must be a full "
          + "snapshot, which the changelog cannot take (every checkpoint would fail); restore in {} mode to keep it "
          + "(docs/operations.md, \"Checkpoints and the state changelog\")", restoringFrom.get(),
          RecoveryClaimMode.NO_CLAIM, RecoveryClaimMode.CLAIM);
      return settings;
    }
    if (effective.getOptional(FsStateChangelogOptions.BASE_PATH).isEmpty()) {
      throw new IllegalConfigurationException(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE.key() + " "
          + DURABLE_STORAGE + " needs " + FsStateChangelogOptions.BASE_PATH.key()
          + " in the cluster's configuration: a location every TaskManager reaches, such as one beside the checkpoints");
    }
    settings.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
    return settings;
  }
}
