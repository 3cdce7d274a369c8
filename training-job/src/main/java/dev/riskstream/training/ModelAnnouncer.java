package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.io.kafka.ModelUpdateKeys;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Writes a {@link ModelUpdate} to the model-updates topic, keyed by {@link ModelUpdateKeys}, and waits
 * for the broker's acknowledgement.
 */
public final class ModelAnnouncer {

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
    byte[] key = ModelUpdateKeys.of(action).getBytes(StandardCharsets.UTF_8);
    return ControlTopics.write(kafka, topic, key, AvroCodec.of(ModelUpdate.class).encode(update));
  }
}
