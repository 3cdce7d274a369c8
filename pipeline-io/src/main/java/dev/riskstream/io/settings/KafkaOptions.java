package dev.riskstream.io.settings;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Kafka": how every Kafka client of the job and of retraining connects, and the
 * job's consumer group and transactions.
 */
public final class KafkaOptions {

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key("kafka.bootstrap-servers").stringType().defaultValue("localhost:9092")
          .withDescription("Kafka bootstrap servers.");
  public static final ConfigOption<Map<String, String>> CLIENT =
      key("kafka.client").mapType().noDefaultValue()
          .withDescription("A Kafka client property, under its own name after kafka.client., that the transactions "
              + "and other sources, every sink and the job's access check all get, e.g. kafka.client.security.protocol "
              + "SASL_SSL, kafka.client.sasl.mechanism SCRAM-SHA-512, kafka.client.sasl.jaas.config, "
              + "kafka.client.ssl.truststore.location. Keep secrets out of arguments with Kafka's config "
              + "providers: kafka.client.config.providers file,env, kafka.client.config.providers.file.class "
              + "org.apache.kafka.common.config.provider.FileConfigProvider, kafka.client.config.providers.env.class "
              + "org.apache.kafka.common.config.provider.EnvVarConfigProvider, then values like "
              + "${file:/etc/riskstream/kafka-secrets.properties:sasl.jaas.config} or ${env:KAFKA_JAAS_CONFIG}, "
              + "resolved where each client starts (JobManager and TaskManagers). Properties no Kafka client "
              + "knows are refused, as are those with a setting of their own (bootstrap.servers, group.id, "
              + "transactional.id, transaction.timeout.ms); password values are masked in logs.");
  public static final ConfigOption<String> GROUP_ID =
      key("kafka.group-id").stringType().defaultValue("riskstream")
          .withDescription("Consumer group of the transactions source (offsets are committed on checkpoints).");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      key("kafka.transactional-id-prefix").stringType().defaultValue("riskstream")
          .withDescription("Prefix of the Kafka transactional ids of the sinks; unique per job on a cluster.");
  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      key("kafka.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
          .withDescription("transaction.timeout.ms of the sinks; must exceed the checkpoint interval and "
              + "stay within the brokers' transaction.max.timeout.ms (15 min by default), which building the job "
              + "checks (exactly-once only).");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Kafka",
      "How every Kafka client of the job and of retraining connects, and the job's consumer group and transactions.",
      List.of(BOOTSTRAP_SERVERS, CLIENT, GROUP_ID, TRANSACTIONAL_ID_PREFIX, TRANSACTION_TIMEOUT),
      List.of(CLIENT));

  private KafkaOptions() {}
}
