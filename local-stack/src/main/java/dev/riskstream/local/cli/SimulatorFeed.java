package dev.riskstream.local.cli;

import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces simulated transactions to Kafka at a steady rate, keyed by customer, as a real producer
 * would: Avro single-object encoding, idempotent, acknowledged by the broker.
 */
final class SimulatorFeed implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final Thread thread;
  private volatile boolean running = true;

  private SimulatorFeed(String bootstrapServers, String topic, TransactionSimulator simulator, double rate, Long limit) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    thread = new Thread(() -> {
      long startNanos = System.nanoTime();
      for (long sent = 0; running && (limit == null || sent < limit); sent++) {
        pace(startNanos, sent, rate);
        Transaction tx = simulator.next().transaction();
        producer.send(new ProducerRecord<>(topic, tx.getCustomerId().getBytes(StandardCharsets.UTF_8), codec.encode(tx)));
      }
      producer.flush();
    }, "riskstream-simulator");
    thread.setDaemon(true);
  }

  static SimulatorFeed start(String bootstrapServers, String topic, long seed, double rate, Long limit, boolean drift) {
    // the simulator's own clock sets event time, so cards behave alike at any --rate
    TransactionSimulator simulator = TransactionSimulator.builder()
        .seed(seed)
        .start(Instant.now())
        .drift(drift)
        .build();
    SimulatorFeed feed = new SimulatorFeed(bootstrapServers, topic, simulator, rate, limit);
    feed.thread.start();
    return feed;
  }

  /** Sleeps until event {@code n} is due, so the rate holds on average without drifting. */
  private static void pace(long startNanos, long n, double rate) {
    long due = startNanos + (long) (n * 1e9 / rate);
    long wait = due - System.nanoTime();
    if (wait > 1_000_000) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
    producer.close(Duration.ofSeconds(5));
  }
}
