package dev.riskstream.local.recovery;

import static dev.riskstream.local.recovery.PipelineRuns.assertDecidedAlike;
import static dev.riskstream.local.recovery.PipelineRuns.awaitDecisions;
import static dev.riskstream.local.recovery.PipelineRuns.createTopics;
import static dev.riskstream.local.recovery.PipelineRuns.decideStraightThrough;
import static dev.riskstream.local.recovery.PipelineRuns.feed;
import static dev.riskstream.local.recovery.PipelineRuns.miniCluster;
import static dev.riskstream.local.recovery.PipelineRuns.reader;
import static dev.riskstream.local.recovery.PipelineRuns.submit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.JobConfig;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.recovery.PipelineRuns.KeyedRecord;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints carry the per-card state across a stop, an upgrade and a rescale: the job decides a
 * third of the traffic at parallelism 1, stops with a (canonical) savepoint, is started from it at
 * parallelism 2 for the next third, stopped again and started at parallelism 1 for the last. Every
 * decision must equal the one an uninterrupted run at parallelism 1 makes for the same
 * transaction: the score (a function of the features) and the reasons, so the velocity, recency
 * and novelty features of each card continued where they stopped. The restores allow no unclaimed
 * state, so an operator whose uid changed fails them.
 */
class SavepointRescaleITCase {

  static final int PER_PHASE = 400;
  static final int[] PARALLELISM_PER_PHASE = {1, 2, 1};

  @TempDir Path savepoints;

  @Test
  @Timeout(240)
  void perCardFeaturesSurviveStopWithSavepointAndRescalingOneToTwoAndBack() throws Exception {
    List<Transaction> traffic = traffic(PER_PHASE * PARALLELISM_PER_PHASE.length);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0);
        MiniCluster cluster = miniCluster(2)) {
      cluster.start();

      AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
      Map<String, Decision> expected = decideStraightThrough(cluster, broker,
          traffic.stream().map(tx -> KeyedRecord.of(tx, codec)).toList(), ids(traffic));

      JobConfig rescaled = RunConfig.of(broker, "rescaled");
      createTopics(broker, rescaled);
      Map<String, Decision> actual = new HashMap<>();
      Optional<String> savepoint = Optional.empty();
      try (KafkaConsumer<byte[], byte[]> reader = reader(broker, rescaled, rescaled.decisionsTopic())) {
        for (int phase = 0; phase < PARALLELISM_PER_PHASE.length; phase++) {
          List<Transaction> part = traffic.subList(phase * PER_PHASE, (phase + 1) * PER_PHASE);
          feed(broker, rescaled, part);
          JobID job = submit(cluster, rescaled, PARALLELISM_PER_PHASE[phase], savepoint);
          Map<String, Decision> decided = awaitDecisions(reader, ids(part));
          assertThat(decided.keySet()).as("no decision of an earlier phase again").isEqualTo(ids(part));
          actual.putAll(decided);
          savepoint = Optional.of(cluster.stopWithSavepoint(job, savepoints.toUri().toString(), false,
              SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS));
        }
      }

      assertThat(actual.keySet()).isEqualTo(expected.keySet());
      assertDecidedAlike(actual, expected, ids(traffic));
      assertThat(cardsAcrossPhases(traffic)).as("cards whose history spans a savepoint").isGreaterThan(50);
    }
  }

  /** Cards with transactions in more than one phase: their features depend on restored state. */
  private static long cardsAcrossPhases(List<Transaction> traffic) {
    Map<String, Set<Integer>> phases = new HashMap<>();
    for (int i = 0; i < traffic.size(); i++) {
      phases.computeIfAbsent(traffic.get(i).getCardNumber(), card -> new HashSet<>()).add(i / PER_PHASE);
    }
    return phases.values().stream().filter(p -> p.size() > 1).count();
  }

  /** Few customers, so that most cards come back in later phases. */
  private static List<Transaction> traffic(int count) {
    TransactionSimulator simulator = TransactionSimulator.builder().seed(5).customers(100)
        .start(Instant.parse("2026-04-01T00:00:00Z")).build();
    List<Transaction> traffic = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      traffic.add(simulator.next().transaction());
    }
    return traffic;
  }

  private static Set<String> ids(List<Transaction> traffic) {
    Set<String> ids = new HashSet<>();
    traffic.forEach(tx -> ids.add(tx.getTransactionId()));
    return ids;
  }
}
