package dev.riskstream.local.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a user does with a session cluster's REST API (the one behind the web dashboard and
 * {@code flink run}): upload a job jar, run it, and watch the job, its checkpoints and its
 * TaskManagers.
 */
public final class FlinkRestClient {

  /** The body of {@code POST /jars/{id}/run}; null parallelism: the cluster's default. */
  private record JarRunRequest(List<String> programArgsList, Integer parallelism) {}

  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  public FlinkRestClient(URI base) {
    this.base = base;
  }

  /** {@code POST /jars/upload}: returns the jar id for {@link #runJar}. */
  public String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "riskstream-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n";
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/jars/upload"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(BodyPublishers.concat(BodyPublishers.ofString(head), BodyPublishers.ofFile(jar),
            BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
        .build();
    // the answer names the stored file; its name is the jar's id
    String stored = send(request).path("filename").asText();
    return Path.of(stored).getFileName().toString();
  }

  /** {@code POST /jars/{id}/run}: runs the jar's main class with these arguments; returns the job id. */
  public String runJar(String jarId, List<String> programArgs, Integer parallelism)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofByteArray(json.writeValueAsBytes(new JarRunRequest(programArgs, parallelism))))
        .build();
    return send(request).path("jobid").asText();
  }

  /** The number of TaskManagers registered with the JobManager. */
  public int taskManagers() throws IOException, InterruptedException {
    return get("/overview").path("taskmanagers").asInt();
  }

  /** The job's state: CREATED, RUNNING, RESTARTING, FAILED, ... */
  public String jobState(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** When the job's latest completed checkpoint was triggered; empty before the first. */
  public Optional<Instant> latestCheckpointTriggered(String jobId) throws IOException, InterruptedException {
    JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    return completed.isObject() ? Optional.of(Instant.ofEpochMilli(completed.path("trigger_timestamp").asLong()))
        : Optional.empty();
  }

  /** The resource ids of the TaskManagers that run the job's tasks now. */
  public Set<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
    Set<String> ids = new HashSet<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      for (JsonNode taskManager : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
          .path("taskmanagers")) {
        ids.add(taskManager.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  public JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    var response = http.send(request, BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return json.readTree(response.body());
  }
}
