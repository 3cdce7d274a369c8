package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

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
    byte[] key = action == ModelUpdateAction.SHADOW || action == ModelUpdateAction.END_SHADOW ? SHADOW_KEY : KEY;
    return ControlTopics.write(kafka, topic, key, AvroCodec.of(ModelUpdate.class).encode(update));
  }
}
