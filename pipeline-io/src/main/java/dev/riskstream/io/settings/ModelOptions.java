package dev.riskstream.io.settings;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.onnx.ExecutionProviderChoice;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Models": which model bundle the job starts with, where published bundles live,
 * and where ONNX Runtime runs them.
 */
public final class ModelOptions {

  public static final ConfigOption<String> BUNDLE =
      key("model.bundle").stringType().defaultValue("models/baseline")
          .withDescription("Directory of the model bundle (model.onnx and manifest.json), readable by every TaskManager.");
  public static final ConfigOption<String> REGISTRY =
      key("model.registry").stringType().noDefaultValue()
          .withDescription("Where model bundles live, as <registry>/<modelVersion>/, as `riskstream model publish` "
              + "writes them: a directory (a path or file: URI) every TaskManager reads, or object storage through "
              + "Flink's file systems (s3://bucket/models, gs://..., with the file system's plugin in the cluster). Set: the job takes "
              + "announcements from topic.model-updates and swaps models while it runs, and model.bundle is "
              + "only the model it starts with. Unset: no hot swap.");
  public static final ConfigOption<ExecutionProviderChoice> EXECUTION_PROVIDER =
      key("model.execution-provider").enumType(ExecutionProviderChoice.class)
          .defaultValue(ExecutionProviderChoice.AUTO)
          .withDescription("AUTO: CUDA when it loads, else CPU. CUDA: fail at start without it. CPU.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Models",
      "Which model bundle the job starts with, where published bundles live, and where ONNX Runtime runs them.",
      List.of(BUNDLE, REGISTRY, EXECUTION_PROVIDER),
      List.of(REGISTRY));

  private ModelOptions() {}
}
