package dev.riskstream.job.operators;

import dev.riskstream.features.estimation.PerformanceEstimator;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.monitoring.ModelMonitors;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.PerformanceCounts;
import dev.riskstream.schemas.PerformanceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Realised performance per model version and segment (the key, {@link #keyOf}) in tumbling windows
 * of decision event time: one report per window, version and segment with labelled decisions. A
 * window is reported once the watermark passes its end plus {@code wait}, the time its decisions'
 * labels are given to arrive; a labelled decision of a window already reported counts in
 * {@code labels.late} and changes no report. Counts live in keyed state until the report, so a
 * restart neither loses nor repeats them.
 *
 * <p>Windows are kept here rather than in a Flink window because they are windows of the decision's
 * event time, which a labelled decision does not carry as its record timestamp (a pair made when
 * the label arrives is stamped with the label's time), and because a late pair must be counted.
 * Every report of a window is emitted before the watermark that closed it goes on, so downstream a
 * window has all its segments' reports once that watermark arrives.
 *
 * <p>Beside the realised figures each report carries what the same decisions' performance was
 * estimated to be from their scores alone (when the version's bundle has a calibration): the
 * estimation's error, measured.
 */
public final class PerformanceWindows
    extends KeyedProcessFunction<Tuple2<String, String>, LabelledDecision, PerformanceReport> {

  /** The type of {@link #keyOf}. */
  public static final TypeInformation<Tuple2<String, String>> KEY_TYPE = Types.TUPLE(Types.STRING, Types.STRING);

  private final ModelMonitors monitors;
  private final long windowMillis;
  private final long waitMillis;
  private transient MapState<Long, PerformanceCounts> windows;
  private transient Counter late;

  /** @param monitors for the performance estimator of each version, to report estimated beside realised */
  public PerformanceWindows(ModelMonitors monitors, Duration window, Duration wait) {
    this.monitors = monitors;
    this.windowMillis = window.toMillis();
    this.waitMillis = wait.toMillis();
  }

  /** Model version and segment: one segment's counts of one version stay together. */
  public static Tuple2<String, String> keyOf(LabelledDecision decision) {
    return Tuple2.of(decision.modelVersion, decision.segment);
  }

  @Override
  public void open(OpenContext openContext) {
    windows = getRuntimeContext().getMapState(PipelineState.performanceWindows());
    late = getRuntimeContext().getMetricGroup().addGroup(LabelJoin.METRIC_GROUP).counter("late");
  }

  @Override
  public void processElement(LabelledDecision decision, Context ctx, Collector<PerformanceReport> out)
      throws Exception {
    if (!decision.isRuleHit() && Double.isNaN(decision.score)) {
      // the model gave no score: the decision says nothing of how well it ranks fraud
      return;
    }
    long start = decision.decisionTime - Math.floorMod(decision.decisionTime, windowMillis);
    long reportTime = reportTime(start);
    if (reportTime <= ctx.timerService().currentWatermark()) {
      late.inc();
      return;
    }
    PerformanceCounts counts = windows.get(start);
    if (counts == null) {
      counts = new PerformanceCounts();
    }
    counts.add(decision);
    if (!decision.isRuleHit()) {
      estimate(counts, decision);
    }
    windows.put(start, counts);
    ctx.timerService().registerEventTimeTimer(reportTime);
  }

  private void estimate(PerformanceCounts counts, LabelledDecision decision) {
    Optional<PerformanceEstimator> estimator = monitors.estimatorOf(decision.modelVersion);
    if (estimator.isPresent()) {
      if (counts.expected == null) {
        counts.expected = estimator.get().newCounts();
      }
      estimator.get().add(counts.expected, decision.score);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PerformanceReport> out) throws Exception {
    long start = timestamp - waitMillis - windowMillis + 1;
    PerformanceCounts counts = windows.get(start);
    windows.remove(start);
    out.collect(PerformanceReport.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(start + windowMillis))
        .setSegment(ctx.getCurrentKey().f1)
        .setModelVersion(ctx.getCurrentKey().f0)
        .setLabelled(counts.labelled())
        .setFrauds(counts.frauds())
        .setReviewPrecision(counts.reviewPrecision())
        .setReviewRecall(counts.reviewRecall())
        .setDeclinePrecision(counts.declinePrecision())
        .setDeclineRecall(counts.declineRecall())
        .setRocAuc(counts.rocAuc())
        .setShadowLabelled(counts.shadowLabelled)
        .setOutcomeAgreements(counts.shadowLabelled == 0 ? null : counts.outcomeAgreements)
        .setRules(counts.rulePerformance())
        .setEstimated(counts.expected == null ? null
            : monitors.estimatorOf(ctx.getCurrentKey().f0).orElseThrow().estimate(counts.expected))
        .setReportedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
        .build());
  }

  /** The last millisecond of the window plus the wait: the watermark that closes it. */
  private long reportTime(long windowStart) {
    return windowStart + windowMillis - 1 + waitMillis;
  }

  /** For tests: the metric's count. */
  long lateCount() {
    return late.getCount();
  }
}
