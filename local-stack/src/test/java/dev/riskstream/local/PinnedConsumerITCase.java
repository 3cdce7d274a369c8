package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.RuleOptions;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers upgrade first, the job's writer after: consumers built against the first released
 * {@code Decision} and {@code DeadLetter}, which know no later version (they decode with that schema
 * alone, as a consumer with code generated from it does), read everything a job of this release
 * writes when its outputs are pinned to v1, although the job decides with rules (fields of Decision
 * v3) and dead-letters a duplicate (a reason added after DeadLetter v1, read as OTHER).
 */
class PinnedConsumerITCase {

  private static final int TRANSACTIONS = 30;

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void consumersOnTheFirstReleasedSchemasReadAJobPinnedToThemAfterItsUpgrade() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yaml"), """
        version: rules-1
        rules:
          - {id: everything, expression: "amount >= 0.0", action: DECLINE, reason: HELD}
        """);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      JobConfig config = TestJobSettings.config(Map.of(
          KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-pinned-test",
          DeliveryOptions.GUARANTEE.key(), "AT_LEAST_ONCE",
          RuleOptions.FILE.key(), rules.toString(),
          "output.decisions.schema-version", "1",
          "output.dead-letters.schema-version", "1"));
      broker.createTopics(Map.of(config.transactionsTopic(), 2, config.decisionsTopic(), 2,
          config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));

      Set<String> sent = new HashSet<>();
      TransactionSimulator simulator = TransactionSimulator.builder().seed(11).build();
      Transaction last = null;
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < TRANSACTIONS; i++) {
          last = simulator.next().transaction();
          sent.add(last.getTransactionId());
          send(producer, config, last);
        }
        send(producer, config, last); // a producer's retry: a duplicate
      }

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
      env.setParallelism(2);
      RiskstreamJob.wireKafka(env, config);
      JobClient job = env.executeAsync("riskstream-pinned-consumer");
      Schema decisionV1 = AvroCodec.of(Decision.class).releasedSchemas().get(0);
      Schema deadLetterV1 = AvroCodec.of(DeadLetter.class).releasedSchemas().get(0);
      BinaryMessageDecoder<GenericRecord> decisionsOnV1 = new BinaryMessageDecoder<>(GenericData.get(), decisionV1);
      BinaryMessageDecoder<GenericRecord> deadLettersOnV1 = new BinaryMessageDecoder<>(GenericData.get(), deadLetterV1);
      Set<String> decided = new HashSet<>();
      List<GenericRecord> letters = new ArrayList<>();
      List<String> outcomes = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED,
          "pinned-reader", config.decisionsTopic(), config.deadLettersTopic())) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((decided.size() < TRANSACTIONS || letters.isEmpty()) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(config.decisionsTopic())) {
              GenericRecord decision = decisionsOnV1.decode(record.value());
              decided.add(decision.get("transactionId").toString());
              outcomes.add(decision.get("outcome").toString());
            } else {
              letters.add(deadLettersOnV1.decode(record.value()));
            }
          }
        }
      } finally {
        job.cancel().get();
        job.getJobExecutionResult().handle((result, cancelled) -> result).get();
      }
      assertThat(decided).isEqualTo(sent);
      assertThat(outcomes).as("the rule decided, and v1 carries its outcome").containsOnly("DECLINE");
      String duplicated = last.getTransactionId();
      assertThat(letters).singleElement().satisfies(letter -> {
        assertThat(letter.get("reason")).as("DUPLICATE came after v1").hasToString("OTHER");
        assertThat(letter.get("errorMessage").toString()).contains(duplicated);
      });
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, JobConfig config, Transaction tx) {
    producer.send(new ProducerRecord<>(config.transactionsTopic(), tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
        AvroCodec.of(Transaction.class).encode(tx)));
  }
}
