package dev.riskstream.job.operators;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.JointDrift;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * The decisions of the retraining trigger, per model version (the key), for {@link RetrainTrigger}
 * and {@link RetrainTriggerWithPerformance}: reports are turned into verdicts of their windows,
 * windows are judged on event-time timers, each kind keeps its own run of failing windows, and the
 * cooldown and warm-up are shared. A window is judged at an event time {@code judgedAt}: its timer
 * fires at {@code judgedAt - 1}.
 *
 * <p>The cooldown is shared so that a version gets at most one request per cooldown: a retraining
 * answers both reasons, and a fall in performance usually comes with the drift that caused it.
 */
final class RetrainJudge {

  /** Enough to show which features and segments moved without flooding the request. */
  private static final int MAX_EVIDENCE = 50;

  private final RetrainPolicy policy;
  private final PerformanceFloors floors;
  private final FailingRun drift;
  private final FailingRun estimated;
  private final FailingRun performance;
  private final ValueState<Long> lastRequestJudgedAt;
  private final ValueState<Long> firstWindowEnd;
  private final Counter lateDriftReports;
  private final Counter latePerformanceReports;
  private final Counter requests;

  /** @param floors null: drift only */
  RetrainJudge(RetrainPolicy policy, PerformanceFloors floors, RuntimeContext context) {
    this.policy = policy;
    this.floors = floors;
    drift = new FailingRun(context, PipelineState.driftWindowsToJudge(), PipelineState.driftStreakEvidence(),
        PipelineState.driftStreak());
    estimated = policy.estimatedFloors() == null ? null : new FailingRun(context,
        PipelineState.estimatedWindowsToJudge(), PipelineState.estimatedStreakEvidence(),
        PipelineState.estimatedStreak());
    performance = floors == null ? null : new FailingRun(context, PipelineState.performanceWindowsToJudge(),
        PipelineState.performanceStreakEvidence(), PipelineState.performanceStreak());
    lastRequestJudgedAt = context.getState(PipelineState.lastRetrainRequest());
    firstWindowEnd = context.getState(PipelineState.firstJudgedWindowEnd());
    var metrics = context.getMetricGroup().addGroup("monitoring");
    lateDriftReports = metrics.counter("lateDriftReports");
    latePerformanceReports = metrics.counter("latePerformanceReports");
    requests = metrics.counter("retrainRequests");
  }

  /**
   * A drift window is judged when the watermark passes its end: the window operator emits all
   * segments' reports of a window before it forwards that watermark, so by then they have all arrived.
   */
  void drift(DriftReport report, TimerService timers) throws Exception {
    if (report.getShadow()) {
      // how a candidate in shadow sees the traffic: it decides nothing, so there is nothing to retrain
      return;
    }
    long windowEnd = report.getWindowEnd().toEpochMilli();
    if (windowEnd - 1 <= timers.currentWatermark()) {
      lateDriftReports.inc(); // its window has been judged; counted so that a gap shows
      return;
    }
    if (inWarmUp(report.getWindowStart(), report.getWindowEnd())) {
      return;
    }
    timers.registerEventTimeTimer(windowEnd - 1);
    if (report.getStatus() == DriftStatus.STABLE) {
      drift.add(windowEnd, List.of());
    } else if (report.getStatus() == DriftStatus.DRIFTING) {
      drift.add(windowEnd, driftEvidence(report));
    }
    if (estimated != null) {
      Optional<List<RetrainEvidence>> verdict = policy.estimatedFloors().estimatedEvidence(report);
      if (verdict.isPresent()) {
        estimated.add(windowEnd, verdict.get());
      }
    }
  }

  private List<RetrainEvidence> driftEvidence(DriftReport report) {
    List<RetrainEvidence> evidence = new ArrayList<>();
    for (FeatureDrift feature : report.getFeatures()) {
      if (feature.getDrifting()) {
        addEvidence(evidence, report, feature);
      }
    }
    JointDrift joint = report.getJoint();
    if (joint != null && joint.getDrifting()) {
      evidence.add(evidence(report, "joint", "reconstruction_error", joint.getReconstructionError(),
          joint.getThreshold()));
    }
    if (evidence.isEmpty()) { // drifting without a named feature still marks the window
      evidence.add(evidence(report, "max", "psi", report.getMaxPsi(), policy.thresholds().psi()));
    }
    return evidence;
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

  /**
   * A performance window is judged at its report's timestamp, the watermark that closed it upstream
   * (its end plus labels.wait): every segment's report arrives before that watermark, and drift
   * windows judged meanwhile come before it in event time, so a replay interleaves the two kinds the
   * same way. As for drift, the window fails if any segment with a verdict is below a floor, passes if
   * all of them pass, and has no verdict if no segment had enough labels.
   */
  void performance(PerformanceReport report, long timestamp, TimerService timers) throws Exception {
    if (timestamp <= timers.currentWatermark()) {
      latePerformanceReports.inc();
      return;
    }
    if (report.getShadowLabelled() > 0 && report.getShadowLabelled() == report.getLabelled()) {
      // a version in shadow decided nothing yet: nothing to retrain, and its warm-up has not begun
      return;
    }
    if (inWarmUp(report.getWindowStart(), report.getWindowEnd())) {
      return;
    }
    Optional<List<RetrainEvidence>> verdict = floors.evidence(report);
    if (verdict.isPresent()) {
      timers.registerEventTimeTimer(timestamp);
      performance.add(timestamp + 1, verdict.get());
    }
  }

  /**
   * Windows that end within the warm-up after the end of a version's first window do not count. From
   * its end, not its start: windows are aligned to the clock, so the first one holds whatever part of
   * it the job happened to see, and the warm-up must be whole.
   */
  private boolean inWarmUp(Instant windowStart, Instant windowEnd) throws Exception {
    if (firstWindowEnd.value() == null || windowEnd.toEpochMilli() < firstWindowEnd.value()) {
      firstWindowEnd.update(windowEnd.toEpochMilli());
    }
    return windowEnd.toEpochMilli() <= firstWindowEnd.value() + policy.warmUp().toMillis();
  }

  /**
   * Judges the windows due at the timer: drift, then estimated, then realised performance, so that
   * the order is the same in a replay.
   */
  void judge(long timer, String modelVersion, Collector<RetrainRequest> out) throws Exception {
    long judgedAt = timer + 1;
    decide(drift, RetrainReason.DRIFT, judgedAt, modelVersion, out);
    if (estimated != null) {
      decide(estimated, RetrainReason.ESTIMATED_PERFORMANCE, judgedAt, modelVersion, out);
    }
    if (performance != null) {
      decide(performance, RetrainReason.PERFORMANCE, judgedAt, modelVersion, out);
    }
  }

  private void decide(FailingRun run, RetrainReason reason, long judgedAt, String modelVersion,
      Collector<RetrainRequest> out) throws Exception {
    int failing = run.judge(judgedAt);
    Long last = lastRequestJudgedAt.value();
    boolean cooledDown = last == null || judgedAt - last >= policy.cooldown().toMillis();
    if (failing >= policy.consecutiveWindows() && cooledDown) {
      out.collect(request(modelVersion, reason, failing, run.evidence()));
      requests.inc();
      lastRequestJudgedAt.update(judgedAt);
      run.end();
    }
  }

  private static String idSuffix(RetrainReason reason) {
    return switch (reason) {
      case DRIFT -> "";
      case ESTIMATED_PERFORMANCE -> "/estimated-performance";
      default -> "/performance";
    };
  }

  private static RetrainRequest request(String modelVersion, RetrainReason reason, int failing,
      List<RetrainEvidence> evidence) {
    Instant decidingWindowEnd = evidence.stream().map(RetrainEvidence::getWindowEnd).max(Comparator.naturalOrder())
        .orElseThrow();
    Comparator<RetrainEvidence> byRatio =
        Comparator.comparingDouble(e -> e.getValue() / Math.max(e.getThreshold(), 1e-12));
    // strongest drift first; performance furthest below its floor first
    evidence.sort(reason == RetrainReason.DRIFT ? byRatio.reversed() : byRatio);
    return RetrainRequest.newBuilder()
        // windows of each kind can end together; the suffix keeps their ids apart
        .setRequestId(modelVersion + "@" + decidingWindowEnd + idSuffix(reason))
        .setModelVersion(modelVersion)
        .setReason(reason)
        .setConsecutiveWindows(failing)
        .setEvidence(evidence.subList(0, Math.min(MAX_EVIDENCE, evidence.size())))
        .setRequestedAt(Instant.now())
        .build();
  }
}
