package dev.riskstream.job.operators;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.PerformanceCounts;
import dev.riskstream.schemas.PerformanceReport;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Realised performance per model version (the key) in tumbling windows of decision event time. A
 * window is reported once the watermark passes its end plus {@code wait}, the time its decisions'
 * labels are given to arrive; a labelled decision of a window already reported counts in
 * {@code labels.late} and changes no report. Counts live in keyed state until the report, so a
 * restart neither loses nor repeats them.
 *
 * <p>Windows are kept here rather than in a Flink window because they are windows of the decision's
 * event time, which a labelled decision does not carry as its record timestamp (a pair made when
 * the label arrives is stamped with the label's time), and because a late pair must be counted.
 * Decisions carry no channel or country, so the only segment is {@value #ALL_DECISIONS}.
 */
public final class PerformanceWindows extends KeyedProcessFunction<String, LabelledDecision, PerformanceReport> {

  public static final String ALL_DECISIONS = "all";

  private final long windowMillis;
  private final long waitMillis;
  private transient MapState<Long, PerformanceCounts> windows;
  private transient Counter late;

  public PerformanceWindows(Duration window, Duration wait) {
    this.windowMillis = window.toMillis();
    this.waitMillis = wait.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    windows = getRuntimeContext().getMapState(PipelineState.performanceWindows());
    late = getRuntimeContext().getMetricGroup().addGroup(LabelJoin.METRIC_GROUP).counter("late");
  }

  @Override
  public void processElement(LabelledDecision decision, Context ctx, Collector<PerformanceReport> out)
      throws Exception {
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
    counts.add(decision.score, decision.outcome, decision.fraud);
    windows.put(start, counts);
    ctx.timerService().registerEventTimeTimer(reportTime);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PerformanceReport> out) throws Exception {
    long start = timestamp - waitMillis - windowMillis + 1;
    PerformanceCounts counts = windows.get(start);
    windows.remove(start);
    out.collect(PerformanceReport.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(start + windowMillis))
        .setSegment(ALL_DECISIONS)
        .setModelVersion(ctx.getCurrentKey())
        .setLabelled(counts.labelled())
        .setFrauds(counts.frauds())
        .setReviewPrecision(counts.reviewPrecision())
        .setReviewRecall(counts.reviewRecall())
        .setDeclinePrecision(counts.declinePrecision())
        .setDeclineRecall(counts.declineRecall())
        .setRocAuc(counts.rocAuc())
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
