package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.estimation.ExpectedCounts;
import dev.riskstream.features.estimation.PerformanceEstimator;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.TestData;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.schemas.EstimatedPerformance;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.PerformanceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PerformanceWindowsTest {

  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofHours(1);
  private static final long T0 = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
  private static final long WINDOW_MS = WINDOW.toMillis();
  private static final ModelMonitors MONITORS =
      new ModelMonitors(TestData.BASELINE_BUNDLE, null, DriftThresholds.DEFAULTS);

  private PerformanceWindows windows;
  private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, LabelledDecision, PerformanceReport> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
  }

  private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, LabelledDecision, PerformanceReport> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    windows = new PerformanceWindows(MONITORS, WINDOW, WAIT);
    return Harnesses.onRocksDb(
        new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(windows),
            PerformanceWindows::keyOf, PerformanceWindows.KEY_TYPE),
        restoreFrom);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Stamped with a later time than the decision, as a pair made when its label arrives is. */
  private void process(String modelVersion, long decisionTime, double score, Outcome outcome, boolean fraud)
      throws Exception {
    process(new LabelledDecision(modelVersion, Segmenter.ALL, decisionTime, score, outcome, fraud));
  }

  private void process(LabelledDecision decision) throws Exception {
    harness.processElement(decision, decision.decisionTime + WAIT.toMillis() / 2);
  }

  private long windowsInState() {
    try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend()
        .getKeys(PipelineState.performanceWindows().getName(), VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  @Test
  void eachWindowOfDecisionTimeIsReportedPerModelVersionOnceItsLabelsHadTheirWait() throws Exception {
    process("v1", T0 + 1_000, 0.9, Outcome.DECLINE, true);
    process("v1", T0 + 2_000, 0.6, Outcome.REVIEW, false);
    process("v1", T0 + 3_000, 0.4, Outcome.REVIEW, true);
    process("v1", T0 + 4_000, 0.1, Outcome.APPROVE, false);
    process("v1", T0 + WINDOW_MS, 0.2, Outcome.APPROVE, false);
    process("v2", T0 + 5_000, 0.3, Outcome.APPROVE, true);

    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis() - 1);
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis());

    assertThat(harness.extractOutputValues()).hasSize(2);
    PerformanceReport v1 = harness.extractOutputValues().stream()
        .filter(r -> r.getModelVersion().equals("v1")).findFirst().orElseThrow();
    assertThat(v1.getWindowStart().toEpochMilli()).isEqualTo(T0);
    assertThat(v1.getWindowEnd().toEpochMilli()).isEqualTo(T0 + WINDOW_MS);
    assertThat(v1.getSegment()).isEqualTo(Segmenter.ALL);
    assertThat(v1.getLabelled()).isEqualTo(4);
    assertThat(v1.getFrauds()).isEqualTo(2);
    assertThat(v1.getReviewPrecision()).isEqualTo(2 / 3.0, within(1e-12));
    assertThat(v1.getReviewRecall()).isEqualTo(1.0);
    assertThat(v1.getDeclinePrecision()).isEqualTo(1.0);
    assertThat(v1.getDeclineRecall()).isEqualTo(0.5);
    // frauds at 0.9 and 0.4 against legitimate at 0.6 and 0.1: 3 of 4 pairs in order
    assertThat(v1.getRocAuc()).isEqualTo(0.75, within(1e-12));
    PerformanceReport v2 = harness.extractOutputValues().stream()
        .filter(r -> r.getModelVersion().equals("v2")).findFirst().orElseThrow();
    assertThat(v2.getLabelled()).isEqualTo(1);
    assertThat(v2.getRocAuc()).isNull();
    assertThat(v2.getReviewPrecision()).isNull();
    assertThat(v2.getReviewRecall()).isZero();
    assertThat(windowsInState()).isOne();

    harness.processWatermark(T0 + 2 * WINDOW_MS - 1 + WAIT.toMillis());
    assertThat(harness.extractOutputValues()).hasSize(3);
    assertThat(windowsInState()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aDecisionWithoutAModelScoreIsLeftOutOfTheModelsPerformance() throws Exception {
    process("v1", T0, Double.NaN, Outcome.REVIEW, true);
    assertThat(windowsInState()).as("no window for it alone").isZero();
    process("v1", T0 + 1, 0.9, Outcome.DECLINE, true);
    process("v1", T0 + 2, 0.1, Outcome.APPROVE, false);
    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis());

    assertThat(harness.extractOutputValues()).singleElement().satisfies(report -> {
      assertThat(report.getLabelled()).isEqualTo(2);
      assertThat(report.getFrauds()).isEqualTo(1);
      assertThat(report.getReviewRecall()).isEqualTo(1.0);
      assertThat(report.getRocAuc()).isEqualTo(1.0);
    });
  }

  @Test
  void aLabelledDecisionOfAWindowAlreadyReportedIsCountedLateAndChangesNothing() throws Exception {
    process("v1", T0, 0.9, Outcome.DECLINE, true);
    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis());
    process("v1", T0 + 1, 0.1, Outcome.APPROVE, false);
    harness.processWatermark(T0 + 10 * WINDOW_MS + WAIT.toMillis());

    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(report -> assertThat(report.getLabelled()).isEqualTo(1));
    assertThat(windows.lateCount()).isEqualTo(1);
    assertThat(windowsInState()).isZero();
  }

  @Test
  void countsSurviveARestoreWithoutDoubleCounting() throws Exception {
    process("v1", T0, 0.9, Outcome.DECLINE, true);
    process("v1", T0 + 1, 0.1, Outcome.APPROVE, false);
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    // what happens after the checkpoint is lost with the failure and replayed from the sources
    process("v1", T0 + 2, 0.2, Outcome.APPROVE, false);
    harness.close();

    harness = harness(snapshot);
    process("v1", T0 + 2, 0.2, Outcome.APPROVE, false);
    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis());

    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(report -> assertThat(report.getLabelled()).isEqualTo(3));
  }

  /** A transaction's labelled decision, before the label join emits it once per segment. */
  private record Labelled(String modelVersion, String[] segments, long decisionTime, double score, Outcome outcome,
      boolean fraud) {}

  @Test
  void eachSegmentOfAWindowIsReportedWithTheCountsOfAStraightforwardOfflinePass() throws Exception {
    Random random = new Random(11);
    String[] channels = {"channel=POS", "channel=ECOM", "channel=ATM"};
    String[] countries = {"country=DE", "country=GB"};
    List<Labelled> labelled = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      // scores on bin centres, so the binned AUC must equal the pairwise one exactly
      double score = (random.nextInt(100) + 0.5) / 100;
      boolean fraud = random.nextDouble() < score * 0.6;
      Outcome outcome = score >= 0.8 ? Outcome.DECLINE : score >= 0.5 ? Outcome.REVIEW : Outcome.APPROVE;
      String[] segments = random.nextInt(10) == 0
          ? new String[] {Segmenter.ALL} // a version without a reference profile: all only
          : new String[] {Segmenter.ALL, channels[random.nextInt(3)], countries[random.nextInt(2)]};
      labelled.add(new Labelled(random.nextBoolean() ? "v1" : "v2", segments,
          T0 + random.nextInt(3) * WINDOW_MS + random.nextInt((int) WINDOW_MS), score, outcome, fraud));
    }
    for (Labelled decision : labelled) {
      for (String segment : decision.segments()) {
        process(new LabelledDecision(decision.modelVersion(), segment, decision.decisionTime(), decision.score(),
            decision.outcome(), decision.fraud()));
      }
    }
    harness.processWatermark(T0 + 3 * WINDOW_MS - 1 + WAIT.toMillis());

    Map<String, List<Labelled>> offline = new HashMap<>();
    for (Labelled decision : labelled) {
      for (String segment : decision.segments()) {
        offline.computeIfAbsent(decision.modelVersion() + "/" + segment + "@" + windowStart(decision.decisionTime()),
            key -> new ArrayList<>()).add(decision);
      }
    }
    List<PerformanceReport> reports = harness.extractOutputValues();
    assertThat(reports).hasSize(offline.size()).hasSize(2 * 3 * (1 + 3 + 2));
    for (PerformanceReport report : reports) {
      List<Labelled> window = offline.get(report.getModelVersion() + "/" + report.getSegment() + "@"
          + report.getWindowStart().toEpochMilli());
      String where = report.getModelVersion() + " " + report.getSegment() + " " + report.getWindowStart();
      long frauds = window.stream().filter(Labelled::fraud).count();
      long flagged = window.stream().filter(d -> d.outcome() != Outcome.APPROVE).count();
      long fraudFlagged = window.stream().filter(d -> d.fraud() && d.outcome() != Outcome.APPROVE).count();
      long declined = window.stream().filter(d -> d.outcome() == Outcome.DECLINE).count();
      long fraudDeclined = window.stream().filter(d -> d.fraud() && d.outcome() == Outcome.DECLINE).count();
      assertThat(report.getWindowEnd().toEpochMilli()).isEqualTo(report.getWindowStart().toEpochMilli() + WINDOW_MS);
      assertThat(report.getLabelled()).as(where).isEqualTo(window.size());
      assertThat(report.getFrauds()).as(where).isEqualTo(frauds);
      assertThat(report.getReviewPrecision()).as(where).isEqualTo(fraudFlagged / (double) flagged, within(1e-12));
      assertThat(report.getReviewRecall()).as(where).isEqualTo(fraudFlagged / (double) frauds, within(1e-12));
      assertThat(report.getDeclinePrecision()).as(where).isEqualTo(fraudDeclined / (double) declined, within(1e-12));
      assertThat(report.getDeclineRecall()).as(where).isEqualTo(fraudDeclined / (double) frauds, within(1e-12));
      assertThat(report.getRocAuc()).as(where).isEqualTo(pairwiseAuc(window), within(1e-12));
      assertThat(report.getEstimated()).as(where + ": the same decisions' performance estimated from their scores")
          .usingRecursiveComparison().withComparatorForType(CLOSE, Double.class).isEqualTo(estimated(window));
    }
    assertThat(windowsInState()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private static final java.util.Comparator<Double> CLOSE =
      (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b);

  /** Offline: the decisions' scores through the version's estimator in one pass. */
  private static EstimatedPerformance estimated(List<Labelled> window) {
    PerformanceEstimator estimator = MONITORS.estimatorOf("v1").orElseThrow();
    ExpectedCounts counts = estimator.newCounts();
    window.forEach(decision -> estimator.add(counts, decision.score()));
    return estimator.estimate(counts);
  }

  private static long windowStart(long time) {
    return time - Math.floorMod(time, WINDOW_MS);
  }

  /** Every fraud against every legitimate decision: 1 when the fraud scores higher, 1/2 on a tie. */
  private static double pairwiseAuc(List<Labelled> window) {
    double concordant = 0;
    long pairs = 0;
    for (Labelled fraud : window) {
      for (Labelled legitimate : window) {
        if (fraud.fraud() && !legitimate.fraud()) {
          pairs++;
          concordant += fraud.score() > legitimate.score() ? 1 : fraud.score() == legitimate.score() ? 0.5 : 0;
        }
      }
    }
    return concordant / pairs;
  }

  @Test
  void aShadowsWouldBeDecisionsAreReportedUnderItsVersionWithTheirAgreement() throws Exception {
    process("v1", T0 + 1_000, 0.2, Outcome.APPROVE, true);
    process("v1", T0 + 2_000, 0.1, Outcome.APPROVE, false);
    process(LabelledDecision.ofShadow("v2", Segmenter.ALL, T0 + 1_000, 0.9, Outcome.DECLINE, true, 0.1, Outcome.APPROVE, 50));
    process(LabelledDecision.ofShadow("v2", Segmenter.ALL, T0 + 2_000, 0.05, Outcome.APPROVE, false, 0.1, Outcome.APPROVE, 20));
    harness.processWatermark(T0 + WINDOW_MS - 1 + WAIT.toMillis());

    assertThat(harness.extractOutputValues()).hasSize(2);
    assertThat(harness.extractOutputValues()).filteredOn(report -> report.getModelVersion().equals("v1"))
        .singleElement().satisfies(decided -> {
          assertThat(decided.getShadowLabelled()).isZero();
          assertThat(decided.getOutcomeAgreements()).isNull();
          assertThat(decided.getDeclineRecall()).isZero();
        });
    assertThat(harness.extractOutputValues()).filteredOn(report -> report.getModelVersion().equals("v2"))
        .singleElement().satisfies(shadow -> {
          assertThat(shadow.getLabelled()).isEqualTo(2);
          assertThat(shadow.getShadowLabelled()).isEqualTo(2);
          assertThat(shadow.getOutcomeAgreements()).isEqualTo(1);
          assertThat(shadow.getDeclineRecall()).isEqualTo(1.0);
          assertThat(shadow.getRocAuc()).isEqualTo(1.0);
        });
  }
}
