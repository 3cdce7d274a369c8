package dev.riskstream.job.operators;

import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.ParsedTransaction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Valid transactions on, the dead letters of parsing to the side output, counted as every operator's
 * dead letters are ({@link DeadLetters}): parsing itself runs in the source, which has no side output.
 */
public final class SplitRejected extends ProcessFunction<ParseResult, ParsedTransaction> {

  private transient DeadLetters deadLetters;

  @Override
  public void open(OpenContext openContext) {
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(ParseResult parsed, Context ctx, Collector<ParsedTransaction> out) {
    if (parsed.rejected != null) {
      ctx.output(DeadLetters.TAG, deadLetters.counted(parsed.rejected));
    } else {
      out.collect(parsed.valid);
    }
  }
}
