package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.codec.AvroCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Settings of the area "Outputs": which released version of its schema each output topic is written
 * with, so that consumers upgrade first and the job's writer after.
 */
public final class OutputOptions {

  /** The job's Kafka outputs by the names their settings use, with the record each carries. */
  public static final Map<String, Class<? extends SpecificRecord>> OUTPUTS = outputs();

  /** {@code output.<name>.schema-version} of each output, by name, in the order of {@link #OUTPUTS}. */
  private static final Map<String, ConfigOption<Integer>> SCHEMA_VERSIONS = schemaVersions();

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Outputs",
      "Which released version of its schema each output topic is written with.",
      List.copyOf(SCHEMA_VERSIONS.values()), List.copyOf(SCHEMA_VERSIONS.values()));

  private OutputOptions() {}

  /** The pinned versions the settings name, by output; an output not named writes the current schema. */
  static Map<String, Integer> writerSchemaVersions(Configuration conf) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    SCHEMA_VERSIONS.forEach((output, option) -> conf.getOptional(option).ifPresent(v -> versions.put(output, v)));
    return versions;
  }

  /** Refuses a version that was not released, or that cannot hold what the job writes. */
  static void requireWritable(Map<String, Integer> versions) {
    versions.forEach((output, version) -> {
      try {
        AvroCodec.of(OUTPUTS.get(output)).writingVersion(version);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(SCHEMA_VERSIONS.get(output).key() + ": " + e.getMessage(), e);
      }
    });
  }

  private static Map<String, Class<? extends SpecificRecord>> outputs() {
    Map<String, Class<? extends SpecificRecord>> outputs = new LinkedHashMap<>();
    outputs.put("decisions", Decision.class);
    outputs.put("dead-letters", DeadLetter.class);
    outputs.put("drift-reports", DriftReport.class);
    outputs.put("retrain-requests", RetrainRequest.class);
    outputs.put("performance-reports", PerformanceReport.class);
    outputs.put("model-status", ModelStatus.class);
    outputs.put("model-updates", ModelUpdate.class);
    outputs.put("rule-status", RuleSetStatus.class);
    return Collections.unmodifiableMap(outputs);
  }

  private static Map<String, ConfigOption<Integer>> schemaVersions() {
    Map<String, ConfigOption<Integer>> options = new LinkedHashMap<>();
    OUTPUTS.forEach((output, type) -> options.put(output, schemaVersion(output, type)));
    return Collections.unmodifiableMap(options);
  }

  private static ConfigOption<Integer> schemaVersion(String output, Class<? extends SpecificRecord> type) {
    int released = AvroCodec.of(type).releasedSchemas().size();
    return key("output." + output + ".schema-version").intType().noDefaultValue()
        .withDescription("Released version of the " + type.getSimpleName() + " schema (1 to " + released + ") that "
            + "the " + output + " topic is written with; unset: the current, v" + released + ". Pin the version "
            + "consumers know while they upgrade, then unset it: fields added since are left out, and enum symbols "
            + "added since are written as the version's default.");
  }
}
