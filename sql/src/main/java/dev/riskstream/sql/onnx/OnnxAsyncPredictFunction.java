package dev.riskstream.sql.onnx;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * ML_PREDICT in async mode: rows micro-batched per subtask ({@link MicroBatcher}).
 * Public: the planner's generated code, in a class loader of its own, instantiates it.
 */
public final class OnnxAsyncPredictFunction extends AsyncPredictFunction {

  private static final long serialVersionUID = 1L;

  private final OnnxModelSpec spec;
  private transient MicroBatcher batcher;
  private transient boolean acquired;

  OnnxAsyncPredictFunction(OnnxModelSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    LoadedModel model = SharedModels.acquire(spec);
    acquired = true;
    batcher = new MicroBatcher(spec, model, ScoringMetrics.register(context.getMetricGroup()),
        "onnx-batcher-" + spec.model() + "-" + context.getTaskInfo().getIndexOfThisSubtask());
  }

  @Override
  public CompletableFuture<Collection<RowData>> asyncPredict(RowData row) {
    CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
    float[] modelColumns = new float[spec.columns().width()];
    try {
      spec.columns().write(row, modelColumns, 0);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    batcher.submit(modelColumns, result);
    return result;
  }

  @Override
  public void close() throws Exception {
    if (batcher != null) {
      batcher.close();
      batcher = null;
    }
    if (acquired) {
      acquired = false;
      SharedModels.release(spec);
    }
  }
}
