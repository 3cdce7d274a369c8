package dev.riskstream.local.bench;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.local.kafka.FeedProducer;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes simulated transactions to a topic as the demo's feed does (Avro single-object encoding,
 * keyed by customer, idempotent, acknowledged by all replicas), each stamped with the wall-clock
 * time it was sent: the time a latency is measured from.
 */
final class TransactionWriter implements AutoCloseable {

  /** Learns the id and send time of each transaction written. */
  interface Sent {
    void accept(String transactionId, long sentAtMillis);
  }

  /** Changes a simulated transaction before it is written, knowing the time it is sent at. */
  interface Rewrite {
    Transaction apply(Transaction tx, long sentAtMillis);
  }

  /**
   * Event time the wall-clock time of sending, as a real producer stamps it, rather than the
   * simulator's clock, which runs far faster than the wall clock; the rest as simulated.
   */
  static final Rewrite SEND_TIME_AS_EVENT_TIME =
      (tx, sentAtMillis) -> Transaction.newBuilder(tx).setEventTime(Instant.ofEpochMilli(sentAtMillis)).build();

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final TransactionSimulator simulator;
  private final Rewrite rewrite;
  private final AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
  private final AtomicLong written = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /** @param rewrite applied to each simulated transaction before it is written */
  TransactionWriter(Properties client, String topic, TransactionSimulator simulator, Rewrite rewrite) {
    producer = FeedProducer.create(client);
    this.topic = topic;
    this.simulator = simulator;
    this.rewrite = rewrite;
  }

  TransactionWriter(String bootstrapServers, String topic, TransactionSimulator simulator, Rewrite rewrite) {
    this(KafkaClientProperties.NONE.toProperties(bootstrapServers), topic, simulator, rewrite);
  }

  TransactionWriter(String bootstrapServers, String topic, TransactionSimulator simulator) {
    this(bootstrapServers, topic, simulator, (tx, sentAtMillis) -> tx);
  }

  /** Writes {@code count} transactions as fast as the broker takes them, and waits for all acknowledgements. */
  void write(long count) {
    for (long i = 0; i < count; i++) {
      send((id, at) -> { });
    }
    flush();
  }

  /**
   * Writes {@code rate} × {@code duration} transactions at {@code rate} per second, on average without
   * drift: a count, not a deadline, so that a pause of the writing thread cannot cost the last one.
   */
  void writeAt(double rate, Duration duration, Sent sent) throws InterruptedException {
    long count = count(rate, duration);
    writeAt(rate, n -> n < count, sent);
  }

  /** How many transactions {@link #writeAt(double, Duration, Sent)} writes. */
  static long count(double rate, Duration duration) {
    return Math.round(rate * duration.toNanos() / 1e9);
  }

  /** Writes transactions at {@code rate} per second while {@code more} accepts the next one's index. */
  void writeAt(double rate, java.util.function.LongPredicate more, Sent sent) throws InterruptedException {
    long startNanos = System.nanoTime();
    for (long n = 0; more.test(n); n++) {
      long due = startNanos + (long) (n * 1e9 / rate);
      long wait = due - System.nanoTime();
      // this sleep keeps a rate: it waits for no condition
      if (wait > 1_000_000) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      send(sent);
    }
    flush();
  }

  /** Waits until every transaction is acknowledged; fails if any could not be written, rather than measure fewer. */
  private void flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("a transaction could not be written to " + topic, failure.get());
    }
  }

  private void send(Sent sent) {
    long now = System.currentTimeMillis();
    Transaction tx = rewrite.apply(simulator.next().transaction(), now);
    // known before it is sent, so that its decision cannot come first
    sent.accept(tx.getTransactionId(), now);
    producer.send(new ProducerRecord<>(topic, null, now, tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
        codec.encode(tx)), (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    written.incrementAndGet();
  }

  long written() {
    return written.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
