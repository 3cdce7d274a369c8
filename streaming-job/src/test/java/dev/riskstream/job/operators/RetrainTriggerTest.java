package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.EstimatedPerformance;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.JointDrift;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrainTriggerTest {

  private static final long WINDOW = 10_000;
  /** Windows before this are the warm-up: the tests' window 0 is the first one judged. */
  private static final int WARM_UP_WINDOWS = 2;
  private static final RetrainPolicy POLICY = new RetrainPolicy(3, Duration.ofMillis(10 * WINDOW),
      Duration.ofMillis((WARM_UP_WINDOWS - 1) * WINDOW), new DriftThresholds(0.2, 0.1, 0.05, 0.1, 100, Set.of()),
      new PerformanceFloors(100, 10, 0.8, null, null));

  private KeyedOneInputStreamOperatorTestHarness<String, DriftReport, RetrainRequest> harness;


  @BeforeEach
  void openAfterAWarmUpThatDrifts() throws Exception {
    harness = harness();
    harness.open();
    for (int w = -WARM_UP_WINDOWS; w < 0; w++) {
      window(w, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    }
    assertThat(harness.extractOutputValues()).as("drift while state warms up raises nothing").isEmpty();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, DriftReport, RetrainRequest> harness() throws Exception {
    var harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new RetrainTrigger(POLICY)), DriftReport::getModelVersion,
        org.apache.flink.api.common.typeinfo.Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    return harness;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static FeatureDrift feature(String name, double psi, boolean drifting) {
    return FeatureDrift.newBuilder().setName(name).setPsi(psi).setSecondStatistic(psi / 4).setMissingRate(0)
        .setUnseenRate(0).setDrifting(drifting).build();
  }

  private static DriftReport report(int testWindow, String segment, DriftStatus status) {
    int window = testWindow + WARM_UP_WINDOWS;
    List<FeatureDrift> features = status == DriftStatus.DRIFTING
        ? List.of(feature("amount_base_log", 0.9, true), feature("is_night", 0.01, false))
        : status == DriftStatus.STABLE ? List.of(feature("amount_base_log", 0.02, false)) : List.of();
    return DriftReport.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(window * WINDOW))
        .setWindowEnd(Instant.ofEpochMilli((window + 1) * WINDOW))
        .setSegment(segment).setModelVersion("m-1").setEvents(1000).setStatus(status)
        .setMaxPsi(status == DriftStatus.DRIFTING ? 0.9 : 0.02)
        .setDriftingFeatures(status == DriftStatus.DRIFTING ? 1 : 0)
        .setFeatures(features).setReportedAt(Instant.EPOCH).build();
  }

  /** One window's reports, as the window operator emits them, then its watermark. */
  private void window(int testWindow, DriftStatus all, DriftStatus country) throws Exception {
    long lastMillisecond = (testWindow + WARM_UP_WINDOWS + 1) * WINDOW - 1;
    harness.processElement(report(testWindow, "all", all), lastMillisecond);
    harness.processElement(report(testWindow, "country=DE", country), lastMillisecond);
    harness.processWatermark(new Watermark(lastMillisecond));
  }

  @Test
  void stationaryTrafficRaisesNothing() throws Exception {
    for (int w = 0; w < 8; w++) {
      window(w, DriftStatus.STABLE, DriftStatus.STABLE);
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void requestsOnceAfterConsecutiveDriftingWindowsWithTheirEvidenceThenCoolsDown() throws Exception {
    window(0, DriftStatus.STABLE, DriftStatus.STABLE);
    window(1, DriftStatus.STABLE, DriftStatus.DRIFTING);
    window(2, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    assertThat(harness.extractOutputValues()).as("two drifting windows are not enough").isEmpty();
    window(3, DriftStatus.STABLE, DriftStatus.DRIFTING);

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getModelVersion()).isEqualTo("m-1");
      assertThat(request.getReason()).isEqualTo(RetrainReason.DRIFT);
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
      assertThat(request.getRequestId()).isEqualTo("m-1@" + Instant.ofEpochMilli((4 + WARM_UP_WINDOWS) * WINDOW));
      assertThat(request.getEvidence()).hasSize(4 * 2)
          .extracting(RetrainEvidence::getFeature).containsOnly("amount_base_log");
      assertThat(request.getEvidence()).extracting(RetrainEvidence::getSegment).contains("all", "country=DE");
      assertThat(request.getEvidence()).extracting(RetrainEvidence::getStatistic).containsOnly("psi", "second_statistic");
    });

    for (int w = 4; w < 13; w++) {
      window(w, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    }
    assertThat(harness.extractOutputValues()).as("within the cooldown").hasSize(1);
    window(13, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    window(14, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    assertThat(harness.extractOutputValues()).as("cooled down, three more in a row").hasSize(2);
  }

  @Test
  void performanceEstimatedBelowAFloorInWindowsInARowRaisesItsOwnRequest() throws Exception {
    for (int w = 0; w < 3; w++) {
      long lastMillisecond = (w + WARM_UP_WINDOWS + 1) * WINDOW - 1;
      harness.processElement(estimated(report(w, "all", DriftStatus.STABLE), 1_000, 40, 0.72), lastMillisecond);
      // too few expected frauds to judge: no verdict, the run goes on
      harness.processElement(estimated(report(w, "country=DE", DriftStatus.STABLE), 200, 5, 0.5), lastMillisecond);
      harness.processWatermark(new Watermark(lastMillisecond));
    }

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getReason()).isEqualTo(RetrainReason.ESTIMATED_PERFORMANCE);
      assertThat(request.getRequestId()).isEqualTo(
          "m-1@" + Instant.ofEpochMilli((3 + WARM_UP_WINDOWS) * WINDOW) + "/estimated-performance");
      assertThat(request.getEvidence()).hasSize(3).allSatisfy(evidence -> {
        assertThat(evidence.getStatistic()).isEqualTo("estimated_roc_auc");
        assertThat(evidence.getSegment()).isEqualTo("all");
        assertThat(evidence.getValue()).isEqualTo(0.72);
        assertThat(evidence.getThreshold()).isEqualTo(0.8);
      });
    });
  }

  @Test
  void aWindowEstimatedAboveTheFloorsEndsTheRun() throws Exception {
    double[] aucs = {0.7, 0.7, 0.85, 0.7, 0.7};
    for (int w = 0; w < aucs.length; w++) {
      long lastMillisecond = (w + WARM_UP_WINDOWS + 1) * WINDOW - 1;
      harness.processElement(estimated(report(w, "all", DriftStatus.STABLE), 1_000, 40, aucs[w]), lastMillisecond);
      harness.processWatermark(new Watermark(lastMillisecond));
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aJointDriftIsEvidenceOfItsOwn() throws Exception {
    for (int w = 0; w < 3; w++) {
      long lastMillisecond = (w + WARM_UP_WINDOWS + 1) * WINDOW - 1;
      DriftReport report = report(w, "all", DriftStatus.STABLE);
      report.setStatus(DriftStatus.DRIFTING);
      report.setJoint(new JointDrift(2.42, 2.25, 2.33, true));
      harness.processElement(report, lastMillisecond);
      harness.processWatermark(new Watermark(lastMillisecond));
    }

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getReason()).isEqualTo(RetrainReason.DRIFT);
      assertThat(request.getEvidence()).hasSize(3).allSatisfy(evidence -> {
        assertThat(evidence.getFeature()).isEqualTo("joint");
        assertThat(evidence.getStatistic()).isEqualTo("reconstruction_error");
        assertThat(evidence.getValue()).isEqualTo(2.42);
        assertThat(evidence.getThreshold()).isEqualTo(2.33);
      });
    });
  }

  private static DriftReport estimated(DriftReport report, long scored, double expectedFrauds, double rocAuc) {
    report.setEstimated(EstimatedPerformance.newBuilder().setScored(scored).setExpectedFrauds(expectedFrauds)
        .setRocAuc(rocAuc).build());
    return report;
  }

  @Test
  void aVersionDriftingInShadowRaisesNothing() throws Exception {
    for (int w = 0; w < 6; w++) {
      long lastMillisecond = (w + WARM_UP_WINDOWS + 1) * WINDOW - 1;
      DriftReport inShadow = report(w, "all", DriftStatus.DRIFTING);
      inShadow.setShadow(true);
      harness.processElement(inShadow, lastMillisecond);
      harness.processWatermark(new Watermark(lastMillisecond));
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aStableWindowResetsTheRunAndATooSmallOneDoesNot() throws Exception {
    window(0, DriftStatus.DRIFTING, DriftStatus.STABLE);
    window(1, DriftStatus.DRIFTING, DriftStatus.STABLE);
    window(2, DriftStatus.STABLE, DriftStatus.STABLE);
    window(3, DriftStatus.DRIFTING, DriftStatus.STABLE);
    window(4, DriftStatus.DRIFTING, DriftStatus.STABLE);
    assertThat(harness.extractOutputValues()).isEmpty();

    window(5, DriftStatus.TOO_FEW_EVENTS, DriftStatus.TOO_FEW_EVENTS);
    window(6, DriftStatus.DRIFTING, DriftStatus.TOO_FEW_EVENTS);
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(request -> assertThat(request.getConsecutiveWindows()).isEqualTo(3));
  }

  @Test
  void aRunSurvivesARestoreAndAReportForAJudgedWindowIsIgnored() throws Exception {
    window(0, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    window(1, DriftStatus.DRIFTING, DriftStatus.DRIFTING);
    OperatorSubtaskState snapshot = harness.snapshot(1, 0);
    harness.close();

    harness = harness();
    harness.initializeState(snapshot);
    harness.open();
    harness.processWatermark(new Watermark((WARM_UP_WINDOWS + 2) * WINDOW - 1));
    harness.processElement(report(0, "country=FR", DriftStatus.DRIFTING), (WARM_UP_WINDOWS + 1) * WINDOW - 1);
    window(2, DriftStatus.DRIFTING, DriftStatus.STABLE);

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
      assertThat(request.getEvidence()).extracting(RetrainEvidence::getSegment).doesNotContain("country=FR");
    });
    assertThat(harness.numEventTimeTimers()).as("every window judged").isZero();
  }
}
