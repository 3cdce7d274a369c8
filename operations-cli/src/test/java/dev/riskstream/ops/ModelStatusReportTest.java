package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.RolloutEvidence;
import dev.riskstream.schemas.VersionEvidence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelStatusReportTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void showsEachSubtasksLatestStatusAndTheRolloutInProgress() {
    String report = ModelStatusReport.of(List.of(
        subtask(0, ModelStatusKind.SHADOWING, "candidate-2"),
        subtask(1, ModelStatusKind.SHADOWING, "candidate-2"),
        rollout(ModelStatusKind.ROLLOUT_STARTED, "WAITING", "started"),
        rollout(ModelStatusKind.ROLLOUT_EVIDENCE, "WAITING", "waiting for labels: 400 of 1000 labelled transactions")));

    assertThat(report).contains(
        "  0: decides with baseline-1 on cpu, in shadow candidate-2 (last: SHADOWING candidate-2 at 2026-12-06T10:00:00Z)",
        "  1: decides with baseline-1 on cpu, in shadow candidate-2",
        "Rollout of candidate-2 beside baseline-1 (rollout.policy SHADOW_THEN_PROMOTE), started 2026-12-06T10:00:00Z:",
        "  evidence, verdict WAITING: waiting for labels: 400 of 1000 labelled transactions",
        "  scored by both 3000, labelled 400, frauds 9",
        "  candidate candidate-2                  flag rate 0.0300, decline rate 0.0100, review precision -, recall 0.5000,",
        "  champion  baseline-1");
    assertThat(report).doesNotContain("Rollouts that ended");
  }

  @Test
  void aRolloutThatEndedIsListedAndNoneIsInProgress() {
    String report = ModelStatusReport.of(List.of(
        rollout(ModelStatusKind.ROLLOUT_STARTED, "WAITING", "started"),
        rollout(ModelStatusKind.ROLLOUT_PROMOTED, "PROMOTE", "better than the champion: ...")));

    assertThat(report).contains("none reported: the job has had no announcement", "No rollout in progress.",
        "Rollouts that ended:\n  2026-12-06T10:00:00Z promoted of candidate-2 beside baseline-1: better than the champion");
  }

  private static ModelStatus subtask(int subtask, ModelStatusKind kind, String shadow) {
    return ModelStatus.newBuilder().setModelVersion(shadow).setStatus(kind).setActiveVersion("baseline-1")
        .setExecutionProvider("cpu").setShadowVersion(shadow).setSubtask(subtask).setReportedAt(T0).build();
  }

  private static ModelStatus rollout(ModelStatusKind kind, String verdict, String detail) {
    VersionEvidence candidate = VersionEvidence.newBuilder().setModelVersion("candidate-2").setFlagRate(0.03)
        .setDeclineRate(0.01).setReviewRecall(0.5).build();
    VersionEvidence champion = VersionEvidence.newBuilder().setModelVersion("baseline-1").setFlagRate(0.05)
        .setDeclineRate(0.02).build();
    RolloutEvidence evidence = RolloutEvidence.newBuilder().setPolicy("SHADOW_THEN_PROMOTE").setStartedAt(T0)
        .setScored(3000).setLabelled(400).setFrauds(9).setFraudsCaughtOnlyByCandidate(0)
        .setFraudsCaughtOnlyByChampion(0).setCandidate(candidate).setChampion(champion).setVerdict(verdict)
        .setDetail(detail).build();
    return ModelStatus.newBuilder().setModelVersion("candidate-2").setStatus(kind).setReason(detail)
        .setActiveVersion("baseline-1").setExecutionProvider("").setShadowVersion("candidate-2").setSubtask(-1)
        .setReportedAt(T0).setRollout(evidence).build();
  }
}
