package dev.riskstream.sql.onnx;

import ai.onnxruntime.OrtException;
import dev.riskstream.features.bundle.InvalidBundleException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The sessions of a TaskManager (of a job, where the provider comes with the job's jar): every
 * predict function of the same model shares one, opened by the first and closed by the last.
 */
final class SharedModels {

  private record Entry(LoadedModel model, int users) {}

  private static final Map<OnnxModelSpec.SessionKey, Entry> MODELS = new HashMap<>();

  private SharedModels() {}

  static synchronized LoadedModel acquire(OnnxModelSpec spec) throws IOException, InvalidBundleException, OrtException {
    Entry entry = MODELS.get(spec.sessionKey());
    LoadedModel model = entry == null ? LoadedModel.open(spec) : entry.model();
    MODELS.put(spec.sessionKey(), new Entry(model, entry == null ? 1 : entry.users() + 1));
    return model;
  }

  static synchronized void release(OnnxModelSpec spec) throws OrtException {
    Entry entry = MODELS.get(spec.sessionKey());
    if (entry == null) {
      return;
    }
    if (entry.users() > 1) {
      MODELS.put(spec.sessionKey(), new Entry(entry.model(), entry.users() - 1));
    } else {
      MODELS.remove(spec.sessionKey());
      entry.model().close();
    }
  }
}
