package dev.riskstream.training;

import dev.riskstream.io.settings.Settings;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One retraining as a Flink application, e.g. in application mode from the retraining image
 * (deploy/k8s/retraining-job.yaml): {@code --champion VERSION --from ISO-INSTANT [--to ISO-INSTANT]
 * [--reason DRIFT|PERFORMANCE|ESTIMATED_PERFORMANCE|SCHEDULED] [--config retraining.properties] [--key value ...]},
 * where the keys are the streaming job's (Kafka, topics, {@code model.registry}, {@code feature-log.path}) and retraining's own
 * ({@link RetrainingSettings#GROUPS}). {@code main} returns when the candidate was published and throws
 * {@link RetrainingNotPublishedException} (naming the report) when the gate rejected it or retraining failed,
 * so that the application finishes or fails and the JobManager reports it; the riskstream CLI's {@code
 * retrain} turns the same outcomes into exit codes.
 */
public final class RetrainingJob {

  private static final String CHAMPION = "champion";
  private static final String FROM = "from";
  private static final String TO = "to";
  private static final String REASON = "reason";
  private static final List<String> REQUEST_ARGUMENTS = List.of(CHAMPION, FROM, TO, REASON);

  private final RetrainingSettings settings;
  private final RetrainRequest request;
  private final Instant from;
  private final Instant to;

  private RetrainingJob(RetrainingSettings settings, RetrainRequest request, Instant from, Instant to) {
    this.settings = settings;
    this.request = request;
    this.from = from;
    this.to = to;
  }

  public static void main(String[] args) throws Exception {
    RetrainingJob job = parse(args);
    RetrainingReport report = job.run(StreamExecutionEnvironment::getExecutionEnvironment);
    if (report.outcome() != RetrainingReport.Outcome.PUBLISHED) {
      throw new RetrainingNotPublishedException(report, job.settings.reportOf(report.candidateVersion()));
    }
  }

  /** Reads the arguments; refuses a setting neither retraining nor the streaming job knows. */
  public static RetrainingJob parse(String[] args) throws IOException {
    Map<String, String> settings = new HashMap<>(Settings.fromArgs(args));
    Map<String, String> requested = new HashMap<>();
    REQUEST_ARGUMENTS.forEach(name -> Optional.ofNullable(settings.remove(name)).ifPresent(v -> requested.put(name, v)));
    String champion = required(requested, CHAMPION);
    Instant from = Instant.parse(required(requested, FROM));
    Instant to = requested.containsKey(TO) ? Instant.parse(requested.get(TO)) : Retraining.OPEN_END;
    RetrainReason reason = RetrainReason.valueOf(requested.getOrDefault(REASON, RetrainReason.DRIFT.name()));
    RetrainRequest request = RetrainRequest.newBuilder()
        .setRequestId(champion + "@" + from + "/manual")
        .setModelVersion(champion)
        .setReason(reason)
        .setConsecutiveWindows(0)
        .setEvidence(List.<RetrainEvidence>of())
        .setRequestedAt(Instant.now())
        .build();
    return new RetrainingJob(RetrainingSettings.fromMap(settings), request, from, to);
  }

  /** Retrains, each join on an environment of {@code environments}; the report says how it ended. */
  public RetrainingReport run(Supplier<StreamExecutionEnvironment> environments) throws IOException {
    RetrainingReport report = new Retraining(settings, environments, Clock.systemUTC()).run(request, from, to);
    System.out.println(report.candidateVersion() + ": " + report.outcome() + " (" + report.detail() + "); report "
        + settings.reportOf(report.candidateVersion()));
    return report;
  }

  private static String required(Map<String, String> arguments, String name) {
    String value = arguments.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name + "; usage: --" + CHAMPION + " VERSION --" + FROM
          + " ISO-INSTANT [--" + TO + " ISO-INSTANT] [--" + REASON + " DRIFT|PERFORMANCE|ESTIMATED_PERFORMANCE|SCHEDULED] [--config FILE] [--key value ...]");
    }
    return value;
  }
}
