package dev.riskstream.io.kafka;

import dev.riskstream.schemas.ModelUpdateAction;

/**
 * The keys of announcements on the model-updates topic: those of the deciding model share one and
 * those of the shadow another, so a compacted topic keeps the latest of each and a fresh job reads
 * which version decides and which scores in shadow. Whoever announces (the CLI, the retraining
 * service, the job's rollout) uses these.
 */
public final class ModelUpdateKeys {

  private static final String DECIDING = "riskstream-model";
  private static final String SHADOW = "riskstream-shadow-model";

  private ModelUpdateKeys() {}

  public static String of(ModelUpdateAction action) {
    return action == ModelUpdateAction.SHADOW || action == ModelUpdateAction.END_SHADOW ? SHADOW : DECIDING;
  }
}
