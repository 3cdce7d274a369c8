package dev.riskstream.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;

/**
 * RocksDB options that shorten the synchronous part of a checkpoint, during which the task that
 * decides stops: RocksDB flushes every column family's memtable there before it links the files.
 *
 * <p>Atomic flush makes that one flush job over all the column families (the card history, the
 * transactionIds seen, the timers) instead of one after the other, each waiting for a background
 * thread; and files flushed to level 0 are not compressed, which took most of the flush's CPU time.
 * Compaction compresses them into the lower levels as the cluster configures, off the task thread.
 * Measured in docs/performance.md ("A shorter checkpoint pause, and less garbage").
 */
public final class CheckpointFlushOptions implements RocksDBOptionsFactory {

  private static final long serialVersionUID = 1L;

  @Override
  public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
    return currentOptions.setAtomicFlush(true);
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions currentOptions,
      Collection<AutoCloseable> handlesToClose) {
    List<CompressionType> levels = new ArrayList<>(currentOptions.compressionPerLevel());
    if (levels.isEmpty()) {
      levels.add(currentOptions.compressionType());
    }
    // the last entry also stands for every deeper level, so level 0's own entry goes in front of it
    if (levels.size() == 1) {
      levels.add(levels.get(0));
    }
    levels.set(0, CompressionType.NO_COMPRESSION);
    return currentOptions.setCompressionPerLevel(levels);
  }
}
