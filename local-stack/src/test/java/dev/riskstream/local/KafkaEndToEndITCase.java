package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.BatchScoringJob;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.configuration.Configuration;
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
 * The real path: a producer writes Avro transactions and garbage to a real Kafka broker, the job
 * runs on a Flink MiniCluster with exactly-once sinks, and a read_committed consumer checks that each
 * valid transaction has exactly one decision and each bad record exactly one dead letter. Then batch
 * scoring reads the same topic and must decide every transaction as the streaming job did: the job
 * starts behind the whole topic, as one that catches up does, so its source reads some partitions
 * ahead of others, which must not make their transactions late.
 */
class KafkaEndToEndITCase {

  static final int VALID = 1_500;

  @Test
  @Timeout(240)
  void everyValidTransactionGetsExactlyOneDecisionEveryBadRecordOneDeadLetterAndBatchScoringDecidesAlike(
      @TempDir Path batchOutput) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      Map<String, String> settings = TestJobSettings.settings();
      settings.putAll(Map.of(
          KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-e2e-test",
          DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s",
          // a finite input on an unbounded source: EVENT_TIME would hold back the last transactions
          // until a watermark that no later transaction moves (the harness tests cover EVENT_TIME)
          // event-time order; the feed ends, so its last transactions go out after the maximum wait
          FeatureOptions.MAX_WAIT.key(), "1 s"));
      JobConfig config = JobConfig.from(Configuration.fromMap(settings));
      broker.createTopics(Map.of(config.transactionsTopic(), 3, config.decisionsTopic(), 3,
          config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));

      Set<String> validIds = new HashSet<>();
      List<byte[]> garbage = badRecords();
      AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
      TransactionSimulator simulator = TransactionSimulator.builder().seed(3).start(Instant.parse("2026-02-01T00:00:00Z")).build();
      try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
        for (int i = 0; i < VALID; i++) {
          Transaction tx = simulator.next().transaction();
          validIds.add(tx.getTransactionId());
          producer.send(new ProducerRecord<>(config.transactionsTopic(), key(tx.getCustomerId()), codec.encode(tx)));
          if (i % 100 == 50 && i / 100 < garbage.size()) {
            producer.send(new ProducerRecord<>(config.transactionsTopic(), key("junk"), garbage.get(i / 100)));
          }
        }
      }
      int expectedDeadLetters = (int) Math.min(garbage.size(), (VALID - 50 + 99) / 100);

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
      env.setParallelism(2);
      RiskstreamJob.wireKafka(env, config);
      JobClient job = env.executeAsync("riskstream-e2e");
      Map<String, Decision> streamed = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED,
          "e2e-reader", config.decisionsTopic(), config.deadLettersTopic())) {
        Map<String, Integer> decisionsPerTransaction = new HashMap<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
        AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long settledAt = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settledAt)) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            if (record.topic().equals(config.decisionsTopic())) {
              Decision decision = decisions.decode(record.value());
              decisionsPerTransaction.merge(decision.getTransactionId(), 1, Integer::sum);
              streamed.put(decision.getTransactionId(), decision);
            } else {
              deadLetters.add(letters.decode(record.value()));
            }
          }
          boolean complete = decisionsPerTransaction.size() >= VALID && deadLetters.size() >= expectedDeadLetters;
          if (complete && settledAt == Long.MAX_VALUE) {
            // keep reading through a few more checkpoints: nothing else may arrive
            settledAt = System.nanoTime() + Duration.ofSeconds(4).toNanos();
          }
        }
        assertThat(decisionsPerTransaction.keySet()).isEqualTo(validIds);
        assertThat(decisionsPerTransaction.values()).containsOnly(1);
        assertThat(deadLetters).hasSize(expectedDeadLetters);
        assertThat(deadLetters).extracting(DeadLetter::getReason).doesNotContain(DeadLetterReason.OTHER);
        assertThat(deadLetters.stream().map(DeadLetter::getOffset).distinct()).hasSize(expectedDeadLetters);
      } finally {
        job.cancel().get();
        job.getJobExecutionResult().handle((result, cancelled) -> result).get();
      }
      Map<String, Decision> batched = withoutWallClockTimes(batchScored(settings, batchOutput));
      Map<String, Decision> streamedDecisions = withoutWallClockTimes(streamed.values());
      assertThat(batched.keySet()).isEqualTo(streamedDecisions.keySet());
      List<String> differing = streamedDecisions.keySet().stream()
          .filter(id -> !streamedDecisions.get(id).equals(batched.get(id))).sorted().toList();
      assertThat(differing).as("transactions decided otherwise in batch, e.g. %s streamed vs %s batched",
          differing.isEmpty() ? null : streamedDecisions.get(differing.get(0)),
          differing.isEmpty() ? null : batched.get(differing.get(0))).isEmpty();
    }
  }

  /** The decisions batch scoring writes for the whole transactions topic, with the same job settings. */
  private static List<Decision> batchScored(Map<String, String> jobSettings, Path output) throws Exception {
    Map<String, String> settings = new HashMap<>(jobSettings);
    settings.put(BatchConfig.OUTPUT.key(), output.toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(BatchScoringJob.runtimeSettings());
    env.setParallelism(2);
    BatchScoringJob.wire(env, BatchConfig.fromMap(settings, Map.of()));
    env.execute("riskstream-e2e-batch");
    List<Decision> decisions = new ArrayList<>();
    try (Stream<Path> files = Files.list(output.resolve(BatchConfig.DECISIONS_DIRECTORY))) {
      for (Path file : files.filter(name -> name.getFileName().toString().endsWith(".avro")).toList()) {
        try (DataFileReader<Decision> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(Decision.class))) {
          reader.forEach(decisions::add);
        }
      }
    }
    return decisions;
  }

  private static Map<String, Decision> withoutWallClockTimes(Collection<Decision> decisions) {
    return decisions.stream()
        .map(decision -> Decision.newBuilder(decision).setDecidedAt(Instant.EPOCH).setReceivedAt(null).build())
        .collect(Collectors.toMap(Decision::getTransactionId, Function.identity()));
  }

  /** One of each kind of bad record a producer can send. */
  private static List<byte[]> badRecords() {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    byte[] valid = codec.encode(TransactionSimulator.builder().seed(99).build().next().transaction());
    byte[] foreignFingerprint = valid.clone();
    foreignFingerprint[4] ^= 0x11;
    TransactionSimulator source = TransactionSimulator.builder().seed(98).build();
    Transaction unknownCurrency = source.next().transaction();
    unknownCurrency.setCurrency("XYZ");
    Transaction negative = source.next().transaction();
    negative.setAmountMinor(-100);
    return List.of(
        "{\"transactionId\":\"t-1\",\"cardNumber\":\"4111111111111111\"}".getBytes(StandardCharsets.UTF_8),
        Arrays.copyOf(valid, valid.length / 2),
        foreignFingerprint,
        new byte[0],
        codec.encode(unknownCurrency),
        codec.encode(negative),
        new byte[] {(byte) 0xC3, 0x01});
  }

  private static byte[] key(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

}
