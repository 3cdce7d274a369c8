package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.training.HeldOutScores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor reading decisions and labels through a mock consumer, as it reads the broker: what it
 * keeps to join them stays within its bounds however many come, and the post-drift figures it
 * reports are those of the decisions and labels that met.
 */
class TopicMonitorTest {

  /** Six typical label delays of 10 simulated minutes: 360 of the simulator's transactions. */
  private static final int DECISIONS_BOUND = 360;
  private static final JobConfig CONFIG = JobConfig.from(Configuration.fromMap(Map.of(
      LabelOptions.ENABLED.key(), "true",
      LabelOptions.TTL.key(), "60 min")));
  private static final Instant DRIFT = Instant.parse("2026-03-01T00:00:00Z");

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final AtomicReference<Instant> driftStartedAt = new AtomicReference<>();
  private final AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
  private final AvroCodec<FraudLabel> labels = AvroCodec.of(FraudLabel.class);
  private final List<TopicPartition> partitions = List.of(new TopicPartition(CONFIG.decisionsTopic(), 0),
      new TopicPartition(CONFIG.labels().orElseThrow().labelsTopic(), 0));
  private final long[] offsets = new long[partitions.size()];
  private TopicMonitor monitor;

  @BeforeEach
  void start() {
    partitions.forEach(partition -> consumer.updatePartitions(partition.topic(),
        List.of(new PartitionInfo(partition.topic(), 0, Node.noNode(), new Node[0], new Node[0]))));
    consumer.updateBeginningOffsets(Map.of(partitions.get(0), 0L, partitions.get(1), 0L));
    monitor = TopicMonitor.start(consumer, CONFIG, () -> Optional.ofNullable(driftStartedAt.get()));
  }

  @AfterEach
  void close() throws InterruptedException {
    monitor.close();
  }

  @Test
  void decisionsWhoseLabelsNeverComeWaitForThemNoMoreThanTheLabelsTtlHoldsOfTheSimulatorsTransactions()
      throws InterruptedException {
    assertThat(PostDriftPerformance.Bounds.of(CONFIG.labels()).decisions()).isEqualTo(DECISIONS_BOUND);
    int sent = 10 * DECISIONS_BOUND;
    for (int i = 0; i < sent; i++) {
      decide("tx-" + i, 0.5, DRIFT);
    }
    awaitHandled();

    assertThat(monitor.counts().decisions()).isEqualTo(sent);
    assertThat(monitor.postDrift().waiting()).isEqualTo(DECISIONS_BOUND);
  }

  @Test
  void labelsWhoseDecisionsNeverComeWaitForThemNoMoreThanTheirBound() throws InterruptedException {
    int sent = PostDriftPerformance.Bounds.LABELS_AWAITING_DECISIONS + 1_000;
    for (int i = 0; i < sent; i++) {
      label("tx-" + i, false);
    }
    awaitHandled();

    assertThat(monitor.postDrift().waiting()).isEqualTo(PostDriftPerformance.Bounds.LABELS_AWAITING_DECISIONS);
  }

  @Test
  void aLabelThatComesAfterItsDecisionLeftIsRankedNowhere() throws InterruptedException {
    driftStartedAt.set(DRIFT);
    // the oldest decision scores lowest: were its late fraud label ranked, the AUC would fall below 1
    for (int i = 0; i < 2 * DECISIONS_BOUND; i++) {
      decide("tx-" + i, (double) i / (2 * DECISIONS_BOUND), DRIFT);
    }
    awaitHandled();
    label("tx-0", true);
    label("tx-" + (2 * DECISIONS_BOUND - 1), true);
    label("tx-" + (2 * DECISIONS_BOUND - 2), false);
    awaitHandled();

    assertThat(monitor.postDrift().rocAucByModelVersion()).containsExactly(Map.entry("baseline-1", 1.0));
  }

  /**
   * Decisions before and after the drift; of those after, labels that come before their decisions,
   * labels that come after them, and labels that never come: the post-drift counts are the decisions
   * from the drift on, the AUC that of their labelled ones.
   */
  @Test
  void postDriftFiguresAreThoseOfTheDecisionsFromTheDriftOnAndTheirLabels() throws InterruptedException {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      decide("before-" + i, random.nextDouble(), DRIFT.minusSeconds(200 - i));
      label("before-" + i, random.nextBoolean());
    }
    awaitHandled();
    driftStartedAt.set(DRIFT);
    int transactions = 300;
    double[] scores = new double[transactions];
    boolean[] fraud = new boolean[transactions];
    for (int i = 0; i < transactions; i++) {
      fraud[i] = random.nextInt(10) == 0;
      scores[i] = Math.min(1, random.nextDouble() * 0.6 + (fraud[i] ? 0.4 : 0));
    }
    // a third labelled before their decisions, a third after, a third never
    for (int i = 0; i < transactions; i += 3) {
      label("after-" + i, fraud[i]);
    }
    awaitHandled();
    for (int i = 0; i < transactions; i++) {
      decide("after-" + i, scores[i], DRIFT.plusSeconds(10L * i));
    }
    awaitHandled();
    for (int i = 1; i < transactions; i += 3) {
      label("after-" + i, fraud[i]);
    }
    awaitHandled();

    double[] labelledScores = IntStream.range(0, transactions).filter(i -> i % 3 != 2).mapToDouble(i -> scores[i])
        .toArray();
    boolean[] labelledFraud = new boolean[labelledScores.length];
    for (int i = 0, row = 0; i < transactions; i++) {
      if (i % 3 != 2) {
        labelledFraud[row++] = fraud[i];
      }
    }
    double exact = new HeldOutScores(labelledScores, labelledFraud).rocAuc();
    assertThat(monitor.postDrift().decisionsByModelVersion()).containsExactly(Map.entry("baseline-1", 300L));
    assertThat(monitor.postDrift().rocAucByModelVersion()).containsExactly(
        Map.entry("baseline-1", Math.round(exact * 1e4) / 1e4));
    assertThat(monitor.postDrift().waiting()).as("the decisions never labelled").isEqualTo(transactions / 3);
  }

  private void decide(String transactionId, double score, Instant eventTime) {
    send(0, decisions.encode(Decision.newBuilder()
        .setTransactionId(transactionId)
        .setCardToken("card")
        .setReasons(List.of())
        .setOutcome(Outcome.APPROVE)
        .setScore(score)
        .setModelVersion("baseline-1")
        .setExecutionProvider("cpu")
        .setLookupStatus(LookupStatus.NOT_CONFIGURED)
        .setEventTime(eventTime)
        .setDecidedAt(eventTime)
        .build()));
  }

  private void label(String transactionId, boolean fraud) {
    send(1, labels.encode(new FraudLabel(transactionId, fraud, DRIFT, fraud ? "chargeback" : "undisputed")));
  }

  private void send(int partition, byte[] value) {
    TopicPartition topicPartition = partitions.get(partition);
    consumer.addRecord(new ConsumerRecord<>(topicPartition.topic(), 0, offsets[partition]++, null, value));
  }

  /**
   * Returns once the monitor has handled every record sent so far: the mock consumer runs one task at
   * the start of each poll, and the monitor polls again only once it has handled the last poll's records.
   */
  private void awaitHandled() throws InterruptedException {
    CountDownLatch handled = new CountDownLatch(1);
    consumer.schedulePollTask(() -> { });
    consumer.schedulePollTask(handled::countDown);
    assertThat(handled.await(30, TimeUnit.SECONDS)).as("handled within 30 s").isTrue();
  }
}
