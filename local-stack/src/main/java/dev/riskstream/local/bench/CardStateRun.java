package dev.riskstream.local.bench;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.local.simulator.Luhn;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.util.FileUtils;

/**
 * The keyed state of many active cards: the simulator's transactions, each given one of
 * {@code cards} distinct card numbers in turn, pre-loaded and run through the full job; once every
 * one is decided, savepoints in both formats tell how many bytes the card-features operator keeps,
 * and the heap used after a full collection, against the same before the job started, how much heap
 * the job holds with them (on the heap backend, chiefly the cards' state).
 * The transactions span half the longest feature horizon in event time, so that no card's history
 * has expired when the savepoints are taken: every card is active.
 */
final class CardStateRun {

  /** The uid of the operator that keeps the per-card features, in RiskstreamJob. */
  static final String CARD_FEATURES_UID = "card-features";

  private CardStateRun() {}

  static BenchReport.CardState run(String bootstrapServers, JobConfig config, BenchOptions options,
      TransactionSimulator simulator, PrintStream progress) throws Exception {
    long cards = options.cards();
    long transactions = cards * options.transactionsPerCard();
    AtomicLong next = new AtomicLong();
    try (TransactionWriter writer = new TransactionWriter(bootstrapServers, config.transactionsTopic(), simulator,
            (tx, sentAtMillis) -> Transaction.newBuilder(tx)
                .setCardNumber(cardNumber(next.getAndIncrement() % cards)).build());
        Progress loading = Progress.start(progress, "pre-loading card transactions", transactions, writer::written)) {
      writer.write(transactions);
    }
    long heapBefore = heapUsedAfterCollection();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    Path savepoints = Files.createTempDirectory("riskstream-bench-savepoints");
    try (TopicReader reader = TopicReader.counting(bootstrapServers,
            List.of(config.decisionsTopic(), config.deadLettersTopic()))) {
      long start = System.nanoTime();
      try (JobRun job = JobRun.submit(config, options, "card state",
              env -> RiskstreamJob.wireKafka(env, config));
          Progress running = Progress.start(progress, "card state: full job", transactions, reader::count)) {
        job.awaitCount(reader::count, transactions, options.stallTimeout());
        long end = System.nanoTime();
        long heapPeak = heapPeakUsed();
        long heapHeld = heapUsedAfterCollection() - heapBefore;
        long canonical = cardFeaturesBytes(job.client().triggerSavepoint(
            savepoints.resolve("canonical").toUri().toString(), SavepointFormatType.CANONICAL).get());
        long nativeBytes = cardFeaturesBytes(job.client().triggerSavepoint(
            savepoints.resolve("native").toUri().toString(), SavepointFormatType.NATIVE).get());
        double seconds = (end - start) / 1e9;
        return new BenchReport.CardState(cards, transactions, reader.count(config.decisionsTopic()), seconds,
            transactions / seconds, canonical, (double) canonical / cards, nativeBytes, (double) nativeBytes / cards,
            options.managedMemory().getBytes(), Runtime.getRuntime().maxMemory(), heapPeak, heapHeld,
            (double) heapHeld / cards, LoadAverage.now());
      }
    } finally {
      FileUtils.deleteDirectoryQuietly(savepoints.toFile());
    }
  }

  /** Mean time between transactions that fits {@code transactions} into half the longest feature horizon. */
  static Duration interArrival(long transactions) {
    return Duration.ofMillis(CardFeatures.LONGEST_HORIZON_MS / 2).dividedBy(Math.max(transactions, 1));
  }

  /** The {@code index}-th synthetic card: a 16-digit PAN with a valid Luhn check digit. */
  static String cardNumber(long index) {
    String payload = String.format("4%014d", index);
    return payload + Luhn.checkDigit(payload);
  }

  /** Bytes of the card-features operator's state in the savepoint at {@code pointer}. */
  static long cardFeaturesBytes(String pointer) throws Exception {
    Path metadata = Path.of(URI.create(pointer.endsWith("/") ? pointer : pointer + "/")).resolve("_metadata");
    CheckpointMetadata savepoint;
    try (InputStream in = Files.newInputStream(metadata)) {
      savepoint = Checkpoints.loadCheckpointMetadata(new DataInputStream(in), CardStateRun.class.getClassLoader(),
          pointer);
    }
    return savepoint.getOperatorStates().stream()
        .filter(state -> state.getOperatorUid().filter(CARD_FEATURES_UID::equals).isPresent())
        .mapToLong(OperatorState::getStateSize)
        .reduce(Long::sum)
        .orElseThrow(() -> new IllegalStateException("no state of operator " + CARD_FEATURES_UID + " in " + pointer));
  }

  /** Heap in use once a full collection has freed what nothing holds (System.gc() is a full collection with G1 and ZGC). */
  private static long heapUsedAfterCollection() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long heapPeakUsed() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .mapToLong(pool -> pool.getPeakUsage().getUsed())
        .sum();
  }
}
