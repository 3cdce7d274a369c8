package dev.riskstream.local.cli;

import dev.riskstream.job.JobConfig;
import dev.riskstream.local.flink.FlinkRestClient;
import dev.riskstream.local.flink.StandaloneFlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.util.FileUtils;

/**
 * The deployable job jar on a standalone session cluster of its own processes (a JobManager and
 * TaskManagers), uploaded and run through the REST API as a user would.
 *
 * @param workDir the cluster's configuration, logs and checkpoints, emptied at start
 * @param prometheusPorts a port range from which every process takes one, or null for none
 */
record SessionClusterHost(int taskManagers, int slots, int restPort, int parallelism, Path workDir, Path jobJar,
    String prometheusPorts) implements JobHost {

  private static final Set<String> TERMINAL_STATES = Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");

  /** The job's settings, secrets' references included, travel as program arguments. */
  @Override
  public RunningJob start(JobConfig config, Map<String, String> settings, Path scratch)
      throws Exception {
    FileUtils.deleteDirectory(workDir.toFile());
    Files.createDirectories(workDir);
    StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(new StandaloneFlinkCluster.Settings(
        taskManagers, slots, restPort, workDir.toAbsolutePath(), jobJar, Map.of(), prometheusPorts));
    try {
      FlinkRestClient rest = cluster.rest();
      return new Running(cluster, rest, rest.runJar(rest.uploadJar(jobJar), programArguments(settings), parallelism));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code --key value}, as the job's main method reads them. */
  private static List<String> programArguments(Map<String, String> settings) {
    List<String> arguments = new ArrayList<>();
    settings.forEach((key, value) -> {
      arguments.add("--" + key);
      arguments.add(value);
    });
    return arguments;
  }

  private record Running(StandaloneFlinkCluster cluster, FlinkRestClient rest, String jobId) implements RunningJob {

    /** Submitted is enough: the dashboard and the logs tell the rest. */
    @Override
    public boolean running() {
      return true;
    }

    @Override
    public String whereToWatch(String bootstrapServers) {
      return "Flink dashboard: " + cluster.restUri() + "  Kafka: " + bootstrapServers + "  job: " + jobId
          + "  logs: " + cluster.workDir();
    }

    @Override
    public Optional<String> ended() throws Exception {
      String state = rest.jobState(jobId);
      if (!TERMINAL_STATES.contains(state)) {
        return Optional.empty();
      }
      return Optional.of("the job is " + state + ": " + rest.latestFailure(jobId).orElse("see the JobManager's log"));
    }

    /** Ends the cluster's processes, and the job with them. */
    @Override
    public void close() {
      cluster.close();
    }
  }
}
