package dev.riskstream.ops;

import dev.riskstream.io.settings.ModelOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The model a command's job scores with and where: the job's model.bundle and model.execution-provider. */
public final class ModelBundleOptions {

  @Option(names = "--model", description = "Model bundle directory (default ${DEFAULT-VALUE}).")
  private Path model = Path.of("models/baseline");

  @Option(names = "--execution-provider",
      description = "auto (CUDA when it loads, else CPU), cuda (fail at start without it) or cpu (default ${DEFAULT-VALUE}).")
  private String executionProvider = "auto";

  public Path model() {
    return model;
  }

  public String executionProvider() {
    return executionProvider;
  }

  /** The job settings, with the bundle's absolute path, which holds wherever the job's processes run. */
  public Map<String, String> jobSettings() {
    return Map.of(ModelOptions.BUNDLE.key(), model.toAbsolutePath().toString(),
        ModelOptions.EXECUTION_PROVIDER.key(), executionProvider);
  }
}
