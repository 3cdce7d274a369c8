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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The second half of drift monitoring: judges one segment's merged window counts against the
 * reference of the model version that scored them, and reports, with the window's performance
 * estimated from its scores. The gauges {@code maxPsi} and
 * {@code driftingFeatures} show the latest judged window of this subtask's segments, and
 * {@link FeatureDriftGauges} the PSI of each feature in each segment's latest window; {@code
 * estimatedRocAuc}, {@code estimatedReviewPrecision} and {@code estimatedReviewRecall}, labelled with
 * the version, each deciding version's estimate for the segment all in its latest window this subtask
 * reported: under a canary rollout two versions decide at once, each on its own cards.
 */
public final class DriftReportBuilder extends ProcessWindowFunction<DriftPartial, DriftReport, String, TimeWindow> {

  private final ModelMonitors monitors;
  private transient long latestWindowEnd;
  private transient double maxPsi;
  private transient int driftingFeatures;
  private transient FeatureDriftGauges featureGauges;
  private transient MetricGroup metrics;
  private transient Map<String, EstimatedPerformance> latestEstimates;

  public DriftReportBuilder(ModelMonitors monitors) {
    this.monitors = monitors;
  }

  /** Merges partial counts; they all come from one model version, so they share one layout. */
  public static ReduceFunction<DriftPartial> merge() {
    return DriftPartial::merge;
  }

  @Override
  public void open(OpenContext openContext) {
    metrics = getRuntimeContext().getMetricGroup().addGroup("monitoring");
    metrics.gauge("maxPsi", () -> maxPsi);
    metrics.gauge("driftingFeatures", () -> driftingFeatures);
    featureGauges = new FeatureDriftGauges(metrics);
    // read by the metrics reporter's thread while windows fire
    latestEstimates = new ConcurrentHashMap<>();
  }

  /** The version's latest estimate of the segment all; its gauges from the first. */
  private void showEstimate(String version, EstimatedPerformance estimated) {
    if (latestEstimates.put(version, estimated) == null) {
      MetricGroup ofVersion = metrics.addGroup(ScorerMetrics.VERSION_KEY, version);
      ofVersion.gauge("estimatedRocAuc", () -> estimated(version, EstimatedPerformance::getRocAuc));
      ofVersion.gauge("estimatedReviewPrecision", () -> estimated(version, EstimatedPerformance::getReviewPrecision));
      ofVersion.gauge("estimatedReviewRecall", () -> estimated(version, EstimatedPerformance::getReviewRecall));
    }
  }

  /** NaN when the estimate lacks the figure. */
  private double estimated(String version, Function<EstimatedPerformance, Double> figure) {
    Double value = figure.apply(latestEstimates.get(version));
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
        showEstimate(window.modelVersion, estimated);
      }
    }
    out.collect(evaluation.toReport(Instant.ofEpochMilli(time.getStart()), Instant.ofEpochMilli(time.getEnd()),
        window.segment, window.modelVersion, window.shadow, estimated, Instant.now()));
  }
}
