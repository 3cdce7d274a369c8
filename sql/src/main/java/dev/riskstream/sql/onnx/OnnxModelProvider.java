package dev.riskstream.sql.onnx;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * Both modes of ML_PREDICT: sync scores each row alone on the task thread; async (the planner's
 * choice unless the query's config says {@code 'async' = 'false'}) micro-batches them.
 */
final class OnnxModelProvider implements PredictRuntimeProvider, AsyncPredictRuntimeProvider {

  /** ML_PREDICT's own per-query setting, in the config MAP of the call. */
  static final ConfigOption<Integer> MAX_CONCURRENT_OPERATIONS =
      key("max-concurrent-operations").intType().noDefaultValue();

  private final OnnxModelSpec spec;

  /** @param spec with {@code maxRowsInFlight} as the session's table config has it */
  OnnxModelProvider(OnnxModelSpec spec) {
    this.spec = spec;
  }

  @Override
  public PredictFunction createPredictFunction(Context context) {
    return new OnnxPredictFunction(spec);
  }

  @Override
  public AsyncPredictFunction createAsyncPredictFunction(Context context) {
    return new OnnxAsyncPredictFunction(context.runtimeConfig().getOptional(MAX_CONCURRENT_OPERATIONS)
        .map(spec::withMaxRowsInFlight).orElse(spec));
  }

  @Override
  public OnnxModelProvider copy() {
    return new OnnxModelProvider(spec);
  }
}
