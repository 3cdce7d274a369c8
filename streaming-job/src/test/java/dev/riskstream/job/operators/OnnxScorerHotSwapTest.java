package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.TestData;
import dev.riskstream.job.scoring.CanaryShare;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ReferenceModel;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxScorerHotSwapTest {

  private static final ModelManifest.Thresholds STRICT = new ModelManifest.Thresholds(0.01, 0.02);
  private static final int MAX_PARALLELISM = 4;

  @TempDir Path dir;
  private ModelRegistry registry;
  private OnnxScorer scorer;
  private long processingTime;
  private long offset;

  @BeforeEach
  void publishASecondVersion() throws Exception {
    registry = ModelRegistry.at(dir.resolve("registry").toString());
    registry.publish(TestData.baselineAs(dir.resolve("bundles/baseline-2"), "baseline-2", STRICT));
  }

  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness()
      throws Exception {
    return harness(Duration.ofMillis(5));
  }

  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness(
      Duration maxWait) throws Exception {
    return harness(maxWait, null, 1, 0);
  }

  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness(
      Duration maxWait, CanaryShare canary, int parallelism, int subtask) throws Exception {
    scorer = new OnnxScorer(TestData.BASELINE_BUNDLE.toString(), registry,
        new ScoringSettings(ProviderPlan.of(ExecutionProviderChoice.CPU), 4, maxWait, ScoringLaneChoice.AUTO, 1024),
        canary);
    return new OneInputStreamOperatorTestHarness<>(scorer, MAX_PARALLELISM, parallelism, subtask);
  }

  /** An announcement as it comes down the decision path. */
  private static EnrichedTransaction modelUpdate(RawRecord announcement) {
    return EnrichedTransaction.carrying(new ControlRecord(ControlRecord.Kind.MODEL_UPDATE, announcement));
  }

  private static EnrichedTransaction transaction(int i) {
    return new EnrichedTransaction(TestData.transaction(i).build(), FeatureSpec.CURRENT.defaults());
  }

  private static ModelUpdate update(String version, String sha) {
    return ModelUpdate.newBuilder().setModelVersion(version).setAction(ModelUpdateAction.ACTIVATE)
        .setModelSha256(sha).setAnnouncedAt(Instant.EPOCH).setReason("test").build();
  }

  private ModelUpdate update(String version) throws Exception {
    return update(version, registry.load(version).manifest().modelSha256());
  }

  private ModelUpdate update(String version, ModelUpdateAction action) throws Exception {
    ModelUpdate update = update(version);
    update.setAction(action);
    return update;
  }

  private void announce(OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness,
      ModelUpdate update) throws Exception {
    harness.processElement(new StreamRecord<>(modelUpdate(TestData.announcement(offset++, update))));
  }

  /**
   * Lets processing time pass, 50 ms each time the wall clock has let a model load for 10 ms more,
   * until the subtask has reported {@code count} statuses in all.
   */
  private List<ModelStatus> awaitStatuses(AbstractStreamOperatorTestHarness<EnrichedTransaction> harness, int count) {
    TaskMailboxLoop.onTheTaskThread().pollInterval(Duration.ofMillis(10)).until(() -> {
      if (statuses(harness).size() >= count) {
        return true;
      }
      processingTime += 50;
      harness.setProcessingTime(processingTime);
      return false;
    });
    return statuses(harness);
  }

  private static List<ModelStatus> statuses(AbstractStreamOperatorTestHarness<EnrichedTransaction> harness) {
    var side = harness.getSideOutput(PipelineState.MODEL_STATUS);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void switchesToAnAnnouncedVersionBetweenBatchesAndKeepsEveryRow() throws Exception {
    // a max-wait longer than the test, so the half-filled batch waits for the switch however slow the load
    try (var harness = harness(Duration.ofHours(1))) {
      harness.setProcessingTime(processingTime);
      harness.open();
      for (int i = 0; i < 6; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }
      announce(harness, update("baseline-2"));
      List<ModelStatus> statuses = awaitStatuses(harness, 1);
      for (int i = 6; i < 10; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }
      harness.prepareSnapshotPreBarrier(1);

      assertThat(statuses).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.ACTIVATED);
        assertThat(status.getModelVersion()).isEqualTo("baseline-2");
        assertThat(status.getActiveVersion()).isEqualTo("baseline-2");
        assertThat(status.getSubtask()).isZero();
        assertThat(status.getReason()).isEqualTo("test");
      });
      List<EnrichedTransaction> scored = harness.extractOutputValues();
      assertThat(scored).extracting(tx -> tx.transaction.getTransactionId())
          .as("every row once, in order").containsExactly(
              "tx-0", "tx-1", "tx-2", "tx-3", "tx-4", "tx-5", "tx-6", "tx-7", "tx-8", "tx-9");
      assertThat(scored.subList(0, 4)).allSatisfy(tx -> {
        assertThat(tx.modelVersion).isEqualTo("baseline-1");
        assertThat(tx.declineThreshold).isEqualTo(ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().thresholds().decline());
      });
      assertThat(scored.subList(4, 10)).as("the half-filled batch and the next go to the new model")
          .allSatisfy(tx -> {
            assertThat(tx.modelVersion).isEqualTo("baseline-2");
            assertThat(tx.reviewThreshold).isEqualTo(STRICT.review());
            assertThat(tx.declineThreshold).isEqualTo(STRICT.decline());
          });
    }
  }

  @Test
  void rejectsBadAnnouncementsWithAReasonAndKeepsScoringWithTheCurrentModel() throws Exception {
    Path narrow = dir.resolve("bundles/narrow-4");
    ModelManifest baseline = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest();
    String firstFeature = baseline.input().features().get(0);
    ModelBundle.write(narrow, new ModelManifest(baseline.formatVersion(), "narrow-4", baseline.createdAt(), null,
        new ModelManifest.Input("input", List.of(firstFeature)), baseline.output(),
        Map.of(firstFeature, baseline.featureVersions().get(firstFeature)), baseline.thresholds(),
        baseline.training()), ModelBundle.load(TestData.BASELINE_BUNDLE).model());
    registry.publish(narrow);

    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      harness.processElement(new StreamRecord<>(modelUpdate(new RawRecord("model-updates", 0, offset++, 0,
          "{\"modelVersion\": \"x\"}".getBytes(StandardCharsets.UTF_8)))));
      // one at a time: an announcement supersedes the one still loading before it
      announce(harness, update("baseline-2", "ab".repeat(32)));
      awaitStatuses(harness, 2);
      announce(harness, update("narrow-4"));
      List<ModelStatus> statuses = awaitStatuses(harness, 3);
      for (int i = 0; i < 4; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }

      assertThat(statuses).extracting(ModelStatus::getStatus).containsOnly(ModelStatusKind.REJECTED);
      assertThat(statuses).extracting(ModelStatus::getActiveVersion).containsOnly("baseline-1");
      assertThat(statuses).extracting(ModelStatus::getModelVersion)
          .containsExactly("(unreadable)", "baseline-2", "narrow-4");
      assertThat(statuses.get(0).getReason()).contains("model-updates/0/0", "cannot be read");
      assertThat(statuses.get(1).getReason()).contains("the announcement says model.onnx has SHA-256 abab");
      assertThat(statuses.get(2).getReason()).contains("manifest lists 1 features");
      TaskMailboxLoop.runMailsUntil(harness, () -> harness.extractOutputValues().size() == 4);
      assertThat(harness.extractOutputValues())
          .allSatisfy(tx -> assertThat(tx.modelVersion).isEqualTo("baseline-1"));
    }
  }

  @Test
  void refusesATamperedRegistryEntryAndAVersionItDoesNotHold() throws Exception {
    Path corrupt = dir.resolve("registry").resolve("corrupt-3");
    Files.createDirectories(corrupt);
    Files.copy(TestData.BASELINE_BUNDLE.resolve(ModelBundle.MANIFEST_FILE), corrupt.resolve(ModelBundle.MANIFEST_FILE));
    Files.write(corrupt.resolve(ModelBundle.MODEL_FILE), "not a model".getBytes(StandardCharsets.UTF_8));
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("corrupt-3", "00"));
      awaitStatuses(harness, 1);
      announce(harness, update("missing-9", "00"));
      List<ModelStatus> statuses = awaitStatuses(harness, 2);

      assertThat(statuses.get(0).getReason()).contains("SHA-256");
      assertThat(statuses.get(1).getReason()).contains("missing-9 is not in the registry");
      assertThat(scorer.model().version()).isEqualTo("baseline-1");
    }
  }

  private OperatorSubtaskState checkpointAfterSwitchingToBaseline2() throws Exception {
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("baseline-2"));
      awaitStatuses(harness, 1);
      return harness.snapshot(1, processingTime);
    }
  }

  @Test
  void theActiveVersionSurvivesARestartFromACheckpoint() throws Exception {
    OperatorSubtaskState snapshot = checkpointAfterSwitchingToBaseline2();
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(new StreamRecord<>(transaction(1), 1));
      restored.prepareSnapshotPreBarrier(2);

      assertThat(restored.extractOutputValues()).singleElement()
          .satisfies(tx -> assertThat(tx.modelVersion).isEqualTo("baseline-2"));
    }
  }

  @Test
  void aRestoredVersionThatIsGoneIsReportedAndTheInitialBundleScores() throws Exception {
    OperatorSubtaskState snapshot = checkpointAfterSwitchingToBaseline2();
    Path entry = dir.resolve("registry").resolve("baseline-2");
    for (String file : List.of(ModelBundle.MODEL_FILE, ModelBundle.MANIFEST_FILE)) {
      Files.delete(entry.resolve(file));
    }
    Files.delete(entry);
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.setProcessingTime(processingTime);
      restored.open();
      List<ModelStatus> statuses = awaitStatuses(restored, 1);

      assertThat(statuses).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.REJECTED);
        assertThat(status.getReason()).contains("cannot restore baseline-2");
        assertThat(status.getActiveVersion()).isEqualTo("baseline-1");
      });
    }
  }

  @Test
  void aRollbackIsSaidSo() throws Exception {
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      ModelUpdate rollback = update("baseline-2");
      rollback.setAction(ModelUpdateAction.ROLLBACK);
      rollback.setReason("incident 42");
      announce(harness, rollback);
      List<ModelStatus> statuses = new ArrayList<>(awaitStatuses(harness, 1));

      assertThat(statuses).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.ACTIVATED);
        assertThat(status.getReason()).isEqualTo("rollback: incident 42");
      });
    }
  }

  @Test
  void swapsToAModelOfAnotherKindAndScoresAsItsFrameworkDid() throws Exception {
    ReferenceModel gbt = ReferenceModel.SKLEARN_GBT_ZIPMAP;
    registry.publish(gbt.bundle(dir.resolve("bundles/gbt"), gbt.output()));
    List<String> columns = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().input().features();
    float[][] rows = ReferenceModel.rows();
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("sklearn_gbt_zipmap"));
      assertThat(awaitStatuses(harness, 1)).singleElement()
          .satisfies(status -> assertThat(status.getStatus()).isEqualTo(ModelStatusKind.ACTIVATED));
      for (int i = 0; i < rows.length; i++) {
        float[] spec = FeatureSpec.CURRENT.defaults();
        for (int column = 0; column < columns.size(); column++) {
          spec[FeatureSpec.CURRENT.requireIndex(columns.get(column))] = rows[i][column];
        }
        harness.processElement(new StreamRecord<>(
            new EnrichedTransaction(TestData.transaction(i).build(), spec), i));
      }
      harness.prepareSnapshotPreBarrier(1);

      List<EnrichedTransaction> scored = harness.extractOutputValues();
      double[] expected = gbt.expected();
      assertThat(scored).hasSize(rows.length);
      for (int i = 0; i < rows.length; i++) {
        assertThat(scored.get(i).modelVersion).isEqualTo("sklearn_gbt_zipmap");
        assertThat(scored.get(i).score).as("row %d", i).isCloseTo(expected[i], within(ReferenceModel.TOLERANCE));
      }
    }
  }

  @Test
  void aShadowVersionScoresEveryRowBesideTheDecidingOneAndDecidesNothing() throws Exception {
    ReferenceModel gbt = ReferenceModel.SKLEARN_GBT_ZIPMAP;
    registry.publish(gbt.bundle(dir.resolve("bundles/gbt"), gbt.output()));
    float[][] rows = ReferenceModel.rows();
    List<EnrichedTransaction> withoutShadow;
    try (var harness = harness()) {
      harness.open();
      feedReferenceRows(harness, rows);
      withoutShadow = harness.extractOutputValues();
    }
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("sklearn_gbt_zipmap", ModelUpdateAction.SHADOW));
      assertThat(awaitStatuses(harness, 1)).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.SHADOWING);
        assertThat(status.getActiveVersion()).isEqualTo("baseline-1");
        assertThat(status.getShadowVersion()).isEqualTo("sklearn_gbt_zipmap");
      });
      feedReferenceRows(harness, rows);

      List<EnrichedTransaction> scored = harness.extractOutputValues();
      double[] expected = gbt.expected();
      assertThat(scored).hasSize(rows.length);
      for (int i = 0; i < rows.length; i++) {
        EnrichedTransaction tx = scored.get(i);
        assertThat(tx.modelVersion).isEqualTo("baseline-1");
        assertThat(tx.score).as("row %d decides as without a shadow", i).isEqualTo(withoutShadow.get(i).score);
        assertThat(tx.shadowVersion).isEqualTo("sklearn_gbt_zipmap");
        assertThat(tx.shadowScore).as("row %d in shadow", i).isCloseTo(expected[i], within(ReferenceModel.TOLERANCE));
        assertThat(tx.shadowDeclineThreshold)
            .isEqualTo(registry.load("sklearn_gbt_zipmap").manifest().thresholds().decline());
      }
      assertThat(withoutShadow).allSatisfy(tx -> assertThat(tx.shadowVersion).isNull());
    }
  }

  private static void feedReferenceRows(
      OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness, float[][] rows)
      throws Exception {
    List<String> columns = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().input().features();
    for (int i = 0; i < rows.length; i++) {
      float[] spec = FeatureSpec.CURRENT.defaults();
      for (int column = 0; column < columns.size(); column++) {
        spec[FeatureSpec.CURRENT.requireIndex(columns.get(column))] = rows[i][column];
      }
      harness.processElement(new StreamRecord<>(new EnrichedTransaction(TestData.transaction(i).build(), spec), i));
    }
    harness.prepareSnapshotPreBarrier(1);
  }

  @Test
  void activatingTheShadowVersionPromotesItAndEndsTheShadow() throws Exception {
    try (var harness = harness(Duration.ofHours(1))) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("baseline-2", ModelUpdateAction.SHADOW));
      awaitStatuses(harness, 1);
      for (int i = 0; i < 2; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }
      announce(harness, update("baseline-2"));
      List<ModelStatus> statuses = awaitStatuses(harness, 3);
      for (int i = 2; i < 4; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }
      harness.prepareSnapshotPreBarrier(1);

      assertThat(statuses).extracting(ModelStatus::getStatus).containsExactly(
          ModelStatusKind.SHADOWING, ModelStatusKind.ACTIVATED, ModelStatusKind.SHADOW_ENDED);
      assertThat(statuses.get(2).getReason()).contains("promoted");
      assertThat(statuses.get(2).getShadowVersion()).isNull();
      assertThat(harness.extractOutputValues()).as("a batch boundary is where both switch").allSatisfy(tx -> {
        assertThat(tx.modelVersion).isEqualTo("baseline-2");
        assertThat(tx.shadowVersion).isNull();
      });
    }
  }

  @Test
  void theShadowSurvivesARestartAndEndsWhenToldTo() throws Exception {
    OperatorSubtaskState snapshot;
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("baseline-2", ModelUpdateAction.SHADOW));
      awaitStatuses(harness, 1);
      snapshot = harness.snapshot(1, processingTime);
    }
    try (var restored = harness(Duration.ofHours(1))) {
      restored.initializeState(snapshot);
      restored.setProcessingTime(processingTime);
      restored.open();
      restored.processElement(new StreamRecord<>(transaction(1), 1));
      restored.prepareSnapshotPreBarrier(2);
      announce(restored, update("baseline-2", ModelUpdateAction.END_SHADOW));
      List<ModelStatus> statuses = awaitStatuses(restored, 1);
      restored.processElement(new StreamRecord<>(transaction(2), 2));
      restored.prepareSnapshotPreBarrier(3);

      assertThat(statuses).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.SHADOW_ENDED);
        assertThat(status.getActiveVersion()).isEqualTo("baseline-1");
      });
      List<EnrichedTransaction> scored = restored.extractOutputValues();
      assertThat(scored).extracting(tx -> tx.shadowVersion).containsExactly("baseline-2", null);
      assertThat(scored).extracting(tx -> tx.modelVersion).containsOnly("baseline-1");
    }
  }

  @Test
  void underACanaryTheShadowDecidesItsShareOfCardsAndTheSameCardsAfterARestartAtAnotherParallelism()
      throws Exception {
    CanaryShare canary = new CanaryShare(0.3);
    OperatorSubtaskState snapshot;
    List<EnrichedTransaction> before;
    try (var harness = harness(Duration.ofMillis(5), canary, 1, 0)) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("baseline-2", ModelUpdateAction.SHADOW));
      awaitStatuses(harness, 1);
      for (int i = 0; i < 100; i++) {
        harness.processElement(new StreamRecord<>(onCard(i), i));
      }
      harness.prepareSnapshotPreBarrier(1);
      before = harness.extractOutputValues();
      snapshot = harness.snapshot(1, processingTime);
    }
    List<EnrichedTransaction> after;
    OperatorSubtaskState rescaled =
        AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 1, 2, 1);
    try (var restored = harness(Duration.ofMillis(5), canary, 2, 1)) {
      restored.initializeState(rescaled);
      restored.setProcessingTime(processingTime);
      restored.open();
      for (int i = 0; i < 100; i++) {
        restored.processElement(new StreamRecord<>(onCard(i), i));
      }
      restored.prepareSnapshotPreBarrier(2);
      after = restored.extractOutputValues();
    }

    double baselineReview = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().thresholds().review();
    assertThat(before).hasSize(100).allSatisfy(tx -> {
      boolean candidateDecides = canary.decides("baseline-2", tx.transaction.getCardNumber());
      assertThat(tx.modelVersion).as(tx.transaction.getCardNumber())
          .isEqualTo(candidateDecides ? "baseline-2" : "baseline-1");
      assertThat(tx.shadowVersion).as("a canary's row has no shadow").isEqualTo(candidateDecides ? null : "baseline-2");
      assertThat(tx.reviewThreshold).as("the deciding version's own").isEqualTo(
          candidateDecides ? STRICT.review() : baselineReview);
      if (!candidateDecides) {
        assertThat(tx.score).as("both models score the same features alike").isEqualTo(tx.shadowScore);
      }
    });
    long canaryCards = before.stream().filter(tx -> tx.modelVersion.equals("baseline-2"))
        .map(tx -> tx.transaction.getCardNumber()).distinct().count();
    assertThat(canaryCards).as("of 50 cards, a share of 0.3").isBetween(5L, 25L);
    assertThat(after).extracting(tx -> tx.transaction.getCardNumber() + "=" + tx.modelVersion)
        .as("the same cards decided by the candidate, on another subtask of another parallelism")
        .containsExactlyElementsOf(before.stream().map(tx -> tx.transaction.getCardNumber() + "=" + tx.modelVersion)
            .toList());
  }

  /** Transaction {@code i}, on one of 50 card tokens. */
  private static EnrichedTransaction onCard(int i) {
    EnrichedTransaction tx = transaction(i);
    tx.transaction.setCardNumber("card-token-" + (i % 50));
    return tx;
  }

  @Test
  void theDecidingVersionCannotAlsoScoreInShadow() throws Exception {
    registry.publish(TestData.baselineAs(dir.resolve("bundles/baseline-1"), "baseline-1"));
    try (var harness = harness()) {
      harness.setProcessingTime(processingTime);
      harness.open();
      announce(harness, update("baseline-1", ModelUpdateAction.SHADOW));

      assertThat(awaitStatuses(harness, 1)).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(ModelStatusKind.REJECTED);
        assertThat(status.getReason()).contains("already decides");
      });
    }
  }

  @Test
  void aControlRecordForTheDecidingOperatorGoesOnAfterTheRowsThatCameBeforeIt() throws Exception {
    EnrichedTransaction ruleSet = EnrichedTransaction.carrying(new ControlRecord(ControlRecord.Kind.RULE_SET,
        new RawRecord("rule-sets", 0, 0, 0, new byte[] {1})));
    try (var harness = harness(Duration.ofHours(1))) {
      harness.setProcessingTime(processingTime);
      harness.open();
      harness.processElement(new StreamRecord<>(transaction(1), 1));
      harness.processElement(new StreamRecord<>(transaction(2), 2));
      harness.processElement(new StreamRecord<>(ruleSet));
      harness.processElement(new StreamRecord<>(transaction(3), 3));

      List<EnrichedTransaction> out = harness.extractOutputValues();
      assertThat(out).as("the two rows before it scored, then it; the row after it waits for its batch").hasSize(3);
      assertThat(out.subList(0, 2)).extracting(tx -> tx.transaction.getTransactionId()).containsExactly("tx-1", "tx-2");
      assertThat(out.subList(0, 2)).extracting(tx -> tx.modelVersion).containsOnly("baseline-1");
      assertThat(out.get(2).control.kind).isEqualTo(ControlRecord.Kind.RULE_SET);
      assertThat(out.get(2).transaction).isNull();
      assertThat(statuses(harness)).as("not the scorer's to report").isEmpty();
    }
  }

  /**
   * Prometheus takes numbers only, so version and provider are labels of gauges that are 1 while
   * current; rows are counted by the provider that ran them.
   */
  @Test
  void numericGaugesLabelTheActiveVersionAndExecutionProvider() throws Exception {
    String version = "flink_taskmanager_job_task_operator_model_model_version_active";
    String provider = "flink_taskmanager_job_task_operator_model_execution_provider_active";
    String scoredOn = "flink_taskmanager_job_task_operator_model_execution_provider_scored";
    RecordedMetrics metrics = new RecordedMetrics();
    harness();
    try (var harness = new OneInputStreamOperatorTestHarness<>(scorer, metrics.environment())) {
      harness.setProcessingTime(processingTime);
      harness.open();
      assertThat(metrics.gauge(version, Map.of("model_version", "baseline-1"))).isEqualTo(1);
      assertThat(metrics.gauge(provider, Map.of("execution_provider", "cpu"))).isEqualTo(1);
      assertThat(metrics.gauges(version)).hasSize(1);

      harness.processElement(new StreamRecord<>(modelUpdate(TestData.announcement(offset++, update("baseline-2")))));
      assertThat(awaitStatuses(harness, 1)).singleElement()
          .satisfies(status -> assertThat(status.getStatus()).isEqualTo(ModelStatusKind.ACTIVATED));

      assertThat(metrics.gauge(version, Map.of("model_version", "baseline-2"))).isEqualTo(1);
      assertThat(metrics.gauge(version, Map.of("model_version", "baseline-1"))).as("swapped away").isEqualTo(0);
      assertThat(metrics.gauge(provider, Map.of("execution_provider", "cpu"))).isEqualTo(1);
      assertThat(metrics.gauges(provider)).hasSize(1);
      assertThat(metrics.gauge("flink_taskmanager_job_task_operator_model_version", Map.of()))
          .as("the string gauge the web UI shows").isEqualTo("baseline-2");

      for (int i = 0; i < 6; i++) {
        harness.processElement(new StreamRecord<>(transaction(i), i));
      }
      harness.prepareSnapshotPreBarrier(1);
      assertThat(metrics.counter(scoredOn, Map.of("execution_provider", "cpu")).getCount()).isEqualTo(6);
    }
  }
}
