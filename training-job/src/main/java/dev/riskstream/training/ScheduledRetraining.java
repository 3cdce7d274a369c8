package dev.riskstream.training;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.io.settings.Settings;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining on a cadence, whatever the monitors say: a request of reason {@code SCHEDULED} for the
 * model that decides now, over the logged decisions of the last period that labels have had time to
 * reach, written to {@code retrain-requests}. The retraining service answers it as it answers the
 * job's requests: the same gate (a refresh must not lose more than the tolerated loss) and the same
 * rollout policy. The service sends one every {@code retraining.schedule}; {@link #main} sends one
 * now, for a scheduler of the platform's (a Kubernetes CronJob).
 */
public final class ScheduledRetraining {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledRetraining.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private ScheduledRetraining() {}

  /** Sends one scheduled request now: {@code --config retraining.properties [--key value ...]}. */
  public static void main(String[] args) throws Exception {
    RetrainingSettings settings = RetrainingSettings.fromMap(Settings.fromArgs(args));
    RetrainRequest request = request(currentChampion(settings), Instant.now(), settings.schedule()
        .orElseThrow(() -> new IllegalArgumentException("set " + RetrainingSettings.SCHEDULE.key()
            + ": the period a scheduled retraining covers")), settings.labelLag());
    send(settings, request);
    System.out.println("requested " + request.getRequestId());
  }

  /**
   * The request of a schedule that comes round at {@code now}: the window of one {@code period}
   * that ends {@code labelLag} before now ({@code retraining.history}, if set, widens the range the
   * retraining reads, as for any request).
   */
  public static RetrainRequest request(String champion, Instant now, Duration period, Duration labelLag) {
    Instant end = now.minus(labelLag);
    RetrainEvidence window = RetrainEvidence.newBuilder()
        .setWindowStart(end.minus(period))
        .setWindowEnd(end)
        .setSegment("all")
        .setFeature("schedule")
        .setStatistic("period_hours")
        .setValue(period.toMinutes() / 60.0)
        .setThreshold(period.toMinutes() / 60.0)
        .build();
    return RetrainRequest.newBuilder()
        .setRequestId(champion + "@" + end + "/scheduled")
        .setModelVersion(champion)
        .setReason(RetrainReason.SCHEDULED)
        .setConsecutiveWindows(0)
        .setEvidence(List.of(window))
        .setRequestedAt(now)
        .build();
  }

  /**
   * The version that decides now: the latest one activated or rolled back to on the model-updates
   * topic (compacted: its latest announcement of each action), or, before any, the initial bundle's.
   */
  public static String currentChampion(RetrainingSettings settings) throws InvalidBundleException {
    Optional<ModelUpdate> latest = latestActivation(settings);
    if (latest.isPresent()) {
      return latest.get().getModelVersion();
    }
    return ModelBundle.load(settings.initialBundle()).version();
  }

  /** Writes {@code request} to retrain-requests, keyed by its model version as the job keys its own. */
  public static void send(RetrainingSettings settings, RetrainRequest request)
      throws InterruptedException, ExecutionException {
    Properties props = settings.kafkaProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(settings.retrainRequestsTopic(),
          request.getModelVersion().getBytes(StandardCharsets.UTF_8),
          AvroCodec.of(RetrainRequest.class).encode(request))).get();
    }
    LOG.info("Scheduled retraining requested: {}", request.getRequestId());
  }

  private static Optional<ModelUpdate> latestActivation(RetrainingSettings settings) {
    Properties props = settings.kafkaProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class);
    ModelUpdate latest = null;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(settings.modelUpdatesTopic(), READ_TIMEOUT).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + settings.modelUpdatesTopic() + " to its end within "
              + READ_TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ModelUpdate update;
          try {
            update = codec.decode(record.value());
          } catch (DecodeException e) {
            continue; // the job dead-letters it too; it activated nothing
          }
          boolean activates = update.getAction() == ModelUpdateAction.ACTIVATE
              || update.getAction() == ModelUpdateAction.ROLLBACK;
          if (activates && (latest == null || !update.getAnnouncedAt().isBefore(latest.getAnnouncedAt()))) {
            latest = update;
          }
        }
      }
    }
    return Optional.ofNullable(latest);
  }
}
