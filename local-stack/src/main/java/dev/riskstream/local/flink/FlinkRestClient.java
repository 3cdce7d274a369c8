package dev.riskstream.local.flink;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.rest.FileUpload;
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory.RootExceptionInfo;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.JobVertexMessageParameters;
import org.apache.flink.runtime.rest.messages.JobVertexTaskManagersHeaders;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointConfigHeaders;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointConfigInfo;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo.JobVertexDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.runtime.rest.util.RestConstants;
import org.apache.flink.runtime.rest.util.RestMapperUtils;
import org.apache.flink.runtime.webmonitor.handlers.JarRunHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarRunMessageParameters;
import org.apache.flink.runtime.webmonitor.handlers.JarRunRequestBody;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadHeaders;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.Executors;

/**
 * What a user does with a session cluster's REST API (the one behind the web dashboard and
 * {@code flink run}): upload a job jar, run it, and watch the job, its checkpoints and its
 * TaskManagers. Flink's {@link RestClusterClient} sends the requests, in the REST API's messages of
 * the same Flink version as the cluster.
 */
public final class FlinkRestClient implements AutoCloseable {

  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final URI base;
  private final RestClusterClient<StandaloneClusterId> cluster;
  /**
   * RestClusterClient uploads only the jars of a job graph it builds here, running the job's main
   * method in this JVM; a jar to be run by the JobManager, as {@code flink run} does with the web
   * submission, goes up as a file upload of Flink's own REST client.
   */
  private final RestClient uploads;

  public FlinkRestClient(URI base) throws IOException {
    this.base = base;
    Configuration config = new Configuration();
    config.set(RestOptions.ADDRESS, base.getHost());
    config.set(RestOptions.PORT, base.getPort());
    // the callers poll: a request that fails is asked again at the next poll, not retried meanwhile
    config.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
    try {
      cluster = new RestClusterClient<>(config, StandaloneClusterId.getInstance());
      uploads = new RestClient(config, Executors.directExecutor());
    } catch (Exception e) {
      throw new IOException("cannot create a REST client for " + base, e);
    }
  }

  /** {@code POST /jars/upload}: returns the jar id for {@link #runJar}. */
  public String uploadJar(Path jar) throws IOException, InterruptedException {
    String stored = answer(uploads.sendRequest(base.getHost(), base.getPort(), JarUploadHeaders.getInstance(),
        EmptyMessageParameters.getInstance(), EmptyRequestBody.getInstance(),
        List.of(new FileUpload(jar, RestConstants.CONTENT_TYPE_JAR)))).getFilename();
    // the answer names the stored file; its name is the jar's id
    return Path.of(stored).getFileName().toString();
  }

  /** {@code POST /jars/{id}/run}: runs the jar's main class with these arguments; returns the job id. */
  public String runJar(String jarId, List<String> programArgs, Integer parallelism)
      throws IOException, InterruptedException {
    JarRunMessageParameters jar = JarRunHeaders.getInstance().getUnresolvedMessageParameters();
    jar.jarIdPathParameter.resolve(jarId);
    // null: the cluster's parallelism and configuration, no savepoint to restore
    JarRunRequestBody run = new JarRunRequestBody(null, programArgs, parallelism, null, null, null, null, null);
    return answer(cluster.sendRequest(JarRunHeaders.getInstance(), jar, run)).getJobId().toHexString();
  }

  /** The number of TaskManagers registered with the JobManager. */
  public int taskManagers() throws IOException, InterruptedException {
    return answer(cluster.getClusterOverview()).getNumTaskManagersConnected();
  }

  /** The job's state: CREATED, RUNNING, RESTARTING, FAILED, ... */
  public String jobState(String jobId) throws IOException, InterruptedException {
    return answer(cluster.getJobStatus(JobID.fromHexString(jobId))).name();
  }

  /** When the job's latest completed checkpoint was triggered; empty before the first. */
  public Optional<Instant> latestCheckpointTriggered(String jobId) throws IOException, InterruptedException {
    JobMessageParameters job = CheckpointingStatisticsHeaders.getInstance().getUnresolvedMessageParameters();
    job.jobPathParameter.resolve(JobID.fromHexString(jobId));
    CheckpointStatistics completed = answer(cluster.sendRequest(CheckpointingStatisticsHeaders.getInstance(), job,
        EmptyRequestBody.getInstance())).getLatestCheckpoints().getCompletedCheckpointStatistics();
    return Optional.ofNullable(completed).map(checkpoint -> Instant.ofEpochMilli(checkpoint.getTriggerTimestamp()));
  }

  /** Where the job logs its state's changes (Checkpoints > Configuration in the dashboard); empty where it logs none. */
  public Optional<String> stateChangelogStorage(String jobId) throws IOException, InterruptedException {
    JobMessageParameters job = CheckpointConfigHeaders.getInstance().getUnresolvedMessageParameters();
    job.jobPathParameter.resolve(JobID.fromHexString(jobId));
    // as with the TaskManagers below, the answer's fields have no getters
    JsonNode checkpointing = RestMapperUtils.getStrictObjectMapper().valueToTree(answer(cluster.sendRequest(
        CheckpointConfigHeaders.getInstance(), job, EmptyRequestBody.getInstance())));
    return checkpointing.path(CheckpointConfigInfo.FIELD_NAME_STATE_CHANGELOG).asBoolean()
        ? Optional.of(checkpointing.path(CheckpointConfigInfo.FIELD_NAME_CHANGELOG_STORAGE).asText())
        : Optional.empty();
  }

  /** The resource ids of the TaskManagers that run the job's tasks now. */
  public Set<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
    JobID job = JobID.fromHexString(jobId);
    Set<String> ids = new HashSet<>();
    for (JobVertexDetailsInfo vertex : answer(cluster.getJobDetails(job)).getJobVertexInfos()) {
      JobVertexMessageParameters where = JobVertexTaskManagersHeaders.getInstance().getUnresolvedMessageParameters();
      where.jobPathParameter.resolve(job);
      where.jobVertexIdPathParameter.resolve(vertex.getJobVertexID());
      // the answer keeps its TaskManagers to its JSON form: no getter hands them out
      JsonNode taskManagers = RestMapperUtils.getStrictObjectMapper().valueToTree(answer(cluster.sendRequest(
          JobVertexTaskManagersHeaders.getInstance(), where, EmptyRequestBody.getInstance())));
      for (JsonNode taskManager : taskManagers.path("taskmanagers")) {
        ids.add(taskManager.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  /** The stack trace of the job's latest failure; empty while it has none. */
  public Optional<String> latestFailure(String jobId) throws IOException, InterruptedException {
    JobExceptionsMessageParameters job = JobExceptionsHeaders.getInstance().getUnresolvedMessageParameters();
    job.jobPathParameter.resolve(JobID.fromHexString(jobId));
    List<RootExceptionInfo> history = answer(cluster.sendRequest(JobExceptionsHeaders.getInstance(), job,
        EmptyRequestBody.getInstance())).getExceptionHistory().getEntries();
    return history.stream().max(Comparator.comparingLong(RootExceptionInfo::getTimestamp))
        .map(RootExceptionInfo::getStacktrace);
  }

  private static <T> T answer(CompletableFuture<T> request) throws IOException, InterruptedException {
    try {
      return request.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable failure = ExceptionUtils.stripCompletionException(ExceptionUtils.stripExecutionException(e));
      throw failure instanceof IOException io ? io : new IOException(failure);
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + REQUEST_TIMEOUT, e);
    }
  }

  @Override
  public void close() {
    cluster.close();
    uploads.shutdown(Duration.ofSeconds(5));
  }
}
