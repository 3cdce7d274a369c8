package dev.riskstream.io.settings;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Feature log": where the job logs what it scored and retraining reads it.
 */
public final class FeatureLogOptions {

  public static final ConfigOption<String> PATH =
      key("feature-log.path").stringType().noDefaultValue()
          .withDescription("Directory (any file system Flink writes: a path, file:, s3:...) of the feature log: for "
              + "each decision the feature vector scored, model version, score and outcome, in Avro files under "
              + "date=YYYY-MM-DD/hour=HH of event time, committed with each checkpoint. Retraining reads it. Unset: "
              + "no feature log.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Feature log",
      "Where the job logs what it scored and retraining reads it.",
      List.of(PATH),
      List.of(PATH));

  private FeatureLogOptions() {}
}
