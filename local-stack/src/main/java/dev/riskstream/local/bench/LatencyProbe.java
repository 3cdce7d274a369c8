package dev.riskstream.local.bench;

import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;

/**
 * Simulated transactions written to a job's transactions topic at a fixed rate, each stamped with the
 * wall-clock time it is sent at, as real producers stamp them; and each one's latency from its send to
 * its decision: written (the decision record's timestamp, stamped by the job's producer), read by a
 * {@code read_uncommitted} and by a {@code read_committed} consumer of the decisions topic. The bench
 * measures its own jobs with it, {@code riskstream probe} a running one.
 */
public final class LatencyProbe implements AutoCloseable {

  /** Waits until {@code target} measured transactions are decided, or gives up. */
  public interface Awaiting {
    void await(Measured measured, long target) throws Exception;
  }

  private final AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
  private final AtomicInteger undecodable = new AtomicInteger();
  private final TopicReader uncommitted;
  private final TopicReader committed;
  private final TransactionWriter writer;
  /** The rate being measured; the readers' threads record into it. */
  private volatile Measured current = new Measured(0);

  /**
   * Starts reading {@code decisionsTopic} at its end, so that whatever it already holds is not read,
   * and opens a writer to {@code transactionsTopic}.
   */
  public LatencyProbe(Properties client, String transactionsTopic, String decisionsTopic,
      TransactionSimulator simulator) {
    uncommitted = TopicReader.timing(client, IsolationLevel.READ_UNCOMMITTED, decisionsTopic, this::readUncommitted);
    try {
      committed = TopicReader.timing(client, IsolationLevel.READ_COMMITTED, decisionsTopic, this::readCommitted);
      try {
        writer = new TransactionWriter(client, transactionsTopic, simulator, TransactionWriter.SEND_TIME_AS_EVENT_TIME);
      } catch (RuntimeException e) {
        throw closing(committed, e);
      }
    } catch (RuntimeException e) {
      throw closing(uncommitted, e);
    }
  }

  /** {@code failure}, once {@code reader}, which the constructor started before it, has stopped. */
  private static RuntimeException closing(TopicReader reader, RuntimeException failure) {
    try {
      reader.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** Writes at {@code rate} until the first decision is committed: a job's start-up is no part of a warm-up. */
  void writeUntilDecided(double rate, PrintStream progress, String phase) throws InterruptedException {
    try (Progress startUp = Progress.start(progress, phase + " start-up", 0, writer::written)) {
      writer.writeAt(rate, n -> committed.count() == 0, (id, sentAt) -> { });
    }
  }

  /** Writes at {@code rate} for {@code duration} without measuring: a job gets faster as its code compiles. */
  public void warmUp(double rate, Duration duration, PrintStream progress, String phase) throws InterruptedException {
    long before = writer.written();
    try (Progress warmUp = Progress.start(progress, phase + " warm-up", 0, () -> writer.written() - before)) {
      writer.writeAt(rate, duration, (id, sentAt) -> { });
    }
  }

  /**
   * Writes {@code rate} × {@code duration} transactions at {@code rate} and has {@code awaiting} wait
   * for their decisions.
   */
  public Measured measure(double rate, Duration duration, Awaiting awaiting, PrintStream progress, String phase)
      throws Exception {
    Measured measured = new Measured(Math.toIntExact(TransactionWriter.count(rate, duration)));
    current = measured;
    try (Progress measuring = Progress.start(progress, phase, measured.sentAt.length, measured::decided)) {
      long start = System.nanoTime();
      writer.writeAt(rate, duration, measured::sent);
      measured.seconds = (System.nanoTime() - start) / 1e9;
      awaiting.await(measured, measured.sentAt.length);
    }
    if (undecodable.get() > 0) {
      throw new IllegalStateException(undecodable.get() + " records of the decisions topic could not be decoded");
    }
    return measured;
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

  @Override
  public void close() throws InterruptedException {
    try {
      writer.close();
    } finally {
      uncommitted.close();
      committed.close();
    }
  }

  /** The measured transactions of one rate: their send times, and their latencies as they are read. */
  public final class Measured {

    /** Index of each measured transaction by id; a warm-up transaction's or an earlier rate's is not here. */
    private final Map<String, Integer> indices = new ConcurrentHashMap<>();
    private final long[] sentAt;
    private final LatencySamples toWrite;
    private final LatencySamples toReadUncommitted;
    private final LatencySamples toReadCommitted;
    private int sent;
    private double seconds;

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

    /** Measured transactions sent. */
    public long sent() {
      return sent;
    }

    /** Measured transactions whose decision every path has seen. */
    public long decided() {
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
    public void writeSamples(Path file) throws IOException {
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

    /** The percentiles of each path, judged against the authorisation's goals, under {@code label}. */
    public BenchReport.LatencyResult result(String label, double rate) {
      LatencyGoals goals = LatencyGoals.AUTHORISATION;
      return new BenchReport.LatencyResult(label, rate, seconds, sent, decided(),
          BenchReport.PathLatency.judge(toWrite.percentiles(), goals),
          BenchReport.PathLatency.judge(toReadUncommitted.percentiles(), goals),
          BenchReport.PathLatency.judge(toReadCommitted.percentiles(), goals), LoadAverage.now());
    }
  }
}
