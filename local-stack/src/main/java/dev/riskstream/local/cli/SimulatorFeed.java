package dev.riskstream.local.cli;

import static org.awaitility.Awaitility.await;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.local.kafka.FeedProducer;
import dev.riskstream.local.simulator.Labeller;
import dev.riskstream.local.simulator.SimulatedTransaction;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Produces simulated transactions to Kafka at a steady rate, keyed by customer, as a real producer
 * would: Avro single-object encoding, idempotent, acknowledged by the broker. With a label feed it
 * also writes each transaction's label, keyed by transactionId, once the simulated clock (the
 * latest transaction's event time) reaches its labelledAt; when the feed ends at its limit, the
 * clock runs on and the labels still due are written at once.
 */
final class SimulatorFeed implements AutoCloseable {

  /** Where the truth about the simulated transactions goes, and when it comes. */
  record LabelFeed(String topic, Labeller labeller) {}

  /** Encrypts every PAN under {@code keyId}, as a point of sale that sends Transaction v2 envelopes. */
  record CardSealing(CardEncryption encryption, String keyId) {
    Transaction seal(Transaction tx) {
      return Transaction.newBuilder(tx).setCardNumber(null)
          .setEncryptedCard(encryption.encrypt(keyId, tx.getCardNumber(), tx.getTransactionId())).build();
    }
  }

  private static final Duration HOLD_POLL_INTERVAL = Duration.ofMillis(100);

  private final KafkaProducer<byte[], byte[]> producer;
  private final Thread thread;
  private final AvroCodec<FraudLabel> labelCodec = AvroCodec.of(FraudLabel.class);
  private final PriorityQueue<FraudLabel> labelsDue = new PriorityQueue<>(Comparator.comparing(FraudLabel::getLabelledAt));
  /** The first write the broker refused; the feed stops at it. */
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Callback recordFailure = (metadata, e) -> {
    if (e != null) {
      failure.compareAndSet(null, e);
    }
  };
  private volatile boolean running = true;
  /** Event time of the first transaction sent after the simulator switched to its drifted regime. */
  private volatile Instant driftStartedAt;
  private volatile long sent;

  private SimulatorFeed(Properties client, String topic, TransactionSimulator simulator, LabelFeed labels,
      CardSealing sealing, double rate, Long limit, BooleanSupplier hold) {
    producer = FeedProducer.create(client);
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    thread = new Thread(() -> {
      try {
        long startNanos = System.nanoTime();
        for (long paced = 0; running && failure.get() == null && (limit == null || paced < limit); paced++) {
          startNanos += heldWhile(hold);
          pace(startNanos, paced, rate);
          SimulatedTransaction simulated = simulator.next();
          Transaction tx = simulated.transaction();
          if (driftStartedAt == null && simulator.drift()) {
            driftStartedAt = tx.getEventTime();
          }
          byte[] value = codec.encode(sealing == null ? tx : sealing.seal(tx));
          producer.send(new ProducerRecord<>(topic, tx.getCustomerId().getBytes(StandardCharsets.UTF_8), value),
              recordFailure);
          sent = paced + 1;
          if (labels != null) {
            labels.labeller().label(simulated).ifPresent(labelsDue::add);
            sendLabelsDueBy(labels.topic(), tx.getEventTime());
          }
        }
        if (labels != null && running && failure.get() == null) {
          sendLabelsDueBy(labels.topic(), Instant.MAX);
        }
        producer.flush();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }, "riskstream-simulator");
    thread.setDaemon(true);
  }

  /**
   * @param client the producer's bootstrap servers and client properties
   * @param labels null: no labels are written
   * @param sealing null: PANs are sent in clear
   * @param limit null: until closed
   * @param hold while true, nothing is sent and simulated time stands still; the rate resumes after it
   */
  static SimulatorFeed start(Properties client, String topic, TransactionSimulator simulator, LabelFeed labels,
      CardSealing sealing, double rate, Long limit, BooleanSupplier hold) {
    SimulatorFeed feed = new SimulatorFeed(client, topic, simulator, labels, sealing, rate, limit, hold);
    feed.thread.start();
    return feed;
  }

  /** How many transactions the feed has handed to its producer so far. */
  long sent() {
    return sent;
  }

  /** When the traffic drifted, in event time; empty while it has not. */
  Optional<Instant> driftStartedAt() {
    return Optional.ofNullable(driftStartedAt);
  }

  private void sendLabelsDueBy(String topic, Instant now) {
    while (!labelsDue.isEmpty() && !labelsDue.peek().getLabelledAt().isAfter(now)) {
      FraudLabel label = labelsDue.remove();
      producer.send(new ProducerRecord<>(topic, label.getTransactionId().getBytes(StandardCharsets.UTF_8),
          labelCodec.encode(label)), recordFailure);
    }
  }

  /** Waits while {@code hold} is true (and the feed runs); returns how long, in nanoseconds. */
  private long heldWhile(BooleanSupplier hold) {
    long start = System.nanoTime();
    await().forever().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(HOLD_POLL_INTERVAL)
        .until(() -> !running || !hold.getAsBoolean());
    return System.nanoTime() - start;
  }

  /** Sleeps until event {@code n} is due, so the rate holds on average without drifting. */
  private static void pace(long startNanos, long n, double rate) {
    long due = startNanos + (long) (n * 1e9 / rate);
    long wait = due - System.nanoTime();
    // this sleep keeps a rate: it waits for no condition
    if (wait > 1_000_000) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the feed to end (its limit reached and every record acknowledged);
   * returns whether it has.
   *
   * @throws KafkaException when the broker refused a record, and so the feed stopped
   */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    Exception refused = failure.get();
    if (refused != null) {
      throw new KafkaException("the simulator's feed stopped: a record was not written: " + refused.getMessage(), refused);
    }
    return !thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
    producer.close(Duration.ofSeconds(5));
  }
}
