package dev.riskstream.local.cli;

import dev.riskstream.job.JobConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where a {@link LocalStack} runs the job: a MiniCluster in this JVM, or a standalone cluster of its own processes. */
interface JobHost {

  /**
   * Starts the job.
   *
   * @param settings the job's settings without its token key, which {@code config} has
   * @param scratch a directory of this run's, deleted when it ends
   */
  RunningJob start(JobConfig config, Map<String, String> settings, Path scratch) throws Exception;

  /** A started job; closing it ends the job, and whatever the host started for it, before the summary is counted. */
  interface RunningJob extends AutoCloseable {

    /** Whether the job is far enough along for where to watch it to be announced. */
    boolean running() throws Exception;

    /** The line that tells where to watch the job. */
    String whereToWatch(String bootstrapServers);

    /** Why the job ended, in the words of what ended it; empty while it runs. */
    Optional<String> ended() throws Exception;
  }
}
