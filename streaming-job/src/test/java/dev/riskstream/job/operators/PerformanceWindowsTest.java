package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.PerformanceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
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

  private PerformanceWindows windows;
  private KeyedOneInputStreamOperatorTestHarness<String, LabelledDecision, PerformanceReport> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, LabelledDecision, PerformanceReport> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    windows = new PerformanceWindows(WINDOW, WAIT);
    var opened = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(windows),
        (LabelledDecision d) -> d.modelVersion, Types.STRING);
    opened.setStateBackend(new EmbeddedRocksDBStateBackend());
    if (restoreFrom != null) {
      opened.initializeState(restoreFrom);
    }
    opened.open();
    return opened;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Stamped with a later time than the decision, as a pair made when its label arrives is. */
  private void process(String modelVersion, long decisionTime, double score, Outcome outcome, boolean fraud)
      throws Exception {
    harness.processElement(new LabelledDecision(modelVersion, decisionTime, score, outcome, fraud),
        decisionTime + WAIT.toMillis() / 2);
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
    assertThat(v1.getSegment()).isEqualTo(PerformanceWindows.ALL_DECISIONS);
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
}
