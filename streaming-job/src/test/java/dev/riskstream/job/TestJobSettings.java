package dev.riskstream.job;

import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.io.settings.ModelOptions;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The settings a test's job starts from: the committed baseline bundle, scored on the CPU so that
 * scores are the same on every machine, and the tests' token key. A test adds what it is about.
 */
public final class TestJobSettings {

  private TestJobSettings() {}

  /** A map of the test's own, to add to. */
  public static Map<String, String> settings() {
    return new HashMap<>(Map.of(
        ModelOptions.BUNDLE.key(), TestData.BASELINE_BUNDLE.toString(),
        ModelOptions.EXECUTION_PROVIDER.key(), ExecutionProviderChoice.CPU.name(),
        InputOptions.TOKEN_KEY.key(), "file:" + TestData.TOKEN_KEY_FILE));
  }

  /** The job's configuration: these settings with {@code more} added or replacing them. */
  public static JobConfig config(Map<String, String> more) {
    Map<String, String> settings = settings();
    settings.putAll(more);
    return JobConfig.from(Configuration.fromMap(settings));
  }
}
