package dev.riskstream.ops;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.io.settings.KafkaOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The Kafka a command writes to: bootstrap servers and client properties, as the job takes them. */
public final class KafkaConnectionOptions {

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}, the demo's).")
  private String bootstrapServers = KafkaOptions.BOOTSTRAP_SERVERS.defaultValue();

  // $$ is picocli's escape for a literal $, which would otherwise start one of its variables
  @Option(names = "--kafka-property", paramLabel = "NAME=VALUE", description = "A Kafka client property, as the "
      + "job's kafka.client.NAME: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*, config.providers... "
      + "Keep secrets out of the command line with config providers, e.g. sasl.jaas.config="
      + "'$${file:/etc/riskstream/kafka-secrets.properties:sasl.jaas.config}'. Repeatable.")
  private Map<String, String> kafkaProperties = new LinkedHashMap<>();

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A client's properties: the bootstrap servers and the checked client properties. */
  public Properties clientProperties() {
    return new KafkaClientProperties(kafkaProperties).toProperties(bootstrapServers);
  }
}
