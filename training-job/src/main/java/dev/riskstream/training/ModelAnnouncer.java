package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a {@link ModelUpdate} to the model-updates topic and waits for the broker's acknowledgement.
 * Announcements of the deciding model share one key and those of the shadow another, so a compacted
 * topic keeps the latest of each: a fresh job reads which version decides and which scores in shadow.
 */
public final class ModelAnnouncer {

  static final byte[] KEY = "riskstream-model".getBytes(StandardCharsets.UTF_8);
  static final byte[] SHADOW_KEY = "riskstream-shadow-model".getBytes(StandardCharsets.UTF_8);

  private ModelAnnouncer() {}

  /**
   * Announces the bundle of {@code manifest} on {@code topic}; returns where the announcement landed,
   * for the user.
   *
   * @param kafka client properties: bootstrap servers and security settings
   * @param reason why, for the people reading the model-status topic; may be null
   */
  public static String announce(Properties kafka, String topic, ModelManifest manifest, ModelUpdateAction action,
      String reason) throws InterruptedException, ExecutionException {
    ModelUpdate update = ModelUpdate.newBuilder()
        .setModelVersion(manifest.modelVersion())
        .setAction(action)
        .setModelSha256(manifest.modelSha256())
        .setAnnouncedAt(Instant.now())
        .setReason(reason)
        .build();
    Properties settings = new Properties();
    settings.putAll(kafka);
    settings.putAll(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    try (var producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = action == ModelUpdateAction.SHADOW || action == ModelUpdateAction.END_SHADOW ? SHADOW_KEY : KEY;
      var written = producer.send(new ProducerRecord<>(topic, key,
          AvroCodec.of(ModelUpdate.class).encode(update))).get();
      return written.topic() + "/" + written.partition() + "/" + written.offset();
    }
  }
}
