package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A published, checked bundle.
 *
 * @param bundleDirectory where {@code model.onnx} and {@code manifest.json} now are
 * @param manifest the manifest as written, checksum included
 * @param heldOut the rows of the test period, which chose the thresholds and measured the metrics
 * @param onnxTribuoMaxAbsDiff largest difference between the bundle's score under ONNX Runtime and
 *     Tribuo's own fraud probability over the held-out rows
 */
public record TrainingResult(
    Path bundleDirectory, ModelManifest manifest, List<FeatureRow> heldOut, double onnxTribuoMaxAbsDiff) {

  public TrainingResult {
    heldOut = List.copyOf(heldOut);
  }

  /** Held-out metrics, as recorded in the manifest. */
  public Map<String, Double> metrics() {
    return manifest.training().metrics();
  }
}
