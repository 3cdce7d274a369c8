package dev.riskstream.job.operators;

import dev.riskstream.features.drift.DriftEvaluation;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.FeatureDriftGauges;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.EstimatedPerformance;
import java.time.Instant;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The second half of drift monitoring: judges one segment's merged window counts against the
 * reference of the model version that scored them, and reports, with the window's performance
 * estimated from its scores. The gauges {@code maxPsi} and
 * {@code driftingFeatures} show the latest judged window of this subtask's segments, and
 * {@link FeatureDriftGauges} the PSI of each feature in each segment's latest window; {@code
 * estimatedRocAuc}, {@code estimatedReviewPrecision} and {@code estimatedReviewRecall} the deciding
 * version's estimate for the segment all in the latest window this subtask reported.
 */
public final class DriftReportBuilder extends ProcessWindowFunction<DriftPartial, DriftReport, String, TimeWindow> {

  private final ModelMonitors monitors;
  private transient long latestWindowEnd;
  private transient double maxPsi;
  private transient int driftingFeatures;
  private transient FeatureDriftGauges featureGauges;
  private transient EstimatedPerformance latestEstimate;

  public DriftReportBuilder(ModelMonitors monitors) {
    this.monitors = monitors;
  }

  /** Merges partial counts; they all come from one model version, so they share one layout. */
  public static ReduceFunction<DriftPartial> merge() {
    return DriftPartial::merge;
  }

  @Override
  public void open(OpenContext openContext) {
    var metrics = getRuntimeContext().getMetricGroup().addGroup("monitoring");
    metrics.gauge("maxPsi", () -> maxPsi);
    metrics.gauge("driftingFeatures", () -> driftingFeatures);
    featureGauges = new FeatureDriftGauges(metrics);
    metrics.gauge("estimatedRocAuc", () -> estimated(EstimatedPerformance::getRocAuc));
    metrics.gauge("estimatedReviewPrecision", () -> estimated(EstimatedPerformance::getReviewPrecision));
    metrics.gauge("estimatedReviewRecall", () -> estimated(EstimatedPerformance::getReviewRecall));
  }

  /** NaN until a window of the segment all with an estimate has been reported here, or when it lacks the figure. */
  private double estimated(Function<EstimatedPerformance, Double> figure) {
    Double value = latestEstimate == null ? null : figure.apply(latestEstimate);
    return value == null ? Double.NaN : value;
  }

  @Override
  public void process(String key, Context context, Iterable<DriftPartial> merged, Collector<DriftReport> out) {
    DriftPartial window = merged.iterator().next();
    WindowCounts counts = window.counts;
    DriftEvaluation evaluation = monitors.evaluatorOf(window.modelVersion).orElseThrow().evaluate(window.segment, counts);
    TimeWindow time = context.window();
    EstimatedPerformance estimated = window.expected == null ? null
        : monitors.estimatorOf(window.modelVersion).orElseThrow().estimate(window.expected);
    if (!window.shadow) {
      // the gauges show the drift the deciding version sees
      if (time.getEnd() > latestWindowEnd) {
        latestWindowEnd = time.getEnd();
        maxPsi = 0;
        driftingFeatures = 0;
      }
      maxPsi = Math.max(maxPsi, evaluation.maxPsi());
      driftingFeatures = Math.max(driftingFeatures, evaluation.driftingFeatures());
      featureGauges.show(window.segment, time.getEnd(), evaluation.features());
      if (window.segment.equals(Segmenter.ALL) && estimated != null) {
        latestEstimate = estimated;
      }
    }
    out.collect(evaluation.toReport(Instant.ofEpochMilli(time.getStart()), Instant.ofEpochMilli(time.getEnd()),
        window.segment, window.modelVersion, window.shadow, estimated, Instant.now()));
  }
}
