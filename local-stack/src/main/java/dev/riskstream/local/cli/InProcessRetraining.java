package dev.riskstream.local.cli;

import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.training.Retraining;
import dev.riskstream.training.RetrainingReport;
import dev.riskstream.training.RetrainingService;
import dev.riskstream.training.RetrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The closed loop of {@code demo --retrain}: the job writes its feature log to the run's scratch
 * directory, and a retraining service in this process answers each retraining request, its joins
 * running on the demo's cluster.
 */
final class InProcessRetraining implements AutoCloseable {

  /** Task slots the demo's cluster keeps for retraining joins. */
  static final int SLOTS = 2;

  private final Path reports;
  private final int clusterRestPort;
  private RetrainingService service;

  /**
   * @param reports where each retraining leaves its report and candidate bundle
   * @param clusterRestPort the REST port of the cluster that keeps {@link #SLOTS} slots for the joins
   */
  InProcessRetraining(Path reports, int clusterRestPort) {
    this.reports = reports;
    this.clusterRestPort = clusterRestPort;
  }

  /** The job's side of the loop: where it logs the features that retraining trains on. */
  Map<String, String> jobSettings(Path scratch) throws IOException {
    Path featureLog = Files.createDirectories(scratch.resolve("feature-log"));
    return Map.of(FeatureLogOptions.PATH.key(), featureLog.toUri().toString());
  }

  /** Starts answering requests; retraining reads what the job was configured with: broker, topics, registry, feature log. */
  void start(Map<String, String> jobSettings) {
    Map<String, String> settings = new HashMap<>(jobSettings);
    settings.put(RetrainingSettings.REPORTS.key(), reports.toString());
    RetrainingSettings retraining = RetrainingSettings.from(Configuration.fromMap(settings));
    service = RetrainingService.start(retraining, new Retraining(retraining, this::environment, Clock.systemUTC()));
  }

  /** Whether a retraining runs now: a retraining takes half a minute, days of the demo's traffic. */
  boolean underWay() {
    return service != null && service.answering();
  }

  /** What each retraining did, for the summary. */
  List<Map<String, Object>> summary() {
    return service == null ? List.of() : service.reports().stream().map(InProcessRetraining::summary).toList();
  }

  private static Map<String, Object> summary(RetrainingReport report) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("champion", report.championVersion());
    entry.put("candidate", report.candidateVersion());
    entry.put("outcome", report.outcome().name());
    entry.put("trainedFrom", report.from());
    entry.put("trainedTo", report.to());
    entry.put("labelledRows", report.labelledRows());
    entry.put("fraudRows", report.fraudRows());
    entry.put("detail", report.detail());
    if (report.candidate() != null) {
      entry.put("heldOutRocAuc", Map.of(report.championVersion(), Math.round(report.champion().rocAuc() * 1e4) / 1e4,
          report.candidateVersion(), Math.round(report.candidate().rocAuc() * 1e4) / 1e4));
      entry.put("failedChecks", report.checks().stream().filter(check -> !check.passed()).toList());
    }
    return entry;
  }

  /**
   * Each retraining's join runs on the demo's cluster, in slots of its own beside the job's: a
   * MiniCluster of its own took 15 s to start on a busy machine, a quarter of a retraining.
   */
  private StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment("localhost", clusterRestPort);
    env.setParallelism(SLOTS);
    return env;
  }

  @Override
  public void close() throws InterruptedException {
    if (service != null) {
      service.close();
    }
  }
}
