package dev.riskstream.sql.onnx;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.features.onnx.ExecutionProviderChoice;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The {@code WITH} options of {@code CREATE MODEL ... WITH ('provider' = 'onnx', ...)}. */
public final class OnnxModelOptions {

  public static final ConfigOption<String> PATH = key("path").stringType().noDefaultValue()
      .withDescription("An ONNX model file, or a riskstream model bundle directory (manifest.json and model.onnx): "
          + "then the INPUT columns are matched to the manifest's features by name, and the output and fraud class "
          + "are the manifest's. Read when the query is planned and again by every TaskManager.");

  public static final ConfigOption<ExecutionProviderChoice> EXECUTION_PROVIDER = key("execution-provider")
      .enumType(ExecutionProviderChoice.class).defaultValue(ExecutionProviderChoice.AUTO)
      .withDescription("auto: CUDA where the GPU build of ONNX Runtime finds a GPU, else the CPU; cuda: CUDA or fail "
          + "at start; cpu. CUDA runs with TF32 off, as the job does.");

  public static final ConfigOption<String> OUTPUT = key("output").stringType().noDefaultValue()
      .withDescription("The model output holding the probabilities (a model file only; default: its only float "
          + "tensor or ZipMap output).");

  public static final ConfigOption<String> POSITIVE_CLASS = key("positive-class").stringType().noDefaultValue()
      .withDescription("The fraud class: the column of an [N,C] output or the key of a ZipMap (a model file only; "
          + "default: 1 of two classes).");

  public static final ConfigOption<Integer> BATCH_SIZE = key("batch-size").intType().defaultValue(256)
      .withDescription("Most rows of one ONNX Runtime run in async mode; ML_PREDICT's max-concurrent-operations "
          + "also bounds a batch, as no more rows are in flight.");

  public static final ConfigOption<Duration> MAX_WAIT = key("max-wait").durationType()
      .defaultValue(Duration.ofMillis(2))
      .withDescription("Async mode: how long the first row of a batch waits for more before the batch runs.");

  private OnnxModelOptions() {}
}
