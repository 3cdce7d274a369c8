package dev.riskstream.job.operators;

import dev.riskstream.job.batch.BacktestRow;
import dev.riskstream.schemas.FraudLabel;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins a backtest's rows with their labels by transaction id, in batch execution: a key's records
 * all arrive before its timers fire, so the timer emits the row with the latest label it got, or
 * with none. A label without a row (a transaction outside the backtest's range) is dropped.
 */
public final class LabelBacktestRows extends KeyedCoProcessFunction<String, BacktestRow, FraudLabel, BacktestRow> {

  private transient ValueState<BacktestRow> row;
  private transient ValueState<FraudLabel> label;

  @Override
  public void open(OpenContext openContext) {
    row = getRuntimeContext().getState(new ValueStateDescriptor<>("backtest-row", BacktestRow.class));
    label = getRuntimeContext().getState(
        new ValueStateDescriptor<>("backtest-label", new AvroTypeInfo<>(FraudLabel.class)));
  }

  @Override
  public void processElement1(BacktestRow value, Context ctx, Collector<BacktestRow> out) throws Exception {
    row.update(value);
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void processElement2(FraudLabel value, Context ctx, Collector<BacktestRow> out) throws Exception {
    FraudLabel known = label.value();
    if (known == null || !value.getLabelledAt().isBefore(known.getLabelledAt())) {
      label.update(value);
    }
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<BacktestRow> out) throws Exception {
    BacktestRow joined = row.value();
    if (joined != null) {
      FraudLabel known = label.value();
      joined.fraud = known == null ? null : known.getIsFraud();
      out.collect(joined);
    }
    row.clear();
    label.clear();
  }
}
