package dev.riskstream.ops;

import dev.riskstream.io.settings.TopicOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a bundle is published and announced: the running job's registry, broker and topic. */
public final class ModelRegistryOptions {

  public static final String DEFAULT_REGISTRY = "models/registry";

  @Option(names = "--registry", description = "The job's model.registry: a directory, a file: URI, or object storage "
      + "through Flink's file systems (s3://..., with the file system's jar on the classpath) "
      + "(default ${DEFAULT-VALUE}, the demo's).")
  String registry = DEFAULT_REGISTRY;

  /** The running job's Kafka. */
  @Mixin KafkaConnectionOptions kafka;

  @Option(names = "--topic", description = "The job's topic.model-updates (default ${DEFAULT-VALUE}).")
  String topic = TopicOptions.MODEL_UPDATES.defaultValue();

  @Option(names = "--reason", description = "Why, for the people reading the model-status topic.")
  String reason;
}
