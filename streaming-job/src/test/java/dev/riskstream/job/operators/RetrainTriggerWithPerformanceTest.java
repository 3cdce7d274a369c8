package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrainTriggerWithPerformanceTest {

  private static final long WINDOW = 10_000;
  /** labels.wait: a performance window closes, and is judged, two windows after its end. */
  private static final long WAIT = 2 * WINDOW;
  /** Windows before this are the warm-up: the tests' window 0 is the first one judged. */
  private static final int WARM_UP_WINDOWS = 2;
  private static final RetrainPolicy POLICY = new RetrainPolicy(3, Duration.ofMillis(10 * WINDOW),
      Duration.ofMillis((WARM_UP_WINDOWS - 1) * WINDOW), new DriftThresholds(0.2, 0.1, 0.05, 0.1, 100, Set.of()),
      null);
  private static final PerformanceFloors FLOORS = new PerformanceFloors(100, 10, 0.8, 0.6, null);
  private static final double GOOD_AUC = 0.95;
  private static final double POOR_AUC = 0.7;


  private KeyedTwoInputStreamOperatorTestHarness<String, DriftReport, PerformanceReport, RetrainRequest> harness;

  @BeforeEach
  void openAfterAWarmUpThatFails() throws Exception {
    harness = harness();
    harness.open();
    for (int w = -WARM_UP_WINDOWS; w < 0; w++) {
      driftReport(w, DriftStatus.DRIFTING);
      watermark(windowEnd(w) - 1);
    }
    for (int w = -WARM_UP_WINDOWS; w < 0; w++) {
      performanceReport(w, 1000, 50, POOR_AUC, 0.1); // judged, or not, when a test moves time on
    }
    assertThat(harness.extractOutputValues()).as("nothing while state warms up").isEmpty();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, DriftReport, PerformanceReport, RetrainRequest>
      harness() throws Exception {
    var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(new RetrainTriggerWithPerformance(POLICY, FLOORS)),
        DriftReport::getModelVersion, PerformanceReport::getModelVersion, Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend());
    return harness;
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static long windowEnd(int testWindow) {
    return (testWindow + WARM_UP_WINDOWS + 1) * WINDOW;
  }

  /** The watermark that closes a performance window upstream, and the timestamp of its report. */
  private static long closed(int testWindow) {
    return windowEnd(testWindow) - 1 + WAIT;
  }

  private void watermark(long time) throws Exception {
    harness.processWatermark1(new Watermark(time));
    harness.processWatermark2(new Watermark(time));
  }

  private void driftReport(int testWindow, DriftStatus status) throws Exception {
    boolean drifting = status == DriftStatus.DRIFTING;
    FeatureDrift feature = FeatureDrift.newBuilder().setName("amount_base_log").setPsi(drifting ? 0.9 : 0.02)
        .setSecondStatistic(0).setMissingRate(0).setUnseenRate(0).setDrifting(drifting).build();
    harness.processElement1(DriftReport.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(windowEnd(testWindow) - WINDOW))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd(testWindow)))
        .setSegment("all").setModelVersion("m-1").setEvents(1000).setStatus(status)
        .setMaxPsi(feature.getPsi()).setDriftingFeatures(drifting ? 1 : 0)
        .setFeatures(List.of(feature)).setReportedAt(Instant.EPOCH).build(), windowEnd(testWindow) - 1);
  }

  private void performanceReport(int testWindow, long labelled, long frauds, Double rocAuc, Double reviewRecall)
      throws Exception {
    performanceReport(testWindow, Segmenter.ALL, labelled, frauds, rocAuc, reviewRecall);
  }

  private void performanceReport(int testWindow, String segment, long labelled, long frauds, Double rocAuc,
      Double reviewRecall) throws Exception {
    performanceReport(testWindow, segment, labelled, frauds, rocAuc, reviewRecall, 0);
  }

  private void performanceReport(int testWindow, String segment, long labelled, long frauds, Double rocAuc,
      Double reviewRecall, long shadowLabelled) throws Exception {
    harness.processElement2(PerformanceReport.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(windowEnd(testWindow) - WINDOW))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd(testWindow)))
        .setSegment(segment).setModelVersion("m-1")
        .setLabelled(labelled).setFrauds(frauds)
        .setRocAuc(rocAuc).setReviewRecall(reviewRecall)
        .setShadowLabelled(shadowLabelled)
        .setReportedAt(Instant.EPOCH).build(), closed(testWindow));
  }

  /** One performance window's report, as PerformanceWindows emits it, then the watermark that closed it. */
  private void performanceWindow(int testWindow, long labelled, long frauds, Double rocAuc, Double reviewRecall)
      throws Exception {
    performanceReport(testWindow, labelled, frauds, rocAuc, reviewRecall);
    watermark(closed(testWindow));
  }

  private void poorWindow(int testWindow) throws Exception {
    performanceWindow(testWindow, 1000, 50, POOR_AUC, 0.9);
  }

  private void goodWindow(int testWindow) throws Exception {
    performanceWindow(testWindow, 1000, 50, GOOD_AUC, 0.9);
  }

  @Test
  void goodPerformanceRaisesNothing() throws Exception {
    for (int w = 0; w < 8; w++) {
      goodWindow(w);
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void requestsOnceAfterConsecutiveWindowsBelowAFloorWithTheMeasuresAsEvidence() throws Exception {
    poorWindow(0);
    performanceWindow(1, 1000, 50, POOR_AUC, 0.5);
    assertThat(harness.extractOutputValues()).as("two windows are not enough").isEmpty();
    poorWindow(2);

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getModelVersion()).isEqualTo("m-1");
      assertThat(request.getReason()).isEqualTo(RetrainReason.PERFORMANCE);
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
      assertThat(request.getRequestId()).isEqualTo("m-1@" + Instant.ofEpochMilli(windowEnd(2)) + "/performance");
      assertThat(request.getEvidence()).hasSize(4);
      assertThat(request.getEvidence().get(0)).as("furthest below its floor first").satisfies(evidence -> {
        assertThat(evidence.getFeature()).isEqualTo("review_recall");
        assertThat(evidence.getStatistic()).isEqualTo("review_recall");
        assertThat(evidence.getValue()).isEqualTo(0.5);
        assertThat(evidence.getThreshold()).isEqualTo(0.6);
        assertThat(evidence.getSegment()).isEqualTo(Segmenter.ALL);
        assertThat(evidence.getWindowStart()).isEqualTo(Instant.ofEpochMilli(windowEnd(1) - WINDOW));
        assertThat(evidence.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(windowEnd(1)));
      });
      assertThat(request.getEvidence()).filteredOn(evidence -> evidence.getFeature().equals("roc_auc"))
          .extracting(RetrainEvidence::getWindowEnd)
          .containsExactlyInAnyOrder(Instant.ofEpochMilli(windowEnd(0)), Instant.ofEpochMilli(windowEnd(1)),
              Instant.ofEpochMilli(windowEnd(2)));
    });

    for (int w = 3; w < 12; w++) {
      poorWindow(w);
    }
    assertThat(harness.extractOutputValues()).as("within the cooldown").hasSize(1);
    poorWindow(12);
    assertThat(harness.extractOutputValues()).as("cooled down, still poor").hasSize(2);
  }

  @Test
  void aGoodWindowResetsTheRunAndOneWithTooFewLabelsDoesNot() throws Exception {
    poorWindow(0);
    poorWindow(1);
    goodWindow(2);
    poorWindow(3);
    poorWindow(4);
    assertThat(harness.extractOutputValues()).isEmpty();

    performanceWindow(5, 99, 50, 0.1, 0.1);
    performanceWindow(6, 1000, 9, 0.1, 0.1);
    assertThat(harness.extractOutputValues()).as("too few labels, too few frauds: no verdict").isEmpty();
    poorWindow(7);
    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
      assertThat(request.getEvidence()).extracting(RetrainEvidence::getWindowEnd)
          .doesNotContain(Instant.ofEpochMilli(windowEnd(5)), Instant.ofEpochMilli(windowEnd(6)));
    });
  }

  /** The reports of all segments of a window, as PerformanceWindows emits them, then the watermark that closed it. */
  private void segmentedWindow(int testWindow, double ecomAuc, long ecomLabelled) throws Exception {
    performanceReport(testWindow, Segmenter.ALL, 1000, 50, GOOD_AUC, 0.9);
    performanceReport(testWindow, "channel=POS", 800, 40, GOOD_AUC, 0.9);
    performanceReport(testWindow, "channel=ECOM", ecomLabelled, 10, ecomAuc, 0.9);
    watermark(closed(testWindow));
  }

  @Test
  void aWindowFailsWhenOneSegmentWithEnoughLabelsIsBelowAFloorAndTheRequestNamesIt() throws Exception {
    segmentedWindow(0, POOR_AUC, 200);
    segmentedWindow(1, POOR_AUC, 200);
    assertThat(harness.extractOutputValues()).as("two windows are not enough").isEmpty();
    segmentedWindow(2, 0.6, 200);

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getReason()).isEqualTo(RetrainReason.PERFORMANCE);
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
      assertThat(request.getRequestId()).isEqualTo("m-1@" + Instant.ofEpochMilli(windowEnd(2)) + "/performance");
      assertThat(request.getEvidence()).hasSize(3).allSatisfy(evidence -> {
        assertThat(evidence.getSegment()).isEqualTo("channel=ECOM");
        assertThat(evidence.getFeature()).isEqualTo("roc_auc");
      });
      assertThat(request.getEvidence().get(0)).as("furthest below its floor first")
          .satisfies(evidence -> assertThat(evidence.getValue()).isEqualTo(0.6));
    });
    assertThat(harness.numEventTimeTimers()).as("every window judged").isZero();
  }

  @Test
  void aSegmentWithTooFewLabelsIsNotJudged() throws Exception {
    for (int w = 0; w < 5; w++) {
      segmentedWindow(w, 0.1, 99);
    }
    assertThat(harness.extractOutputValues()).as("the other segments pass").isEmpty();

    poorWindow(5);
    poorWindow(6);
    performanceReport(7, "channel=ECOM", 99, 10, 0.1, 0.1);
    watermark(closed(7));
    poorWindow(8);
    assertThat(harness.extractOutputValues()).as("the small segment's window neither counts nor resets")
        .singleElement().satisfies(request -> {
          assertThat(request.getConsecutiveWindows()).isEqualTo(3);
          assertThat(request.getEvidence()).extracting(RetrainEvidence::getSegment).containsOnly(Segmenter.ALL);
        });
  }

  @Test
  void aWindowWithoutAJudgedMeasureHasNoVerdict() throws Exception {
    poorWindow(0);
    poorWindow(1);
    performanceWindow(2, 1000, 50, null, null);
    poorWindow(3);
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(request -> assertThat(request.getConsecutiveWindows()).isEqualTo(3));
  }

  @Test
  void driftAndPerformanceShareTheCooldown() throws Exception {
    // a performance window closes with the drift window two windows later: both judged at one timer
    for (int t = 0; t < 14; t++) {
      driftReport(t, t < 3 ? DriftStatus.DRIFTING : DriftStatus.STABLE);
      if (t >= 2) {
        performanceReport(t - 2, 1000, 50, POOR_AUC, 0.9);
      }
      watermark(windowEnd(t) - 1);
    }

    List<RetrainRequest> requests = harness.extractOutputValues();
    assertThat(requests).extracting(RetrainRequest::getReason)
        .containsExactly(RetrainReason.DRIFT, RetrainReason.PERFORMANCE);
    assertThat(requests.get(0).getRequestId()).isEqualTo("m-1@" + Instant.ofEpochMilli(windowEnd(2)));
    assertThat(requests.get(1).getRequestId())
        .as("the first performance window judged a cooldown after the drift request")
        .isEqualTo("m-1@" + Instant.ofEpochMilli(windowEnd(2) + POLICY.cooldown().toMillis() - WAIT) + "/performance");
    assertThat(requests.get(1).getConsecutiveWindows()).as("the run went on through the cooldown").isEqualTo(11);
  }

  @Test
  void aRunSurvivesARestoreAndAReportOfAJudgedWindowIsIgnored() throws Exception {
    poorWindow(0);
    poorWindow(1);
    OperatorSubtaskState snapshot = harness.snapshot(1, 0);
    harness.close();

    harness = harness();
    harness.initializeState(snapshot);
    harness.open();
    watermark(closed(1));
    performanceReport(0, 1000, 50, GOOD_AUC, 0.9);
    poorWindow(2);

    assertThat(harness.extractOutputValues()).singleElement().satisfies(request -> {
      assertThat(request.getReason()).isEqualTo(RetrainReason.PERFORMANCE);
      assertThat(request.getConsecutiveWindows()).isEqualTo(3);
    });
    assertThat(harness.numEventTimeTimers()).as("every window judged").isZero();
  }

  @Test
  void aVersionScoringInShadowIsNotJudgedButOnceItDecidesItIs() throws Exception {
    for (int w = 0; w < 6; w++) {
      performanceReport(w, Segmenter.ALL, 1000, 50, POOR_AUC, 0.9, 1000);
      watermark(closed(w));
    }
    assertThat(harness.extractOutputValues()).as("in shadow it decided nothing").isEmpty();

    performanceReport(6, Segmenter.ALL, 1000, 50, POOR_AUC, 0.9, 400); // promoted within the window
    watermark(closed(6));
    for (int w = 7; w < 12; w++) {
      poorWindow(w);
    }
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(request -> assertThat(request.getReason()).isEqualTo(RetrainReason.PERFORMANCE));
  }
}
