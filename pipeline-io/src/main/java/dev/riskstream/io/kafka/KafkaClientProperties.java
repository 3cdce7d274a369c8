package dev.riskstream.io.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka client properties that every client of the job (the sources, every sink, the access check)
 * and of the CLI gets, such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, and Kafka's
 * own config providers ({@code config.providers=file,env} with {@code FileConfigProvider} and
 * {@code EnvVarConfigProvider}), which resolve {@code ${file:path:key}} and {@code ${env:NAME}}
 * in the other values where the client starts, so secrets stay out of the job's arguments.
 *
 * <p>{@link #toProperties} is the one place that builds a client's properties. Names no Kafka
 * client knows are refused, like unknown job settings, and so are those the job sets from settings
 * of its own.
 */
public record KafkaClientProperties(Map<String, String> values) {

  public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

  /** Client properties the job derives from its own settings; set here, they would be overridden. */
  private static final Map<String, String> OWN_SETTINGS = Map.of(
      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "kafka.bootstrap-servers",
      CommonClientConfigs.GROUP_ID_CONFIG, "kafka.group-id",
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka.transactional-id-prefix",
      ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "kafka.transaction-timeout");

  private static final Set<ConfigDef> CLIENT_CONFIGS =
      Set.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());

  public KafkaClientProperties {
    values = Map.copyOf(values);
    for (String name : values.keySet()) {
      if (OWN_SETTINGS.containsKey(name)) {
        throw new IllegalArgumentException("Kafka client property " + name + " is set by the job's setting "
            + OWN_SETTINGS.get(name) + "; set that instead");
      }
      if (!isConfigProviderProperty(name) && CLIENT_CONFIGS.stream().noneMatch(c -> c.names().contains(name))) {
        throw new IllegalArgumentException("unknown Kafka client property " + name
            + " (not a producer, consumer or admin client setting of kafka-clients)");
      }
    }
  }

  /** {@code bootstrap.servers} and these properties, for one client. */
  public Properties toProperties(String bootstrapServers) {
    Properties properties = new Properties();
    properties.putAll(values);
    properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return properties;
  }

  /**
   * Every property, but the values Kafka itself treats as passwords ({@code sasl.jaas.config},
   * {@code ssl.*.password}, key material) and config provider parameters (a provider may need a
   * token) are masked: this string goes to logs.
   */
  @Override
  public String toString() {
    return new TreeMap<>(values).entrySet().stream()
        .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "******" : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static boolean isConfigProviderProperty(String name) {
    return name.equals(AbstractConfig.CONFIG_PROVIDERS_CONFIG)
        || name.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".");
  }

  private static boolean isSecret(String name) {
    return (isConfigProviderProperty(name) && name.contains(".param."))
        || CLIENT_CONFIGS.stream()
            .flatMap(c -> Stream.ofNullable(c.configKeys().get(name)))
            .anyMatch(key -> key.type == ConfigDef.Type.PASSWORD);
  }
}
