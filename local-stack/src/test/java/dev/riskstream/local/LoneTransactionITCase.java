package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
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

/**
 * One transaction, stamped with the wall clock as a producer stamps it, sent to a running job with
 * the default settings and nothing after it: it is decided without any later traffic, and its
 * decision is readable at once by a read_uncommitted consumer, as an authorising application reads
 * it, although the sink is exactly-once. {@code features.max-wait} is set to an hour, so a job that
 * held transactions for the watermark (which no later transaction moves) would decide nothing here;
 * how fast it is decided is the bench's to show, not this test's.
 */
class LoneTransactionITCase {

  @Test
  @Timeout(180)
  void aLoneTransactionIsDecidedWithoutLaterTraffic() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      JobConfig config = TestJobSettings.config(Map.of(
          KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-lone-test",
          FeatureOptions.MAX_WAIT.key(), "1 h"));
      broker.createTopics(Map.of(config.transactionsTopic(), 2, config.decisionsTopic(), 2,
          config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
      env.setParallelism(2);
      RiskstreamJob.wireKafka(env, config);
      JobClient job = env.executeAsync("riskstream-lone-transaction");
      // what the sink has written, committed or not, as an authorising application reads it
      try (KafkaConsumer<byte[], byte[]> decisions = TopicConsumers.fromBeginning(broker,
          IsolationLevel.READ_UNCOMMITTED, "lone-transaction-reader", config.decisionsTopic())) {
        Instant sentAt = Instant.now();
        Transaction tx = TransactionSimulator.builder().seed(5).build().next().transaction();
        tx.setEventTime(sentAt);
        send(broker, config, tx);

        Decision decision = awaitDecision(decisions, Duration.ofSeconds(120));
        assertThat(decision.getTransactionId()).isEqualTo(tx.getTransactionId());
        assertThat(decision.getReceivedAt()).as("received after it was sent, decided after it was received")
            .isAfterOrEqualTo(sentAt).isBeforeOrEqualTo(decision.getDecidedAt());
      } finally {
        job.cancel().get();
        job.getJobExecutionResult().handle((result, cancelled) -> result).get();
      }
    }
  }

  private static void send(EmbeddedKafkaBroker broker, JobConfig config, Transaction tx) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(config.transactionsTopic(), null, tx.getEventTime().toEpochMilli(),
          tx.getCustomerId().getBytes(StandardCharsets.UTF_8), AvroCodec.of(Transaction.class).encode(tx)));
    }
  }

  private static Decision awaitDecision(KafkaConsumer<byte[], byte[]> consumer, Duration within) throws Exception {
    AvroCodec<Decision> codec = AvroCodec.of(Decision.class);
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        return codec.decode(record.value());
      }
    }
    throw new AssertionError("no decision within " + within + " of a lone transaction");
  }

}
