package dev.riskstream.io.settings;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.ParameterTool;

/** Settings as the job and retraining read them: {@code --key value} arguments over a properties file. */
public final class Settings {

  private Settings() {}

  /** {@code --key value} arguments as a map, on top of the properties file that {@code --config} names. */
  public static Map<String, String> fromArgs(String[] args) throws IOException {
    ParameterTool params = ParameterTool.fromArgs(args);
    if (params.has("config")) {
      params = ParameterTool.fromPropertiesFile(params.get("config")).mergeWith(params);
    }
    Map<String, String> values = new HashMap<>(params.toMap());
    values.remove("config");
    return values;
  }

  /**
   * Refuses every one of {@code keys} that is not the key of one of {@code known}, so that typos do
   * not pass silently; {@code kafka.client.*} is an open family, which {@code KafkaClientProperties}
   * checks against what Kafka clients know.
   */
  public static void refuseUnknown(Collection<String> keys, Collection<ConfigOption<?>> known) {
    List<String> knownKeys = known.stream().map(ConfigOption::key).sorted().toList();
    List<String> unknown = keys.stream()
        .filter(key -> !knownKeys.contains(key) && !key.startsWith(KafkaOptions.CLIENT.key() + "."))
        .sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown settings " + unknown + "; known: " + knownKeys);
    }
  }
}
