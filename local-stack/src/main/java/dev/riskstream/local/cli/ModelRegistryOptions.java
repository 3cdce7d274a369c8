package dev.riskstream.local.cli;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.io.KafkaClientProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where a bundle is published and announced: the running job's registry, broker and topic. */
final class ModelRegistryOptions {

  static final String DEFAULT_REGISTRY = "models/registry";

  @Option(names = "--registry", description = "The job's model.registry, a directory or file: URI "
      + "(default ${DEFAULT-VALUE}, the demo's).")
  String registry = DEFAULT_REGISTRY;

  @Option(names = "--bootstrap-servers", description = "Kafka of the running job (default ${DEFAULT-VALUE}, the demo's).")
  String bootstrapServers = JobConfig.BOOTSTRAP_SERVERS.defaultValue();

  // $$ is picocli's escape for a literal $, which would otherwise start one of its variables
  @Option(names = "--kafka-property", paramLabel = "NAME=VALUE", description = "A Kafka client property, as the "
      + "job's kafka.client.NAME: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*, config.providers... "
      + "Keep secrets out of the command line with config providers, e.g. sasl.jaas.config="
      + "'$${file:/etc/riskstream/kafka-secrets.properties:sasl.jaas.config}'. Repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--topic", description = "The job's topic.model-updates (default ${DEFAULT-VALUE}).")
  String topic = JobConfig.MODEL_UPDATES_TOPIC.defaultValue();

  @Option(names = "--reason", description = "Why, for the people reading the model-status topic.")
  String reason;

  /** The Kafka client settings of these options. */
  Properties kafka() {
    return new KafkaClientProperties(kafkaProperties).toProperties(bootstrapServers);
  }
}
