package dev.riskstream.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Scores feature vectors with a bundle the way serving reads it: columns arranged by {@link
 * ModelBundle#toModelColumns}, tensor names and the fraud column taken from the manifest. Only
 * {@code [N, classes]} outputs, which is what Tribuo exports; this exists to check bundles at
 * training time, not to serve them.
 */
final class OnnxBundleScorer implements AutoCloseable {

  private static final int BATCH_ROWS = 4096;

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final ModelBundle bundle;
  private final OrtSession session;
  private final int fraudColumn;

  OnnxBundleScorer(ModelBundle bundle) throws OrtException {
    Integer positiveClassIndex = bundle.manifest().output().positiveClassIndex();
    if (positiveClassIndex == null) {
      throw new IllegalArgumentException("bundle " + bundle.version() + " has no positive class index");
    }
    this.bundle = bundle;
    this.fraudColumn = positiveClassIndex;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      this.session = environment.createSession(bundle.model(), options);
    }
  }

  /** Fraud probabilities of vectors in {@link dev.riskstream.features.spec.FeatureSpec} order. */
  double[] fraudProbabilities(List<float[]> specVectors) throws OrtException {
    double[] probabilities = new double[specVectors.size()];
    for (int start = 0; start < specVectors.size(); start += BATCH_ROWS) {
      List<float[]> batch = specVectors.subList(start, Math.min(start + BATCH_ROWS, specVectors.size()));
      float[][] classProbabilities = run(batch);
      for (int row = 0; row < batch.size(); row++) {
        probabilities[start + row] = classProbabilities[row][fraudColumn];
      }
    }
    return probabilities;
  }

  private float[][] run(List<float[]> specVectors) throws OrtException {
    ModelManifest manifest = bundle.manifest();
    int width = bundle.inputWidth();
    FloatBuffer input = FloatBuffer.allocate(specVectors.size() * width);
    float[] row = new float[width];
    for (float[] vector : specVectors) {
      bundle.toModelColumns(vector, row);
      input.put(row);
    }
    input.rewind();
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[] {specVectors.size(), width});
        OrtSession.Result result = session.run(Map.of(manifest.input().name(), tensor))) {
      OnnxValue output = result.get(manifest.output().name())
          .orElseThrow(() -> new IllegalStateException("the model has no output '" + manifest.output().name() + "'"));
      return (float[][]) output.getValue();
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
