package dev.riskstream.local.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.util.FileUtils;
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
 * Exactly once on a real cluster: a JobManager and two TaskManagers as separate JVMs, the deployable
 * job jar submitted through the REST API, and one TaskManager killed with SIGKILL mid-stream after a
 * completed checkpoint. A read_committed consumer then sees exactly one decision per transaction.
 * Every process serves its metrics for Prometheus from one port range, as the deployed images do.
 */
class StandaloneClusterITCase {

  private static final int TRANSACTIONS = 3_000;
  /** Spread over about 15 s, so that the kill falls mid-stream. */
  private static final int PER_SECOND = 200;
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);
  /** One per process and some to spare, in case a port of the range is taken meanwhile. */
  private static final int PROMETHEUS_PORTS = 6;

  @Test
  @Timeout(300)
  void aTaskManagerKilledMidStreamLosesAndDuplicatesNoDecision() throws Exception {
    Path jobJar = jobJar();
    // under target/, so that the processes' logs outlive a failure
    Path workDir = Path.of("target", "standalone-cluster-it").toAbsolutePath();
    FileUtils.deleteDirectory(workDir.toFile());
    int firstPrometheusPort = freePorts(PROMETHEUS_PORTS);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0);
        StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(new StandaloneFlinkCluster.Settings(
            2, 2, 0, workDir, jobJar, Map.of(InputOptions.TOKEN_KEY_ENV, "cluster-test-token-key"),
            firstPrometheusPort + "-" + (firstPrometheusPort + PROMETHEUS_PORTS - 1)))) {
      broker.createTopics(Map.of("transactions", 2, "decisions", 2, "transactions-dlq", 1,
          "drift-reports", 1, "retrain-requests", 1));
      FlinkRestClient rest = cluster.rest();
      String jobId = rest.runJar(rest.uploadJar(jobJar), List.of(
          "--" + KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          "--" + ModelOptions.BUNDLE.key(), Path.of("..", "models", "baseline").toAbsolutePath().normalize().toString(),
          "--" + ModelOptions.EXECUTION_PROVIDER.key(), "cpu",
          "--" + DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1s",
          // the feed ends: its last transactions go out after this wait rather than a watermark
          "--" + FeatureOptions.MAX_WAIT.key(), "1s",
          "--" + KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-cluster-test"), 2);
      // deployed, and its sinks' first transactions committed
      await("a first checkpoint").atMost(Duration.ofSeconds(90))
          .until(() -> rest.latestCheckpointTriggered(jobId).isPresent());
      // the job turned on its state changelog over the cluster's checkpoint directory: recovery below replays it
      assertThat(rest.stateChangelogStorage(jobId)).contains("filesystem");
      List<String> served = servedMetrics(firstPrometheusPort);
      assertThat(served).as("a reporter per process").hasSize(3);
      assertThat(served.stream().filter(metrics -> metrics.contains("flink_jobmanager_numRegisteredTaskManagers")))
          .as("the JobManager's").hasSize(1);
      assertThat(served.stream().filter(metrics -> metrics.contains("flink_taskmanager_Status_JVM_Memory_Heap_Used")))
          .as("the TaskManagers'").hasSize(2);
      assertThat(served.stream().flatMap(String::lines)
          .filter(line -> line.startsWith("flink_taskmanager_job_task_operator_model_scoredPerSecond{")))
          .as("the job's operator metrics, of both scoring subtasks").hasSize(2);

      Set<String> transactionIds = ConcurrentHashMap.newKeySet();
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> produce(broker, transactionIds, sent));
      await("a third of the transactions sent").atMost(Duration.ofSeconds(60))
          .until(() -> sent.get() >= TRANSACTIONS / 3);
      String killed = rest.taskManagersOf(jobId).iterator().next();
      cluster.kill(killed);
      Instant killedAt = Instant.now();
      int sentAtKill = sent.get();
      // recovered: running on the surviving TaskManager and committing decisions again
      await("a checkpoint triggered after the kill").atMost(RECOVERY_BOUND.plusSeconds(30))
          .until(() -> rest.jobState(jobId).equals("RUNNING")
              && rest.latestCheckpointTriggered(jobId).orElseThrow().isAfter(killedAt));
      Duration recovery = Duration.between(killedAt, Instant.now());
      assertThat(rest.latestFailure(jobId)).as("the lost TaskManager, in the job's exception history").isPresent();
      System.out.printf("RECOVERY %s killed after %d of %d transactions; running and checkpointing again %.1f s "
          + "after SIGKILL%n", killed, sentAtKill, TRANSACTIONS, recovery.toMillis() / 1000.0);
      feed.get(2, TimeUnit.MINUTES);

      Map<String, Integer> decisions = readCommittedDecisions(broker, transactionIds.size(), Duration.ofSeconds(90));
      assertThat(decisions.keySet()).as("no decision lost").containsExactlyInAnyOrderElementsOf(transactionIds);
      assertThat(decisions.values()).as("no decision duplicated").allMatch(count -> count == 1);
      assertThat(recovery).isLessThan(RECOVERY_BOUND);
    }
  }

  /** The first of {@code count} consecutive ports free now, for the processes' Prometheus reporters. */
  private static int freePorts(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 50_000);
      if (IntStream.range(first, first + count).allMatch(StandaloneClusterITCase::free)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** What each port of the range serves at /metrics, for the ports that answer. */
  private static List<String> servedMetrics(int firstPort) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<String> served = new ArrayList<>();
    for (int port = firstPort; port < firstPort + PROMETHEUS_PORTS; port++) {
      try {
        served.add(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
      } catch (IOException nothingThere) {
        // a port of the range that no process took
      }
    }
    return served;
  }

  /** Simulated transactions at {@link #PER_SECOND}, keyed by customer as the simulator's feed does. */
  private static void produce(EmbeddedKafkaBroker broker, Set<String> transactionIds, AtomicInteger sent) {
    TransactionSimulator simulator = TransactionSimulator.builder().seed(11)
        .start(Instant.parse("2026-03-01T00:00:00Z")).build();
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
      long start = System.nanoTime();
      for (int i = 0; i < TRANSACTIONS; i++) {
        // paced to PER_SECOND: this sleep keeps a rate, it waits for no condition
        long due = start + i * 1_000_000_000L / PER_SECOND;
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        Transaction tx = simulator.next().transaction();
        transactionIds.add(tx.getTransactionId());
        producer.send(new ProducerRecord<>("transactions", tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
            codec.encode(tx)));
        sent.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while producing", e);
    }
  }

  private static Path jobJar() {
    String location = System.getProperty("riskstream.job-jar");
    Path jar = location == null ? null : Path.of(location);
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalStateException("the job jar " + location + " is missing: build streaming-job first "
          + "(mvn package) and run this test through Maven, which sets riskstream.job-jar");
    }
    return jar;
  }

  /** Decisions counted per transactionId, read until {@code expected} ids are in and nothing more comes. */
  private static Map<String, Integer> readCommittedDecisions(EmbeddedKafkaBroker broker, int expected, Duration timeout)
      throws Exception {
    AvroCodec<Decision> codec = AvroCodec.of(Decision.class);
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED,
        "cluster-test-reader", "decisions")) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int quietPolls = 0;
      // after the last id, a few more checkpoints' worth of polls: a duplicate would show up there
      while (System.nanoTime() < deadline && (counts.size() < expected || quietPolls < 5)) {
        int before = counts.values().stream().mapToInt(Integer::intValue).sum();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          counts.merge(codec.decode(record.value()).getTransactionId(), 1, Integer::sum);
        }
        boolean quiet = counts.values().stream().mapToInt(Integer::intValue).sum() == before;
        quietPolls = quiet && counts.size() >= expected ? quietPolls + 1 : 0;
      }
    }
    return counts;
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
