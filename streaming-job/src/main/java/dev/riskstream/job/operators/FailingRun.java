package dev.riskstream.job.operators;

import dev.riskstream.schemas.RetrainEvidence;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * One kind of monitoring window (drift, estimated or realised performance) in keyed state, per model version: the verdicts
 * of the windows the watermark has not passed yet, by the event time they are judged at, and the
 * current run of failing windows with their evidence.
 */
final class FailingRun {

  private final MapState<Long, List<RetrainEvidence>> windowsToJudge;
  private final ListState<RetrainEvidence> runEvidence;
  private final ValueState<Integer> length;

  FailingRun(RuntimeContext context, MapStateDescriptor<Long, List<RetrainEvidence>> windowsToJudge,
      ListStateDescriptor<RetrainEvidence> runEvidence, ValueStateDescriptor<Integer> length) {
    this.windowsToJudge = context.getMapState(windowsToJudge);
    this.runEvidence = context.getListState(runEvidence);
    this.length = context.getState(length);
  }

  /** Adds one report's verdict to its window's: without evidence it passes, with some the window fails. */
  void add(long judgedAt, List<RetrainEvidence> evidence) throws Exception {
    List<RetrainEvidence> window = windowsToJudge.get(judgedAt);
    if (window == null) {
      window = new ArrayList<>();
    }
    window.addAll(evidence);
    windowsToJudge.put(judgedAt, window);
  }

  /**
   * Judges the window: returns the length of the failing run it extends, or 0 when it fails nothing;
   * a passing window ends the run, a window without a verdict leaves it as it is.
   */
  int judge(long judgedAt) throws Exception {
    List<RetrainEvidence> evidence = windowsToJudge.get(judgedAt);
    if (evidence == null) {
      return 0;
    }
    windowsToJudge.remove(judgedAt);
    if (evidence.isEmpty()) {
      end();
      return 0;
    }
    int failing = (length.value() == null ? 0 : length.value()) + 1;
    length.update(failing);
    runEvidence.addAll(evidence);
    return failing;
  }

  List<RetrainEvidence> evidence() throws Exception {
    List<RetrainEvidence> evidence = new ArrayList<>();
    runEvidence.get().forEach(evidence::add);
    return evidence;
  }

  void end() {
    length.clear();
    runEvidence.clear();
  }
}
