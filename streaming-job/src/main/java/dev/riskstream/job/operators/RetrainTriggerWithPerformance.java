package dev.riskstream.job.operators;

import dev.riskstream.job.monitoring.PerformanceFloors;
import dev.riskstream.job.monitoring.RetrainPolicy;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@link RetrainTrigger} of drift reports, and beside it, per model version, realised
 * performance judged across segments as drift is: a performance window fails when any segment
 * with enough labels has a measure below its floor ({@link PerformanceFloors}); after
 * {@link RetrainPolicy#consecutiveWindows} failing windows in a row it requests retraining with
 * reason PERFORMANCE and the segments' measures as evidence. A window that passes in every judged
 * segment resets the run; one where no segment has enough labels neither counts nor resets. Drift
 * and performance keep separate runs and share the warm-up and the cooldown.
 *
 * <p>Performance reports must carry the timestamp of the watermark that closed their window, as
 * {@link PerformanceWindows} emits them: the window is judged when that watermark arrives, once all
 * its segments' reports are in.
 */
public final class RetrainTriggerWithPerformance
    extends KeyedCoProcessFunction<String, DriftReport, PerformanceReport, RetrainRequest> {

  private final RetrainPolicy policy;
  private final PerformanceFloors floors;
  private transient RetrainJudge judge;

  public RetrainTriggerWithPerformance(RetrainPolicy policy, PerformanceFloors floors) {
    this.policy = policy;
    this.floors = floors;
  }

  @Override
  public void open(OpenContext openContext) {
    judge = new RetrainJudge(policy, floors, getRuntimeContext());
  }

  @Override
  public void processElement1(DriftReport report, Context ctx, Collector<RetrainRequest> out) throws Exception {
    judge.drift(report, ctx.timerService());
  }

  @Override
  public void processElement2(PerformanceReport report, Context ctx, Collector<RetrainRequest> out)
      throws Exception {
    judge.performance(report, ctx.timestamp(), ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainRequest> out) throws Exception {
    judge.judge(timestamp, ctx.getCurrentKey(), out);
  }
}
