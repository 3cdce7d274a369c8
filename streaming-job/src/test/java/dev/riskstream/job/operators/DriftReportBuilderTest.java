package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.features.estimation.ExpectedCounts;
import dev.riskstream.features.estimation.PerformanceEstimator;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.TestData;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The drift windows as the job builds them (reduce with {@link DriftReportBuilder#merge()}, then the
 * builder), with the per-feature PSI gauges named as Prometheus sees them.
 */
class DriftReportBuilderTest {

  private static final long WINDOW = 60_000;
  private static final String PSI = "flink_taskmanager_job_task_operator_monitoring_segment_feature_psi";
  private static final String ESTIMATED_AUC = "flink_taskmanager_job_task_operator_monitoring_model_version_estimatedRocAuc";
  private static final String AMOUNT = FeatureSpec.AMOUNT_BASE_LOG;

  private static final ModelMonitors MONITORS =
      new ModelMonitors(TestData.BASELINE_BUNDLE, null, DriftThresholds.DEFAULTS);

  /** {@code rows} transactions of one segment's window, amounts around {@code logAmount}. */
  private static DriftPartial partial(String segment, long windowStart, int rows, double logAmount) throws Exception {
    DriftEvaluator evaluator = new DriftEvaluator(ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().reference(),
        DriftThresholds.DEFAULTS);
    WindowCounts counts = evaluator.binning().newCounts();
    PerformanceEstimator estimator = MONITORS.estimatorOf("baseline-1").orElseThrow();
    ExpectedCounts expected = estimator.newCounts();
    Random random = new Random(windowStart);
    for (int i = 0; i < rows; i++) {
      float[] features = FeatureSpec.CURRENT.defaults();
      features[FeatureSpec.CURRENT.requireIndex(AMOUNT)] = (float) (logAmount + random.nextGaussian());
      Transaction tx = TestData.transaction(i).build();
      double score = random.nextDouble() * 0.3;
      evaluator.binning().add(counts, features, tx, score, false);
      estimator.add(expected, score);
    }
    return new DriftPartial("baseline-1", false, segment, windowStart, counts, expected);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, DriftPartial, DriftReport> harness(RecordedMetrics metrics)
      throws Exception {
    TumblingEventTimeWindows windows = TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW));
    OneInputStreamOperator<DriftPartial, DriftReport> operator = new WindowOperatorBuilder<DriftPartial, String, TimeWindow>(
        windows, windows.getDefaultTrigger(), new ExecutionConfig(), TypeInformation.of(DriftPartial.class),
        DriftPartial::mergeKey, Types.STRING)
        .reduce(DriftReportBuilder.merge(), new DriftReportBuilder(MONITORS));
    return new KeyedOneInputStreamOperatorTestHarness<>(operator, DriftPartial::mergeKey, Types.STRING,
        metrics.environment());
  }

  private static FeatureDrift feature(DriftReport report, String name) {
    return report.getFeatures().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void gaugesShowEachFeaturesPsiInTheLatestJudgedWindowOfEachSegment() throws Exception {
    RecordedMetrics metrics = new RecordedMetrics();
    try (var harness = harness(metrics)) {
      harness.open();
      // two subtasks' partials of the first window, then a window whose amounts have shifted
      harness.processElement(partial("all", 0, 300, 3), 1);
      harness.processElement(partial("all", 0, 300, 3), 2);
      harness.processElement(partial("channel=ECOM", 0, 100, 3), 3);
      harness.processWatermark(new Watermark(WINDOW - 1));
      List<DriftReport> first = harness.extractOutputValues();
      harness.processElement(partial("all", WINDOW, 600, 6), WINDOW + 1);
      harness.processWatermark(new Watermark(2 * WINDOW - 1));
      List<DriftReport> reports = harness.extractOutputValues();

      assertThat(first).hasSize(2);
      DriftReport before = first.stream().filter(r -> r.getSegment().equals("all")).findFirst().orElseThrow();
      DriftReport after = reports.get(reports.size() - 1);
      assertThat(before.getEvents()).as("both partials merged").isEqualTo(600);
      assertThat(before.getEstimated().getScored()).as("both partials' expectations merged").isEqualTo(600);
      assertThat(metrics.gauge(ESTIMATED_AUC, Map.of("model_version", "baseline-1"))).as("the latest window of all")
          .isEqualTo(after.getEstimated().getRocAuc());
      assertThat(after.getSegment()).isEqualTo("all");
      assertThat(feature(after, AMOUNT).getPsi()).as("the shifted amounts")
          .isGreaterThan(feature(before, AMOUNT).getPsi());
      assertThat(after.getFeatures()).hasSizeGreaterThan(10).allSatisfy(feature ->
          assertThat(metrics.gauge(PSI, Map.of("segment", "all", "feature", feature.getName())))
              .as(feature.getName()).isEqualTo(feature.getPsi()));
      assertThat(metrics.gauges(PSI)).as("one gauge per feature of the one judged segment")
          .hasSize(after.getFeatures().size());
      DriftReport tooFew = first.stream().filter(r -> r.getSegment().equals("channel=ECOM")).findFirst().orElseThrow();
      assertThat(tooFew.getStatus()).isEqualTo(DriftStatus.TOO_FEW_EVENTS);
    }
  }
}
