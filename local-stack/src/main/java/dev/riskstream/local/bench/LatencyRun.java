package dev.riskstream.local.bench;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The full job fed at a fixed rate: after its first decision and a warm-up (caches filling), each
 * transaction's latency from its send time to its decision's write and to the decision being
 * readable with {@code read_committed}.
 */
final class LatencyRun {

  private final BenchOptions options;
  private final AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
  /** Send time of each measured transaction not decided yet. */
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final long[] toWritten;
  private final long[] toVisible;
  private final AtomicInteger decided = new AtomicInteger();
  private final AtomicInteger undecodable = new AtomicInteger();

  private LatencyRun(BenchOptions options) {
    this.options = options;
    int capacity = (int) Math.ceil(options.rate() * options.latencyDuration().toMillis() / 1e3) + 1;
    toWritten = new long[capacity];
    toVisible = new long[capacity];
  }

  static BenchReport.LatencyResult run(String bootstrapServers, JobConfig config, BenchOptions options,
      TransactionSimulator simulator, PrintStream progress) throws Exception {
    return new LatencyRun(options).measure(bootstrapServers, config, simulator, progress);
  }

  private BenchReport.LatencyResult measure(String bootstrapServers, JobConfig config,
      TransactionSimulator simulator, PrintStream progress) throws Exception {
    String phase = "latency " + config.deliveryGuarantee();
    try (CommittedReader reader = CommittedReader.start(bootstrapServers, List.of(config.decisionsTopic()),
            this::decided);
        TransactionWriter writer = new TransactionWriter(bootstrapServers, config.transactionsTopic(), simulator);
        JobRun job = JobRun.submit(config, options, phase,
            env -> RiskstreamJob.wireKafka(env, config))) {
      try (Progress warmUp = Progress.start(progress, phase + " warm-up", 0, writer::written)) {
        // the warm-up starts once the job decides: its start-up is no part of it
        writer.writeAt(options.rate(), n -> reader.count() == 0, (id, sentAt) -> { });
        writer.writeAt(options.rate(), options.latencyWarmup(), (id, sentAt) -> { });
      }
      long warmUpSent = writer.written();
      try (Progress measured = Progress.start(progress, phase, 0, decided::get)) {
        writer.writeAt(options.rate(), options.latencyDuration(), pending::put);
        long sent = writer.written() - warmUpSent;
        job.awaitCount(decided::get, sent, options.stallTimeout());
        if (undecodable.get() > 0) {
          throw new IllegalStateException(undecodable.get() + " decisions could not be decoded");
        }
        int count = decided.get();
        return new BenchReport.LatencyResult(config.deliveryGuarantee().name(), options.rate(),
            options.latencyDuration().toMillis() / 1e3, sent, count,
            Percentiles.of(java.util.Arrays.copyOf(toWritten, count)),
            Percentiles.of(java.util.Arrays.copyOf(toVisible, count)), LoadAverage.now());
      }
    }
  }

  /** On the reader's thread: the latencies of a measured transaction's decision. */
  private void decided(ConsumerRecord<byte[], byte[]> record, long readAtMillis) {
    String transactionId;
    try {
      transactionId = decisions.decode(record.value()).getTransactionId();
    } catch (DecodeException e) {
      undecodable.incrementAndGet();
      return;
    }
    Long sentAt = pending.remove(transactionId);
    if (sentAt == null) {
      return; // a warm-up transaction's
    }
    int i = decided.get();
    toWritten[i] = record.timestamp() - sentAt;
    toVisible[i] = readAtMillis - sentAt;
    decided.incrementAndGet();
  }
}
