package dev.riskstream.local.bench;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.StateChangelog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * One Flink job on a MiniCluster of its own, with the runtime settings of the real job
 * (checkpointing, RocksDB, restarts), run until a count reaches its target, then cancelled.
 */
final class JobRun implements AutoCloseable {

  /** Adds the job's sources, operators and sinks. */
  interface Wiring {
    void wire(StreamExecutionEnvironment env) throws Exception;
  }

  private final JobClient client;
  private final Path checkpoints;

  private JobRun(JobClient client, Path checkpoints) {
    this.client = client;
    this.checkpoints = checkpoints;
  }

  /**
   * Runs the job with the job's runtime settings, {@code options}' parallelism and managed memory
   * (which RocksDB keeps its caches and write buffers in) and its Flink settings over them.
   */
  static JobRun submit(JobConfig config, BenchOptions options, String name, Wiring wiring) throws Exception {
    Path checkpoints = Files.createTempDirectory("riskstream-bench-checkpoints");
    Configuration flink = RiskstreamJob.runtimeSettings(config);
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, options.parallelism());
    flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, options.managedMemory());
    flink.addAll(Configuration.fromMap(options.flinkSettings()));
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StateChangelog.keepLocally(flink, checkpoints.resolve("changelog").toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
    env.setParallelism(options.parallelism());
    try {
      wiring.wire(env);
      return new JobRun(env.executeAsync(name), checkpoints);
    } catch (Exception e) {
      FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
      throw e;
    }
  }

  JobClient client() {
    return client;
  }

  /**
   * Waits until {@code count} reaches {@code target}; fails when the job ends first or the count
   * stands still for {@code stallTimeout}.
   */
  Await.Milestones awaitCount(LongSupplier count, long target, Duration stallTimeout) throws Exception {
    return Await.count(count, target, stallTimeout, () -> {
      if (client.getJobExecutionResult().isDone()) {
        client.getJobExecutionResult().get(); // throws the job's failure
        throw new IllegalStateException("the job ended with " + count.getAsLong() + " of " + target + " records");
      }
    });
  }

  /** Cancels the job and waits until its tasks are gone. */
  @Override
  public void close() throws Exception {
    try {
      if (!client.getJobExecutionResult().isDone()) {
        client.cancel().handle((ack, alreadyOver) -> ack).get();
      }
      // completes exceptionally once cancelled
      client.getJobExecutionResult().handle((result, failure) -> result).get();
    } finally {
      FileUtils.deleteDirectoryQuietly(checkpoints.toFile());
    }
  }
}
