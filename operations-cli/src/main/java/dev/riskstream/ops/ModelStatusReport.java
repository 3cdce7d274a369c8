package dev.riskstream.ops;

import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.RolloutEvidence;
import dev.riskstream.schemas.VersionEvidence;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The model-status topic read as an operator wants it: per scoring subtask its latest status, the
 * rollout in progress with its evidence, and the rollouts that ended, oldest first.
 */
final class ModelStatusReport {

  private static final Set<ModelStatusKind> ROLLOUT_ENDS = EnumSet.of(ModelStatusKind.ROLLOUT_PROMOTED,
      ModelStatusKind.ROLLOUT_REJECTED, ModelStatusKind.ROLLOUT_ENDED);

  private ModelStatusReport() {}

  /** What the status topic holds, oldest first, and how many of its records could not be read. */
  record Read(List<ModelStatus> statuses, int unreadable) {

    /** The version the scoring subtasks last said they decide with; empty before any announcement. */
    Optional<String> decidingVersion() {
      return statuses.stream().filter(status -> status.getRollout() == null)
          .reduce((first, second) -> second).map(ModelStatus::getActiveVersion);
    }
  }

  static Read read(Properties kafka, String topic) {
    AvroCodec<ModelStatus> codec = AvroCodec.of(ModelStatus.class);
    List<ModelStatus> statuses = new ArrayList<>();
    int unreadable = 0;
    for (ConsumerRecord<byte[], byte[]> record : ControlTopics.readAll(kafka, topic)) {
      try {
        statuses.add(codec.decode(record.value()));
      } catch (DecodeException e) {
        unreadable++;
      }
    }
    return new Read(statuses, unreadable);
  }

  /** {@code statuses} in the order they were written. */
  static String of(List<ModelStatus> statuses) {
    Map<Integer, ModelStatus> subtasks = new TreeMap<>();
    ModelStatus rollout = null;
    StringBuilder ended = new StringBuilder();
    for (ModelStatus status : statuses) {
      if (status.getRollout() == null) {
        subtasks.put(status.getSubtask(), status);
      } else if (ROLLOUT_ENDS.contains(status.getStatus())) {
        rollout = null;
        ended.append(String.format("  %s %s of %s beside %s: %s%n", status.getReportedAt(),
            stage(status), status.getModelVersion(), status.getActiveVersion(), status.getReason()));
      } else {
        rollout = status;
      }
    }
    StringBuilder report = new StringBuilder("Scoring subtasks:\n");
    if (subtasks.isEmpty()) {
      report.append("  none reported: the job has had no announcement, and decides with model.bundle\n");
    }
    subtasks.forEach((subtask, status) -> report.append(String.format("  %d: decides with %s on %s%s (last: %s %s "
            + "at %s)%n", subtask, status.getActiveVersion(), status.getExecutionProvider(),
        status.getShadowVersion() == null ? "" : ", in shadow " + status.getShadowVersion(), status.getStatus(),
        status.getModelVersion(), status.getReportedAt())));
    report.append(rollout == null ? "No rollout in progress.\n" : inProgress(rollout));
    if (!ended.isEmpty()) {
      report.append("Rollouts that ended:\n").append(ended);
    }
    return report.toString();
  }

  private static String inProgress(ModelStatus status) {
    RolloutEvidence evidence = status.getRollout();
    StringBuilder text = new StringBuilder(String.format("Rollout of %s beside %s (rollout.policy %s), started %s:%n",
        status.getModelVersion(), status.getActiveVersion().isEmpty() ? "the deciding version"
            : status.getActiveVersion(), evidence.getPolicy(), evidence.getStartedAt()));
    text.append(String.format("  %s, verdict %s: %s%n", stage(status), evidence.getVerdict(), evidence.getDetail()));
    text.append(String.format("  scored by both %d, labelled %d, frauds %d%n", evidence.getScored(),
        evidence.getLabelled(), evidence.getFrauds()));
    text.append(versionLine("candidate", evidence.getCandidate()));
    text.append(versionLine("champion", evidence.getChampion()));
    return text.toString();
  }

  private static String versionLine(String role, VersionEvidence version) {
    return String.format("  %-9s %-28s flag rate %s, decline rate %s, review precision %s, recall %s, "
            + "ROC AUC %s, fraud caught EUR %.2f, unscored %d%n", role, version.getModelVersion(),
        figure(version.getFlagRate()), figure(version.getDeclineRate()), figure(version.getReviewPrecision()),
        figure(version.getReviewRecall()), figure(version.getRocAuc()), version.getFraudAmountCaught(),
        version.getUnscored());
  }

  private static String stage(ModelStatus status) {
    return status.getStatus().name().substring("ROLLOUT_".length()).toLowerCase(java.util.Locale.ROOT);
  }

  private static String figure(Double value) {
    return value == null ? "-" : String.format("%.4f", value);
  }
}
