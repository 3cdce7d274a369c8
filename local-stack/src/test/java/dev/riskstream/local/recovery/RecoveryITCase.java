package dev.riskstream.local.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TemporaryBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.recovery.FaultInjectingMap.Fault;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once through failures: the job runs on a MiniCluster of two TaskManagers against the
 * embedded broker, a feed writes transactions while it runs, a fault strikes mid-stream after a
 * checkpoint has completed, and a read_committed consumer must see exactly one decision per
 * transaction, none lost and none duplicated, with decisions flowing again within
 * {@link #RECOVERY_BOUND} of the fault. A read_uncommitted consumer reads alongside and its
 * duplicates are reported: they show the fault made the job replay decisions it had already written,
 * which only the transactions keep from committed readers. They are not asserted, because whether
 * the failed attempt got records to the broker before the fault is a race (a TaskManager can die with
 * them still in its producer's buffer); run at least once, the committed count is what fails.
 */
class RecoveryITCase {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryITCase.class);

  /** From the fault to the first decision the restarted job commits; docs/operations.md states it. */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
  static final int TRANSACTIONS = 2_400;
  static final int PER_SECOND = 400;
  /** The fault strikes once this many transactions went through (and a checkpoint completed). */
  static final int FAULT_AFTER = 800;
  static final int PARALLELISM = 2;

  @RegisterExtension
  static final TemporaryBroker KAFKA = new TemporaryBroker();

  @TempDir Path checkpoints;

  @Test
  @Timeout(180)
  void aTaskFailureMidStreamAfterACheckpointLosesAndRepeatsNoDecision() throws Exception {
    Outcome outcome = run("task-failure", Fault.WHILE_PROCESSING, false);
    outcome.assertExactlyOnceAndRecoveredWithinBound();
  }

  @Test
  @Timeout(180)
  void losingATaskManagerMidStreamLosesAndRepeatsNoDecision() throws Exception {
    Outcome outcome = run("lost-taskmanager", Fault.NONE, true);
    outcome.assertExactlyOnceAndRecoveredWithinBound();
  }

  @Test
  @Timeout(180)
  void aFailureDuringACheckpointLeavesNoOpenTransactionBehind() throws Exception {
    Outcome outcome = run("checkpoint-failure", Fault.DURING_CHECKPOINT, false);
    outcome.assertExactlyOnceAndRecoveredWithinBound();
  }

  private Outcome run(String scenario, Fault fault, boolean loseTaskManager) throws Exception {
    EmbeddedKafkaBroker broker = KAFKA.broker();
    JobConfig config = RunConfig.of(broker, scenario);
    broker.createTopics(Map.of(config.transactionsTopic(), PARALLELISM, config.decisionsTopic(), PARALLELISM,
        config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));
    FaultInjectingMap.arm(fault, FAULT_AFTER);

    Configuration cluster = new Configuration();
    // one slot per TaskManager in use, so that losing either one takes a part of the job with it
    cluster.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
    cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    // not Flink's default 8081, which a dashboard or another test on this machine may hold
    cluster.set(RestOptions.BIND_PORT, "0");
    try (MiniCluster miniCluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(cluster).setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build())) {
      miniCluster.start();
      JobID job = miniCluster.submitJob(pipeline(config).getStreamGraph()).get().getJobID();
      PipelineRuns.awaitRunning(miniCluster, job);
      Set<String> fed = new HashSet<>();
      CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> feed(config, fed));
      try (KafkaConsumer<byte[], byte[]> committed = reader(config, IsolationLevel.READ_COMMITTED);
          KafkaConsumer<byte[], byte[]> uncommitted = reader(config, IsolationLevel.READ_UNCOMMITTED)) {
        Outcome outcome = new Outcome(scenario, fed);
        AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        long settledAt = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, settledAt)) {
          for (ConsumerRecord<byte[], byte[]> record : committed.poll(Duration.ofMillis(200))) {
            outcome.committed(decisions.decode(record.value()).getTransactionId(), record.timestamp());
          }
          for (ConsumerRecord<byte[], byte[]> record : uncommitted.poll(Duration.ZERO)) {
            outcome.uncommitted.merge(decisions.decode(record.value()).getTransactionId(), 1, Integer::sum);
          }
          if (loseTaskManager && outcome.failedAt == 0 && outcome.perTransaction.size() >= FAULT_AFTER) {
            // committed decisions: a checkpoint has completed; the feed is still writing
            outcome.failedAt = System.currentTimeMillis();
            miniCluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
          }
          if (outcome.failedAt == 0) {
            FaultInjectingMap.injectedAt().ifPresent(at -> outcome.failedAt = at);
          }
          if (feed.isDone() && outcome.perTransaction.size() >= TRANSACTIONS && settledAt == Long.MAX_VALUE) {
            // read on through a few more checkpoints: nothing else may arrive
            settledAt = System.nanoTime() + Duration.ofSeconds(3).toNanos();
          }
        }
        feed.get();
        outcome.leftOpen = openTransactionsStartedBefore(config.transactionalIdPrefix(), outcome.failedAt);
        var graph = miniCluster.getExecutionGraph(job).get();
        outcome.restartedAt = graph.getStatusTimestamp(JobStatus.RESTARTING);
        outcome.runningAgainAt = graph.getStatusTimestamp(JobStatus.RUNNING);
        miniCluster.cancelJob(job).get();
        LOG.info("{}", outcome);
        return outcome;
      }
    }
  }

  private static StreamExecutionEnvironment pipeline(JobConfig config) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
        RiskstreamJob.runtimeSettings(config));
    env.setParallelism(PARALLELISM);
    // the pipeline of wireKafka with the fault injection between the source and parsing
    DataStream<ParseResult> source = RiskstreamJob.transactions(env, config);
    DataStream<ParseResult> transactions = source
        .map(new FaultInjectingMap<>(), source.getType()).uid("fault-injection").name("Fault injection (test)");
    RiskstreamJob.build(transactions,
        RiskstreamJob.kafkaSink(config, config.decisionsTopic(), Decision.class, Decision::getTransactionId, "decisions"),
        RiskstreamJob.kafkaSink(config, config.deadLettersTopic(), DeadLetter.class,
            letter -> letter.getSourceTopic() + "/" + letter.getPartition() + "/" + letter.getOffset(),
            "dead-letters"),
        Optional.empty(),
        new RiskstreamJob.MonitoringSinks(
            RiskstreamJob.kafkaSink(config, config.drift().reportsTopic(), DriftReport.class, DriftReport::getSegment,
                "drift-reports"),
            RiskstreamJob.kafkaSink(config, config.drift().retrainRequestsTopic(), RetrainRequest.class,
                RetrainRequest::getModelVersion, "retrain-requests")),
        Optional.empty(), config);
    return env;
  }


  /** Writes the transactions at about {@link #PER_SECOND}, so that the fault finds the job mid-stream. */
  private static void feed(JobConfig config, Set<String> ids) {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    TransactionSimulator simulator =
        TransactionSimulator.builder().seed(11).start(Instant.parse("2026-03-01T00:00:00Z")).build();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    long startedAt = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < TRANSACTIONS; i++) {
        Transaction tx = simulator.next().transaction();
        synchronized (ids) {
          ids.add(tx.getTransactionId());
        }
        producer.send(new ProducerRecord<>(config.transactionsTopic(),
            tx.getCustomerId().getBytes(StandardCharsets.UTF_8), codec.encode(tx)));
        long due = startedAt + TimeUnit.SECONDS.toNanos(i + 1) / PER_SECOND;
        long ahead = due - System.nanoTime();
        // this sleep keeps a rate: it waits for no condition
        if (ahead > 0) {
          TimeUnit.NANOSECONDS.sleep(ahead);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("feed interrupted", e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> reader(JobConfig config, IsolationLevel isolation) {
    return TopicConsumers.fromBeginning(KAFKA.broker(), isolation, config.groupId() + "-" + isolation,
        config.decisionsTopic());
  }

  /**
   * The job's transactions still open that began before {@code before}: what the failed attempt
   * left behind and the restarted job did not abort (the broker would, only after
   * kafka.transaction-timeout, holding read_committed consumers back until then).
   */
  private static List<String> openTransactionsStartedBefore(String prefix, long before) throws Exception {
    try (Admin admin = Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers()))) {
      List<String> ours = admin.listTransactions().all().get().stream()
          .map(TransactionListing::transactionalId)
          .filter(id -> id.startsWith(prefix + "-"))
          .toList();
      if (ours.isEmpty()) {
        return List.of();
      }
      return admin.describeTransactions(ours).all().get().entrySet().stream()
          .filter(t -> t.getValue().state() != TransactionState.COMPLETE_COMMIT
              && t.getValue().state() != TransactionState.COMPLETE_ABORT
              && t.getValue().state() != TransactionState.EMPTY)
          .filter(t -> t.getValue().transactionStartTimeMs().orElse(Long.MAX_VALUE) < before)
          .map(Map.Entry::getKey)
          .toList();
    }
  }


  /** What the consumers saw of one scenario. */
  private static final class Outcome {
    final String scenario;
    final Set<String> fed;
    final Map<String, Integer> perTransaction = new HashMap<>();
    final Map<String, Integer> uncommitted = new HashMap<>();
    /** Epoch milliseconds of the fault, 0 while none struck. */
    long failedAt;
    /** When the first decision written after the fault was seen committed, 0 while none was. */
    long resumedAt;
    long restartedAt;
    long runningAgainAt;
    /** Transactions opened before the fault and still open at the end. */
    List<String> leftOpen = List.of();

    Outcome(String scenario, Set<String> fed) {
      this.scenario = scenario;
      this.fed = fed;
    }

    void committed(String transactionId, long writtenAt) {
      perTransaction.merge(transactionId, 1, Integer::sum);
      // the sink's records carry their write time: one written after the fault and committed comes
      // from the restarted job (the failed attempt's records after the fault are never committed)
      if (failedAt != 0 && resumedAt == 0 && writtenAt > failedAt) {
        resumedAt = System.currentTimeMillis();
      }
    }

    long uncommittedDuplicates() {
      return uncommitted.values().stream().filter(n -> n > 1).count();
    }

    void assertExactlyOnceAndRecoveredWithinBound() {
      assertThat(failedAt).as("the fault struck").isPositive();
      assertThat(restartedAt).as("the job restarted after the fault").isGreaterThanOrEqualTo(failedAt - 1_000);
      synchronized (fed) {
        assertThat(perTransaction.keySet()).as("one committed decision per transaction, none lost").isEqualTo(fed);
      }
      assertThat(perTransaction.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey))
          .as("transactions with more than one committed decision").isEmpty();
      assertThat(leftOpen).as("transactions of the failed attempt still open").isEmpty();
      assertThat(resumedAt).as("committed decisions after the fault").isPositive();
      assertThat(Duration.ofMillis(resumedAt - failedAt)).as("recovery").isLessThanOrEqualTo(RECOVERY_BOUND);
    }

    @Override
    public String toString() {
      return String.format("RECOVERY %s: %d transactions, %d decided once; fault to RUNNING again %d ms, fault to "
              + "first committed decision of the restarted job %d ms; read_uncommitted saw %d transactions "
              + "more than once", scenario, fed.size(), perTransaction.values().stream().filter(n -> n == 1).count(),
          runningAgainAt - failedAt, resumedAt - failedAt, uncommittedDuplicates());
    }
  }
}
