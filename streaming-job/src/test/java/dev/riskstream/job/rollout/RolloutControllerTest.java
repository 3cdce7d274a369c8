package dev.riskstream.job.rollout;

import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.CANDIDATE;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.CHAMPION;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.counted;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.labelled;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.quietWindow;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.settings;
import static dev.riskstream.job.rollout.RolloutEvidenceFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RolloutControllerTest {

  private KeyedTwoInputStreamOperatorTestHarness<String, RawRecord, RolloutSignal, ModelStatus> harness;
  private long offset;

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void promotesACandidateThatCatchesMoreFraudAndAnnouncesIt() throws Exception {
    open(RolloutPolicy.SHADOW_THEN_PROMOTE);
    announce(ModelUpdateAction.SHADOW, CANDIDATE);
    evidence(quietWindow(0));
    betterCandidateLabels();

    assertThat(statuses()).extracting(ModelStatus::getStatus).containsExactly(ModelStatusKind.ROLLOUT_STARTED,
        ModelStatusKind.ROLLOUT_EVIDENCE, ModelStatusKind.ROLLOUT_PROMOTED);
    ModelStatus promoted = statuses().get(2);
    assertThat(promoted.getSubtask()).isEqualTo(-1);
    assertThat(promoted.getModelVersion()).isEqualTo(CANDIDATE);
    assertThat(promoted.getActiveVersion()).isEqualTo(CHAMPION);
    assertThat(promoted.getRollout().getVerdict()).isEqualTo("PROMOTE");
    assertThat(promoted.getRollout().getFraudsCaughtOnlyByCandidate()).isEqualTo(15);
    assertThat(promoted.getRollout().getCandidate().getReviewRecall())
        .isGreaterThan(promoted.getRollout().getChampion().getReviewRecall());
    assertThat(promoted.getRollout().getScored()).isEqualTo(1000);
    assertThat(announcements()).singleElement().satisfies(update -> {
      assertThat(update.getAction()).isEqualTo(ModelUpdateAction.ACTIVATE);
      assertThat(update.getModelVersion()).isEqualTo(CANDIDATE);
      assertThat(update.getModelSha256()).isEqualTo("sha-" + CANDIDATE);
      assertThat(update.getReason()).startsWith("rollout promoted it: better than the champion");
    });

    // its own promotion coming back ends the rollout quietly; later evidence is not judged
    announce(ModelUpdateAction.ACTIVATE, CANDIDATE);
    evidence(quietWindow(1));
    assertThat(statuses()).hasSize(3);
    assertThat(announcements()).hasSize(1);
  }

  @Test
  void aBrokenGuardrailEndsTheShadow() throws Exception {
    open(RolloutPolicy.SHADOW_THEN_PROMOTE);
    announce(ModelUpdateAction.SHADOW, CANDIDATE);
    evidence(window(0, 1000, 30, 30, 40, 10, 0));

    assertThat(statuses()).extracting(ModelStatus::getStatus)
        .containsExactly(ModelStatusKind.ROLLOUT_STARTED, ModelStatusKind.ROLLOUT_REJECTED);
    assertThat(announcements()).singleElement().satisfies(update -> {
      assertThat(update.getAction()).isEqualTo(ModelUpdateAction.END_SHADOW);
      assertThat(update.getReason()).startsWith("rollout rejected it: guardrail: the candidate's decline rate");
    });
  }

  @Test
  void underManualTheVerdictIsReportedAndNothingAnnounced() throws Exception {
    open(RolloutPolicy.MANUAL);
    announce(ModelUpdateAction.SHADOW, CANDIDATE);
    evidence(quietWindow(0));
    betterCandidateLabels();
    evidence(quietWindow(1));

    assertThat(announcements()).isEmpty();
    assertThat(statuses()).extracting(ModelStatus::getStatus).containsExactly(ModelStatusKind.ROLLOUT_STARTED,
        ModelStatusKind.ROLLOUT_EVIDENCE, ModelStatusKind.ROLLOUT_EVIDENCE, ModelStatusKind.ROLLOUT_EVIDENCE);
    assertThat(statuses()).extracting(status -> status.getRollout().getVerdict())
        .containsExactly("WAITING", "WAITING", "PROMOTE", "PROMOTE");

    announce(ModelUpdateAction.ACTIVATE, CANDIDATE);
    assertThat(statuses().get(4).getStatus()).isEqualTo(ModelStatusKind.ROLLOUT_ENDED);
    assertThat(statuses().get(4).getReason()).startsWith("ended, it was promoted (by hand)");
  }

  @Test
  void aNewChampionStartsTheEvidenceAgain() throws Exception {
    open(RolloutPolicy.SHADOW_THEN_PROMOTE);
    announce(ModelUpdateAction.SHADOW, CANDIDATE);
    evidence(quietWindow(0));
    announce(ModelUpdateAction.ROLLBACK, "baseline-0");

    assertThat(statuses()).extracting(ModelStatus::getStatus).containsExactly(ModelStatusKind.ROLLOUT_STARTED,
        ModelStatusKind.ROLLOUT_EVIDENCE, ModelStatusKind.ROLLOUT_ENDED, ModelStatusKind.ROLLOUT_STARTED);
    assertThat(statuses().get(3).getRollout().getScored()).isZero();
    assertThat(statuses().get(3).getReason()).isEqualTo("started again against baseline-0");
  }

  @Test
  void evidenceOfAShadowNeverAnnouncedIsNotJudged() throws Exception {
    open(RolloutPolicy.SHADOW_THEN_PROMOTE);
    evidence(quietWindow(0));
    announce(ModelUpdateAction.SHADOW, "other-3");
    evidence(quietWindow(1));

    assertThat(statuses()).extracting(ModelStatus::getStatus).containsExactly(ModelStatusKind.ROLLOUT_STARTED);
  }

  @Test
  void theEvidenceSurvivesARestart() throws Exception {
    open(RolloutPolicy.SHADOW_THEN_PROMOTE);
    announce(ModelUpdateAction.SHADOW, CANDIDATE);
    evidence(quietWindow(0));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(RolloutPolicy.SHADOW_THEN_PROMOTE);
    harness.initializeState(snapshot);
    harness.open();
    betterCandidateLabels();

    assertThat(statuses()).last().satisfies(status -> {
      assertThat(status.getStatus()).isEqualTo(ModelStatusKind.ROLLOUT_PROMOTED);
      assertThat(status.getRollout().getScored()).as("the window before the restart").isEqualTo(1000);
    });
  }

  private void betterCandidateLabels() throws Exception {
    harness.processElement2(new StreamRecord<>(RolloutSignal.of(counted(labelled(300, 20, 15, 0)))));
  }

  private void open(RolloutPolicy policy) throws Exception {
    harness = harness(policy);
    harness.open();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, RawRecord, RolloutSignal, ModelStatus> harness(
      RolloutPolicy policy) throws Exception {
    var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(new RolloutController(settings(policy))),
        announcement -> RolloutController.KEY, signal -> RolloutController.KEY, Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    return harness;
  }

  private void announce(ModelUpdateAction action, String version) throws Exception {
    ModelUpdate update = ModelUpdate.newBuilder().setModelVersion(version).setAction(action)
        .setModelSha256("sha-" + version).setAnnouncedAt(Instant.ofEpochMilli(1_000 + offset)).setReason("by hand")
        .build();
    harness.processElement1(new StreamRecord<>(new RawRecord("model-updates", 0, offset++, 0,
        AvroCodec.of(ModelUpdate.class).encode(update))));
  }

  private void evidence(GuardrailCounts window) throws Exception {
    harness.processElement2(new StreamRecord<>(RolloutSignal.of(window)));
  }

  private List<ModelStatus> statuses() {
    return harness.extractOutputValues();
  }

  private List<ModelUpdate> announcements() {
    var out = harness.getSideOutput(RolloutController.ANNOUNCEMENTS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }
}
