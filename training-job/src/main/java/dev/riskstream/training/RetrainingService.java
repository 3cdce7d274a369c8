package dev.riskstream.training;

import dev.riskstream.io.settings.Settings;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code retrain-requests} and runs a {@link Retraining} for each, one at a time, committing
 * the request's offset once its report is written, so a restarted service neither loses nor repeats
 * a request. A request for a version this service has already replaced is answered by that
 * replacement and skipped: the drift it reports is the drift the replacement was trained on. A
 * request that cannot be read, or whose retraining fails, is logged and reported, never retried in
 * a loop. With {@code retraining.schedule} it also requests a retraining of its own every period
 * ({@link ScheduledRetraining}), through the topic, so that it is answered in turn like any other.
 */
public final class RetrainingService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetrainingService.class);

  private final Retraining retraining;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final ScheduledExecutorService schedule;
  private final AvroCodec<RetrainRequest> codec = AvroCodec.of(RetrainRequest.class);
  private final Set<String> replaced = ConcurrentHashMap.newKeySet();
  private final List<RetrainingReport> reports = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile boolean answering;
  private volatile RuntimeException failure;

  private RetrainingService(RetrainingSettings settings, Retraining retraining) {
    this.retraining = retraining;
    Properties props = settings.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // the job writes requests exactly once: only committed ones are real
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    // a retraining takes minutes; the group must not think the service dead meanwhile
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofHours(1).toMillis());
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(settings.retrainRequestsTopic()));
    thread = new Thread(this::serve, "riskstream-retraining");
    thread.setDaemon(true);
    schedule = settings.schedule().map(period -> {
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread scheduler = new Thread(runnable, "riskstream-retraining-schedule");
        scheduler.setDaemon(true);
        return scheduler;
      });
      executor.scheduleAtFixedRate(() -> requestScheduled(settings, period), period.toMillis(), period.toMillis(),
          TimeUnit.MILLISECONDS);
      return executor;
    }).orElse(null);
  }

  /** One scheduled request; a failure (Kafka away) is logged, and the next period tries again. */
  private static void requestScheduled(RetrainingSettings settings, Duration period) {
    try {
      ScheduledRetraining.send(settings, ScheduledRetraining.request(ScheduledRetraining.currentChampion(settings),
          Instant.now(), period, settings.labelLag()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.error("The scheduled retraining could not be requested; the next comes in {}", period, e);
    }
  }

  /**
   * The service as a process of its own, e.g. a Kubernetes Deployment: {@code --config
   * retraining.properties [--key value ...]}, the settings of {@link RetrainingSettings#fromMap}. Each
   * retraining's join runs in this process, on a local Flink cluster started for it: a retraining
   * window's rows fit one machine, and the training and the gate run here anyway. Runs until the
   * process is terminated, and fails when consuming requests fails, so that the pod is restarted.
   */
  public static void main(String[] args) throws Exception {
    RetrainingSettings settings = RetrainingSettings.fromMap(Settings.fromArgs(args));
    RetrainingService service = start(settings,
        new Retraining(settings, StreamExecutionEnvironment::getExecutionEnvironment, Clock.systemUTC()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "riskstream-retraining-shutdown"));
    service.await();
  }

  public static RetrainingService start(RetrainingSettings settings, Retraining retraining) {
    RetrainingService service = new RetrainingService(settings, retraining);
    service.thread.start();
    return service;
  }

  /** The reports of the retrainings run so far, oldest first. */
  public List<RetrainingReport> reports() {
    return List.copyOf(reports);
  }

  /** Whether a request is being answered (read, and retrained for unless it is skipped) now. */
  public boolean answering() {
    return answering;
  }

  /** Waits until the service stops: after {@link #close()}, or when consuming requests failed (thrown here). */
  public void await() throws InterruptedException {
    thread.join();
    if (failure != null) {
      throw new IllegalStateException("the retraining service stopped: " + failure.getMessage(), failure);
    }
  }

  private void serve() {
    try {
      // a retraining under way when close() is called ends and is committed: no request is answered twice
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          answering = true;
          try {
            handle(record);
            consumer.commitSync();
          } finally {
            answering = false;
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("The retraining service stopped", e);
    } finally {
      consumer.close();
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    RetrainRequest request;
    try {
      request = codec.decode(record.value());
    } catch (DecodeException e) {
      LOG.error("Retrain request at {}/{}/{} cannot be read ({}); skipped", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      return;
    }
    if (replaced.contains(request.getModelVersion())) {
      LOG.info("Retrain request {} skipped: {} has been replaced by a retrained model", request.getRequestId(),
          request.getModelVersion());
      return;
    }
    try {
      Instant[] range = retraining.rangeOf(request);
      RetrainingReport report = retraining.run(request, range[0], range[1]);
      reports.add(report);
      if (report.outcome() == RetrainingReport.Outcome.PUBLISHED) {
        replaced.add(request.getModelVersion());
      }
    } catch (Exception e) {
      LOG.error("Retrain request {} could not be handled", request.getRequestId(), e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (schedule != null) {
      schedule.shutdownNow();
    }
    running = false;
    thread.join(Duration.ofMinutes(2).toMillis());
  }
}
