package dev.riskstream.job.operators;

import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.RetrainRequest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model version: turns drift reports into retraining requests, with hysteresis. A window counts
 * as drifting when any segment's report for it is DRIFTING, as stable when every judged report is
 * STABLE; windows with too few events neither count nor reset. After
 * {@link RetrainPolicy#consecutiveWindows} drifting windows in a row it emits one request with the
 * evidence of those windows, then waits at least {@link RetrainPolicy#cooldown} of event time before
 * the next. Windows that end within {@link RetrainPolicy#warmUp} of the end of the first window a version is
 * judged in do not count: the job's per-card state is still filling.
 *
 * <p>Everything runs on event time and keyed state, so a replay after recovery makes the same
 * decisions. With labels, the job uses {@link RetrainTriggerWithPerformance} instead, under the same
 * uid and state.
 */
public final class RetrainTrigger extends KeyedProcessFunction<String, DriftReport, RetrainRequest> {

  private final RetrainPolicy policy;
  private transient RetrainJudge judge;

  public RetrainTrigger(RetrainPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void open(OpenContext openContext) {
    judge = new RetrainJudge(policy, null, getRuntimeContext());
  }

  @Override
  public void processElement(DriftReport report, Context ctx, Collector<RetrainRequest> out) throws Exception {
    judge.drift(report, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainRequest> out) throws Exception {
    judge.judge(timestamp, ctx.getCurrentKey(), out);
  }
}
