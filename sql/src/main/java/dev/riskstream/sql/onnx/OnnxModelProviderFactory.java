package dev.riskstream.sql.onnx;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;

/**
 * {@code 'provider' = 'onnx'}: models scored inside the TaskManager by ONNX Runtime. Options and the
 * model itself are checked when the query is planned ({@link ModelInspection}), so a wrong option
 * or a model that cannot be read fails the statement with its reason, not the running job.
 */
public final class OnnxModelProviderFactory implements ModelProviderFactory {

  public static final String IDENTIFIER = "onnx";

  /** The session's default of ML_PREDICT's max-concurrent-operations, which a query's config overrides. */
  private static final ConfigOption<Integer> TABLE_MAX_CONCURRENT_OPERATIONS =
      key("table.exec.async-ml-predict.max-concurrent-operations").intType().defaultValue(10);

  @Override
  public ModelProvider createModelProvider(Context context) {
    FactoryUtil.ModelProviderFactoryHelper helper = FactoryUtil.createModelProviderFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    int batchSize = options.get(OnnxModelOptions.BATCH_SIZE);
    if (batchSize < 1) {
      throw new ValidationException("'" + OnnxModelOptions.BATCH_SIZE.key() + "' must be at least 1, not " + batchSize);
    }
    if (options.get(OnnxModelOptions.MAX_WAIT).isNegative()) {
      throw new ValidationException("'" + OnnxModelOptions.MAX_WAIT.key() + "' must not be negative");
    }
    String model = context.getObjectIdentifier().asSummaryString();
    return new OnnxModelProvider(ModelInspection.resolve(model, options, context.getCatalogModel(),
        context.getConfiguration().get(TABLE_MAX_CONCURRENT_OPERATIONS)));
  }

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(OnnxModelOptions.PATH);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(OnnxModelOptions.EXECUTION_PROVIDER, OnnxModelOptions.OUTPUT, OnnxModelOptions.POSITIVE_CLASS,
        OnnxModelOptions.BATCH_SIZE, OnnxModelOptions.MAX_WAIT);
  }
}
