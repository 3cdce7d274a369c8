package dev.riskstream.job.operators;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model version: turns drift reports into retraining requests, with hysteresis. A window counts
 * as drifting when any segment's report for it is DRIFTING, as stable when every judged report is
 * STABLE; windows with too few events neither count nor reset. After
 * {@link RetrainPolicy#consecutiveWindows} drifting windows in a row it emits one request with the
 * evidence of those windows, then waits at least {@link RetrainPolicy#cooldown} of event time before
 * the next. Windows that end within {@link RetrainPolicy#warmUp} of the first window a version is
 * judged in do not count: the job's per-card state is still filling.
 *
 * <p>A window is judged when the watermark passes its end: the window operator emits all segments'
 * reports of a window before it forwards that watermark, so by then they have all arrived. Everything
 * runs on event time and keyed state, so a replay after recovery makes the same decisions.
 */
public final class RetrainTrigger extends KeyedProcessFunction<String, DriftReport, RetrainRequest> {

  /** Enough to show which features and segments moved without flooding the request. */
  static final int MAX_EVIDENCE = 50;

  private final RetrainPolicy policy;

  private transient MapState<Long, List<RetrainEvidence>> windows;
  private transient ListState<RetrainEvidence> streakEvidence;
  private transient ValueState<Integer> streak;
  private transient ValueState<Long> lastRequestWindowEnd;
  private transient ValueState<Long> firstWindowStart;
  private transient Counter lateReports;
  private transient Counter requests;

  public RetrainTrigger(RetrainPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void open(OpenContext openContext) {
    windows = getRuntimeContext().getMapState(PipelineState.driftWindowsToJudge());
    streakEvidence = getRuntimeContext().getListState(PipelineState.driftStreakEvidence());
    streak = getRuntimeContext().getState(PipelineState.driftStreak());
    lastRequestWindowEnd = getRuntimeContext().getState(PipelineState.lastRetrainRequest());
    firstWindowStart = getRuntimeContext().getState(PipelineState.firstJudgedWindow());
    var metrics = getRuntimeContext().getMetricGroup().addGroup("monitoring");
    lateReports = metrics.counter("lateDriftReports");
    requests = metrics.counter("retrainRequests");
  }

  @Override
  public void processElement(DriftReport report, Context ctx, Collector<RetrainRequest> out) throws Exception {
    long windowEnd = report.getWindowEnd().toEpochMilli();
    if (windowEnd - 1 <= ctx.timerService().currentWatermark()) {
      lateReports.inc(); // its window has been judged; counted so that a gap shows
      return;
    }
    if (firstWindowStart.value() == null || report.getWindowStart().toEpochMilli() < firstWindowStart.value()) {
      firstWindowStart.update(report.getWindowStart().toEpochMilli());
    }
    if (windowEnd <= firstWindowStart.value() + policy.warmUp().toMillis()) {
      return;
    }
    if (report.getStatus() != DriftStatus.STABLE && report.getStatus() != DriftStatus.DRIFTING) {
      ctx.timerService().registerEventTimeTimer(windowEnd - 1);
      return;
    }
    List<RetrainEvidence> evidence = windows.get(windowEnd);
    if (evidence == null) {
      evidence = new ArrayList<>();
      ctx.timerService().registerEventTimeTimer(windowEnd - 1);
    }
    if (report.getStatus() == DriftStatus.DRIFTING) {
      for (FeatureDrift feature : report.getFeatures()) {
        if (feature.getDrifting()) {
          addEvidence(evidence, report, feature);
        }
      }
      if (evidence.isEmpty()) { // drifting without a named feature still marks the window
        evidence.add(evidence(report, "max", "psi", report.getMaxPsi(), policy.thresholds().psi()));
      }
    }
    windows.put(windowEnd, evidence);
  }

  private void addEvidence(List<RetrainEvidence> evidence, DriftReport report, FeatureDrift feature) {
    String name = feature.getName();
    if (feature.getPsi() > policy.thresholds().psi()) {
      evidence.add(evidence(report, name, "psi", feature.getPsi(), policy.thresholds().psi()));
    }
    if (feature.getSecondStatistic() > policy.thresholds().secondStatistic()) {
      evidence.add(evidence(report, name, "second_statistic", feature.getSecondStatistic(),
          policy.thresholds().secondStatistic()));
    }
    if (feature.getUnseenRate() > policy.thresholds().unseenRate()) {
      evidence.add(evidence(report, name, "unseen_rate", feature.getUnseenRate(), policy.thresholds().unseenRate()));
    }
  }

  private static RetrainEvidence evidence(DriftReport report, String feature, String statistic, double value,
      double threshold) {
    return RetrainEvidence.newBuilder()
        .setWindowStart(report.getWindowStart())
        .setWindowEnd(report.getWindowEnd())
        .setSegment(report.getSegment())
        .setFeature(feature)
        .setStatistic(statistic)
        .setValue(value)
        .setThreshold(threshold)
        .build();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainRequest> out) throws Exception {
    long windowEnd = timestamp + 1;
    List<RetrainEvidence> evidence = windows.get(windowEnd);
    windows.remove(windowEnd);
    if (evidence == null) {
      return; // only windows with too few events: no verdict either way
    }
    if (evidence.isEmpty()) {
      streak.clear();
      streakEvidence.clear();
      return;
    }
    int drifting = (streak.value() == null ? 0 : streak.value()) + 1;
    streak.update(drifting);
    streakEvidence.addAll(evidence);
    Long last = lastRequestWindowEnd.value();
    boolean cooledDown = last == null || windowEnd - last >= policy.cooldown().toMillis();
    if (drifting >= policy.consecutiveWindows() && cooledDown) {
      out.collect(request(ctx.getCurrentKey(), windowEnd, drifting));
      requests.inc();
      lastRequestWindowEnd.update(windowEnd);
      streak.clear();
      streakEvidence.clear();
    }
  }

  private RetrainRequest request(String modelVersion, long windowEnd, int drifting) throws Exception {
    List<RetrainEvidence> evidence = new ArrayList<>();
    streakEvidence.get().forEach(evidence::add);
    evidence.sort(Comparator.comparingDouble((RetrainEvidence e) -> e.getValue() / Math.max(e.getThreshold(), 1e-12))
        .reversed());
    return RetrainRequest.newBuilder()
        .setRequestId(modelVersion + "@" + Instant.ofEpochMilli(windowEnd))
        .setModelVersion(modelVersion)
        .setReason(RetrainReason.DRIFT)
        .setConsecutiveWindows(drifting)
        .setEvidence(evidence.subList(0, Math.min(MAX_EVIDENCE, evidence.size())))
        .setRequestedAt(Instant.now())
        .build();
  }
}
