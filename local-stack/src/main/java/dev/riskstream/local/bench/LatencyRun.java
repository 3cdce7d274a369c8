package dev.riskstream.local.bench;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;

/**
 * The full job of one delivery guarantee fed at each latency rate in turn, with transactions whose
 * event time is the wall-clock time they are sent at, as real producers stamp them. At each rate,
 * after an unmeasured warm-up, each transaction's latency from its send time to its decision's
 * write, and to its decision being read by a {@code read_uncommitted} and by a
 * {@code read_committed} consumer, side by side.
 *
 * <p>One job serves every rate: a submission costs a MiniCluster, RocksDB, the model session and the
 * lookup pool, many seconds before the first decision, and a cold job decides slowly for a while
 * (classes loading, code not yet compiled, caches empty), none of which a producer of a running job
 * sees. So only the first rate waits for the job's first decision; each rate's warm-up then brings the
 * job to that rate. A rate the job cannot keep up with leaves a backlog: its decisions are waited for
 * (as long as they keep coming) and their latencies count, and the next rate starts once they are in.
 */
final class LatencyRun {

  private final JobConfig config;
  private final BenchOptions options;
  private final PrintStream progress;
  private final AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
  private final AtomicInteger undecodable = new AtomicInteger();
  /** The rate being measured; the readers' threads record into it. */
  private volatile Measured current = new Measured(0);

  private LatencyRun(JobConfig config, BenchOptions options, PrintStream progress) {
    this.config = config;
    this.options = options;
    this.progress = progress;
  }

  /** One result per rate of {@code options}, in their order. */
  static List<BenchReport.LatencyResult> run(String bootstrapServers, JobConfig config, BenchOptions options,
      TransactionSimulator simulator, PrintStream progress) throws Exception {
    return new LatencyRun(config, options, progress).measure(bootstrapServers, simulator);
  }

  private List<BenchReport.LatencyResult> measure(String bootstrapServers, TransactionSimulator simulator)
      throws Exception {
    String phase = "latency " + config.deliveryGuarantee();
    List<BenchReport.LatencyResult> results = new ArrayList<>();
    try (TopicReader uncommitted = TopicReader.timing(bootstrapServers, IsolationLevel.READ_UNCOMMITTED,
            config.decisionsTopic(), this::readUncommitted);
        TopicReader committed = TopicReader.timing(bootstrapServers, IsolationLevel.READ_COMMITTED,
            config.decisionsTopic(), this::readCommitted);
        TransactionWriter writer = new TransactionWriter(bootstrapServers, config.transactionsTopic(), simulator,
            TransactionWriter.SEND_TIME_AS_EVENT_TIME);
        JobRun job = JobRun.submit(config, options, phase, env -> RiskstreamJob.wireKafka(env, config))) {
      List<Double> rates = options.latencyRates();
      try (Progress startUp = Progress.start(progress, phase + " start-up", 0, writer::written)) {
        // the first warm-up starts once the job decides: its start-up is no part of it
        writer.writeAt(rates.get(0), n -> committed.count() == 0, (id, sentAt) -> { });
      }
      for (double rate : rates) {
        results.add(measureAt(rate, writer, job, String.format(Locale.ROOT, "%s %,.0f/s", phase, rate)));
      }
    }
    return results;
  }

  private BenchReport.LatencyResult measureAt(double rate, TransactionWriter writer, JobRun job, String phase)
      throws Exception {
    Measured measured = new Measured(Math.toIntExact(TransactionWriter.count(rate, options.latencyDuration())));
    current = measured;
    long before = writer.written();
    try (Progress warmUp = Progress.start(progress, phase + " warm-up", 0, () -> writer.written() - before)) {
      writer.writeAt(rate, options.latencyWarmup(), (id, sentAt) -> { });
    }
    double seconds;
    try (Progress measuring = Progress.start(progress, phase, measured.sentAt.length, measured::decided)) {
      long start = System.nanoTime();
      writer.writeAt(rate, options.latencyDuration(), measured::sent);
      seconds = (System.nanoTime() - start) / 1e9;
      job.awaitCount(measured::decided, measured.sentAt.length, options.stallTimeout());
    }
    if (undecodable.get() > 0) {
      throw new IllegalStateException(undecodable.get() + " decisions could not be decoded");
    }
    if (options.latencySamples() != null) {
      Files.createDirectories(options.latencySamples());
      measured.writeSamples(options.latencySamples().resolve(String.format(Locale.ROOT, "latency-%s-%.0f.csv",
          config.deliveryGuarantee().name(), rate)));
    }
    return measured.result(rate, seconds);
  }

  /** On the read_uncommitted reader's thread. */
  private void readUncommitted(ConsumerRecord<byte[], byte[]> record, long readAtMillis) {
    Measured measured = current;
    int i = measured.indexOf(record);
    if (i >= 0) {
      measured.toReadUncommitted.record(i, readAtMillis - measured.sentAt[i]);
    }
  }

  /**
   * On the read_committed reader's thread: the write time too, from the committed record, since an
   * aborted write of the same decision, which only read_uncommitted sees, may have come first.
   */
  private void readCommitted(ConsumerRecord<byte[], byte[]> record, long readAtMillis) {
    Measured measured = current;
    int i = measured.indexOf(record);
    if (i >= 0) {
      measured.toWrite.record(i, record.timestamp() - measured.sentAt[i]);
      measured.toReadCommitted.record(i, readAtMillis - measured.sentAt[i]);
    }
  }

  /** The measured transactions of one rate: their send times, and their latencies as they are read. */
  private final class Measured {

    /** Index of each measured transaction by id; a warm-up transaction's or an earlier rate's is not here. */
    private final Map<String, Integer> indices = new ConcurrentHashMap<>();
    private final long[] sentAt;
    private final LatencySamples toWrite;
    private final LatencySamples toReadUncommitted;
    private final LatencySamples toReadCommitted;
    private int sent;

    Measured(int transactions) {
      sentAt = new long[transactions];
      toWrite = new LatencySamples(transactions);
      toReadUncommitted = new LatencySamples(transactions);
      toReadCommitted = new LatencySamples(transactions);
    }

    /** On the writer's thread, before the transaction is sent, so that its decision cannot come first. */
    void sent(String transactionId, long sentAtMillis) {
      sentAt[sent] = sentAtMillis;
      indices.put(transactionId, sent++);
    }

    /** Measured transactions whose decision every path has seen. */
    long decided() {
      return Math.min(toWrite.recorded(), Math.min(toReadUncommitted.recorded(), toReadCommitted.recorded()));
    }

    /** The index of the measured transaction {@code record} decides, -1 if none. */
    int indexOf(ConsumerRecord<byte[], byte[]> record) {
      try {
        return indices.getOrDefault(decisions.decode(record.value()).getTransactionId(), -1);
      } catch (DecodeException e) {
        undecodable.incrementAndGet();
        return -1;
      }
    }

    /**
     * One line per measured transaction in the order sent: its send time (epoch ms) and its latency in ms
     * to write, to read_uncommitted and to read_committed (empty where the path never saw it).
     */
    void writeSamples(Path file) throws IOException {
      try (BufferedWriter out = Files.newBufferedWriter(file)) {
        out.write("sentAtMillis,toWriteMillis,toReadUncommittedMillis,toReadCommittedMillis\n");
        for (int i = 0; i < sent; i++) {
          out.write(sentAt[i] + "," + cell(toWrite, i) + "," + cell(toReadUncommitted, i) + ","
              + cell(toReadCommitted, i) + "\n");
        }
      }
    }

    private static String cell(LatencySamples samples, int i) {
      return samples.has(i) ? Long.toString(samples.latency(i)) : "";
    }

    BenchReport.LatencyResult result(double rate, double seconds) {
      LatencyGoals goals = LatencyGoals.AUTHORISATION;
      return new BenchReport.LatencyResult(config.deliveryGuarantee().name(), rate, seconds, sent, decided(),
          BenchReport.PathLatency.judge(toWrite.percentiles(), goals),
          BenchReport.PathLatency.judge(toReadUncommitted.percentiles(), goals),
          BenchReport.PathLatency.judge(toReadCommitted.percentiles(), goals), LoadAverage.now());
    }
  }
}
