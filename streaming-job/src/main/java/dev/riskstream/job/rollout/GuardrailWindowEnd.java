package dev.riskstream.job.rollout;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** A closed guardrail window's counts, stamped with the window's end, as evidence for the rollout. */
public final class GuardrailWindowEnd
    extends ProcessWindowFunction<GuardrailCounts, RolloutSignal, String, TimeWindow> {

  @Override
  public void process(String candidate, Context context, Iterable<GuardrailCounts> counted,
      Collector<RolloutSignal> out) {
    for (GuardrailCounts counts : counted) {
      counts.windowEnd = context.window().getEnd();
      out.collect(RolloutSignal.of(counts));
    }
  }
}
