package dev.riskstream.local.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.StateChangelog;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs of the whole Kafka pipeline ({@link RiskstreamJob#wireKafka}) on a MiniCluster, started fresh
 * or from a savepoint, with their input written and their committed output read through the
 * embedded broker.
 */
final class PipelineRuns {

  private PipelineRuns() {}

  /** A Kafka record as the producer of transactions writes it: keyed by customer. */
  record KeyedRecord(byte[] key, byte[] value) {
    static KeyedRecord of(Transaction tx, AvroCodec<Transaction> codec) {
      return new KeyedRecord(tx.getCustomerId().getBytes(StandardCharsets.UTF_8), codec.encode(tx));
    }
  }

  /**
   * A MiniCluster of one TaskManager; its REST endpoint on a free port, so that a Flink dashboard
   * or another test on this machine, on Flink's default 8081, does not stop it from starting.
   */
  static MiniCluster miniCluster(int slots) {
    Configuration cluster = Configuration.fromMap(Map.of(RestOptions.BIND_PORT.key(), "0"));
    // as the deployed clusters, it keeps the job's state changelog: savepoints and restores go through it
    cluster.addAll(StateChangelog.storage(Path.of("target", "pipeline-runs-changelog").toUri().toString()));
    return new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(cluster).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
  }

  /**
   * Submits the job and waits until it runs. Restoring, it allows no state that the job does not
   * claim, so an operator whose uid changed fails the submission, and it claims the savepoint, as
   * operations.md advises to keep the state changelog.
   */
  static JobID submit(MiniCluster cluster, JobConfig config, int parallelism, Optional<String> savepoint)
      throws Exception {
    return submit(cluster, config, parallelism, savepoint, false, RecoveryClaimMode.CLAIM);
  }

  /**
   * @param ignoreUnclaimedState restore a savepoint whose state of an operator the job no longer has
   * @param claimMode whether the run owns the savepoint; under NO_CLAIM it runs without the state changelog
   */
  static JobID submit(MiniCluster cluster, JobConfig config, int parallelism, Optional<String> savepoint,
      boolean ignoreUnclaimedState, RecoveryClaimMode claimMode) throws Exception {
    Configuration settings = RiskstreamJob.runtimeSettings(config);
    savepoint.ifPresent(path -> settings.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
    settings.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, ignoreUnclaimedState);
    settings.set(StateRecoveryOptions.RESTORE_MODE, claimMode);
    Configuration effective = new Configuration(cluster.getConfiguration());
    effective.addAll(settings);
    settings.addAll(StateChangelog.settingsOver(effective));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings);
    env.setParallelism(parallelism);
    RiskstreamJob.wireKafka(env, config);
    JobID job = cluster.submitJob(env.getStreamGraph()).get().getJobID();
    awaitRunning(cluster, job);
    return job;
  }

  static void awaitRunning(MiniCluster cluster, JobID job) {
    await("job running").atMost(Duration.ofSeconds(60)).until(() -> cluster.getJobStatus(job).get() == JobStatus.RUNNING);
  }

  /**
   * Reads committed decisions until every one of {@code ids} has one, and two checkpoints more, so
   * that the job's sinks have nothing left to write.
   */
  static Map<String, Decision> awaitDecisions(KafkaConsumer<byte[], byte[]> reader, Set<String> ids)
      throws Exception {
    AvroCodec<Decision> codec = AvroCodec.of(Decision.class);
    Map<String, Decision> decisions = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long settledAt = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, settledAt)) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
        Decision decision = codec.decode(record.value());
        assertThat(decisions.put(decision.getTransactionId(), decision))
            .as("a second decision for %s", decision.getTransactionId()).isNull();
      }
      if (decisions.keySet().containsAll(ids) && settledAt == Long.MAX_VALUE) {
        settledAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      }
    }
    assertThat(decisions.keySet()).as("decided within 90 s").containsAll(ids);
    return decisions;
  }

  /**
   * The decisions of an uninterrupted run, at parallelism 1, over {@code records} in topics of its
   * own: what every run that was stopped, restored or rescaled on the way must decide alike.
   */
  static Map<String, Decision> decideStraightThrough(MiniCluster cluster, EmbeddedKafkaBroker broker,
      List<KeyedRecord> records, Set<String> ids) throws Exception {
    JobConfig config = RunConfig.of(broker, "straight-through");
    createTopics(broker, config);
    feedRecords(broker, config, records);
    JobID job = submit(cluster, config, 1, Optional.empty());
    try (KafkaConsumer<byte[], byte[]> decisions = reader(broker, config, config.decisionsTopic())) {
      return awaitDecisions(decisions, ids);
    } finally {
      cluster.cancelJob(job).get();
    }
  }

  /** Same score and reasons for each of {@code ids}: the features they were scored on were the same. */
  static void assertDecidedAlike(Map<String, Decision> actual, Map<String, Decision> expected, Set<String> ids) {
    for (String id : ids) {
      assertThat(actual.get(id).getScore()).as("score of %s", id).isCloseTo(expected.get(id).getScore(), within(1e-6));
      assertThat(actual.get(id).getReasons()).as("reasons of %s", id).isEqualTo(expected.get(id).getReasons());
    }
  }

  static void createTopics(EmbeddedKafkaBroker broker, JobConfig config) {
    broker.createTopics(Map.of(config.transactionsTopic(), 2, config.decisionsTopic(), 2,
        config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));
  }

  static void feed(EmbeddedKafkaBroker broker, JobConfig config, List<Transaction> traffic) throws Exception {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    feedRecords(broker, config, traffic.stream().map(tx -> KeyedRecord.of(tx, codec)).toList());
  }

  /**
   * Writes the records in order, each once: the same records into a new topic of as many partitions
   * land at the same offsets, since the partition follows from the key. One request in flight: with
   * more, a batch refused while a new partition's leader settles can be overtaken by the next one.
   */
  static void feedRecords(EmbeddedKafkaBroker broker, JobConfig config, List<KeyedRecord> records)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (KeyedRecord record : records) {
        sent.add(producer.send(new ProducerRecord<>(config.transactionsTopic(), record.key(), record.value())));
      }
    }
    for (Future<RecordMetadata> written : sent) {
      written.get();
    }
  }

  /** A read_committed consumer of {@code topic} from its beginning. */
  static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafkaBroker broker, JobConfig config, String topic) {
    return TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED, config.groupId() + "-reader-" + topic,
        topic);
  }
}
