package dev.riskstream.sql.onnx;

import ai.onnxruntime.OrtException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/**
 * ML_PREDICT in sync mode: each row scored alone, on the task thread.
 * Public: the planner's generated code, in a class loader of its own, instantiates it.
 */
public final class OnnxPredictFunction extends PredictFunction {

  private static final long serialVersionUID = 1L;

  private final OnnxModelSpec spec;
  private transient LoadedModel model;
  private transient LoadedModel.Buffers buffers;
  private transient ScoringMetrics metrics;

  OnnxPredictFunction(OnnxModelSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    model = SharedModels.acquire(spec);
    buffers = model.newBuffers(1);
    metrics = ScoringMetrics.register(context.getMetricGroup());
  }

  @Override
  public Collection<RowData> predict(RowData row) {
    spec.columns().write(row, buffers.features(), 0);
    try {
      model.score(buffers, 1);
    } catch (OrtException e) {
      throw new ModelRefusedRowException(spec.model(), buffers.features(), e);
    }
    metrics.batch(1);
    return List.of(outputRow(spec, buffers.scores()[0]));
  }

  /** The OUTPUT row: the fraud probability, as FLOAT or DOUBLE as the model declares it. */
  static RowData outputRow(OnnxModelSpec spec, double score) {
    return GenericRowData.of(spec.floatOutput() ? (Object) (float) score : (Object) score);
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model = null;
      SharedModels.release(spec);
    }
  }
}
