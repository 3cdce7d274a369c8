package dev.riskstream.local.cli;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.StateChangelog;
import dev.riskstream.local.flink.PrometheusReporter;
import dev.riskstream.training.LoggedFeatures;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

/** The job on a Flink MiniCluster in this JVM, with the web dashboard, as the demo runs it. */
final class MiniClusterHost implements JobHost {

  private final int uiPort;
  private final int parallelism;
  private final Integer prometheusPort;
  private final boolean roomForRetraining;

  /**
   * @param uiPort 0: any free port
   * @param prometheusPort null: the metrics are not served
   * @param roomForRetraining whether the cluster keeps {@link InProcessRetraining#SLOTS} slots for retraining joins
   */
  MiniClusterHost(int uiPort, int parallelism, Integer prometheusPort, boolean roomForRetraining) throws IOException {
    // the dashboard URL must be printable before Flink binds, so port 0 is resolved here
    this.uiPort = uiPort == 0 ? freePort() : uiPort;
    this.parallelism = parallelism;
    this.prometheusPort = prometheusPort;
    this.roomForRetraining = roomForRetraining;
  }

  /** The port of the dashboard and REST API, on which retraining joins reach the cluster. */
  int restPort() {
    return uiPort;
  }

  @Override
  public RunningJob start(JobConfig config, Map<String, String> settings, Path scratch)
      throws Exception {
    Configuration flink = RiskstreamJob.runtimeSettings(config);
    flink.set(RestOptions.PORT, uiPort);
    flink.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism + (roomForRetraining ? InProcessRetraining.SLOTS : 0));
    if (roomForRetraining) {
      flink.addAll(LoggedFeatures.READER_SETTINGS);
    }
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        Files.createDirectories(scratch.resolve("checkpoints")).toUri().toString());
    StateChangelog.keepLocally(flink, scratch.resolve("changelog").toUri().toString());
    if (prometheusPort != null) {
      PrometheusReporter.enable(flink, String.valueOf(prometheusPort));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
    env.setParallelism(parallelism);
    RiskstreamJob.wireKafka(env, config);
    return new Running(env.executeAsync(RiskstreamJob.JOB_NAME), "http://localhost:" + uiPort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Running(JobClient job, String dashboardUrl) implements RunningJob {

    @Override
    public boolean running() throws Exception {
      return job.getJobStatus().handle((current, clusterGone) -> current).get() == JobStatus.RUNNING;
    }

    @Override
    public String whereToWatch(String bootstrapServers) {
      return "Flink dashboard: " + dashboardUrl + "  Kafka: " + bootstrapServers;
    }

    /** The MiniCluster shuts down with its only job, so this asks the job's result, not its status. */
    @Override
    public Optional<String> ended() {
      if (!job.getJobExecutionResult().isDone()) {
        return Optional.empty();
      }
      try {
        job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
        return Optional.of("the job finished");
      } catch (Exception e) {
        // in the words of the code that failed it rather than of Flink's wrappers: the outermost of ours,
        // else the root cause
        return Optional.of("the job failed: " + ExceptionUtils.findThrowable(e,
            t -> t.getClass().getName().startsWith("dev.riskstream.") || t.getCause() == null).orElse(e).getMessage());
      }
    }

    /** Cancels the job and waits until its tasks are gone, and the MiniCluster with them. */
    @Override
    public void close() throws Exception {
      if (!job.getJobExecutionResult().isDone()) {
        job.cancel().handle((ack, alreadyOver) -> ack).get();
      }
      // completes exceptionally once cancelled: the outcome is what the summary reports
      job.getJobExecutionResult().handle((result, failure) -> result).get();
    }
  }
}
