package dev.riskstream.training;

import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * One retraining as a Flink batch job, for a cluster: {@code flink run -c dev.riskstream.training.RetrainingJob
 * training-job.jar --champion VERSION --from ISO-INSTANT [--to ISO-INSTANT] [--reason DRIFT|PERFORMANCE]
 * [--config retraining.properties] [--key value ...]}, where the keys are the streaming job's (Kafka, topics,
 * {@code model.registry}, {@code feature-log.path}) and retraining's own ({@link RetrainingSettings#OPTIONS}).
 * Exits 0 when the candidate was published, 2 when the gate rejected it, 1 when retraining failed; the
 * report is in {@code retraining.reports}.
 */
public final class RetrainingJob {

  private static final List<String> REQUEST_ARGUMENTS = List.of("champion", "from", "to", "reason", "config");

  private RetrainingJob() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    if (params.has("config")) {
      params = ParameterTool.fromPropertiesFile(params.get("config")).mergeWith(params);
    }
    Map<String, String> settings = new HashMap<>(params.toMap());
    REQUEST_ARGUMENTS.forEach(settings::remove);
    RetrainingSettings retraining = RetrainingSettings.from(Configuration.fromMap(settings));
    Instant from = Instant.parse(params.getRequired("from"));
    Instant to = params.has("to") ? Instant.parse(params.get("to")) : Retraining.OPEN_END;
    RetrainReason reason = RetrainReason.valueOf(params.get("reason", RetrainReason.DRIFT.name()));
    String champion = params.getRequired("champion");
    RetrainRequest request = RetrainRequest.newBuilder()
        .setRequestId(champion + "@" + from + "/manual")
        .setModelVersion(champion)
        .setReason(reason)
        .setConsecutiveWindows(0)
        .setEvidence(List.<RetrainEvidence>of())
        .setRequestedAt(Instant.now())
        .build();
    RetrainingReport report = new Retraining(retraining, StreamExecutionEnvironment::getExecutionEnvironment,
        Clock.systemUTC()).run(request, from, to);
    System.out.println(report.candidateVersion() + ": " + report.outcome() + " (" + report.detail() + ")");
    System.exit(switch (report.outcome()) {
      case PUBLISHED -> 0;
      case REJECTED -> 2;
      case FAILED -> 1;
    });
  }
}
