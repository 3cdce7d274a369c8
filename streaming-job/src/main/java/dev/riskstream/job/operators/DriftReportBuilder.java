package dev.riskstream.job.operators;

import dev.riskstream.features.drift.DriftEvaluation;
import dev.riskstream.features.drift.WindowCounts;
import dev.riskstream.job.monitoring.DriftEvaluators;
import dev.riskstream.job.monitoring.DriftPartial;
import dev.riskstream.job.monitoring.FeatureDriftGauges;
import dev.riskstream.schemas.DriftReport;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The second half of drift monitoring: judges one segment's merged window counts against the
 * reference of the model version that scored them, and reports. The gauges {@code maxPsi} and
 * {@code driftingFeatures} show the latest judged window of this subtask's segments, and
 * {@link FeatureDriftGauges} the PSI of each feature in each segment's latest window.
 */
public final class DriftReportBuilder extends ProcessWindowFunction<DriftPartial, DriftReport, String, TimeWindow> {

  private final DriftEvaluators evaluators;
  private transient long latestWindowEnd;
  private transient double maxPsi;
  private transient int driftingFeatures;
  private transient FeatureDriftGauges featureGauges;

  public DriftReportBuilder(DriftEvaluators evaluators) {
    this.evaluators = evaluators;
  }

  /** Merges partial counts; they all come from one model version, so they share one layout. */
  public static ReduceFunction<DriftPartial> merge() {
    return (a, b) -> {
      a.counts.merge(b.counts);
      return a;
    };
  }

  @Override
  public void open(OpenContext openContext) {
    var metrics = getRuntimeContext().getMetricGroup().addGroup("monitoring");
    metrics.gauge("maxPsi", () -> maxPsi);
    metrics.gauge("driftingFeatures", () -> driftingFeatures);
    featureGauges = new FeatureDriftGauges(metrics);
  }

  @Override
  public void process(String key, Context context, Iterable<DriftPartial> merged, Collector<DriftReport> out) {
    DriftPartial window = merged.iterator().next();
    WindowCounts counts = window.counts;
    DriftEvaluation evaluation = evaluators.of(window.modelVersion).orElseThrow().evaluate(window.segment, counts);
    TimeWindow time = context.window();
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
    }
    out.collect(evaluation.toReport(Instant.ofEpochMilli(time.getStart()), Instant.ofEpochMilli(time.getEnd()),
        window.segment, window.modelVersion, window.shadow, Instant.now()));
  }
}
