package dev.riskstream.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.onnx.ScoringSessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * The ceiling for the scoring operator: one {@code OrtSession.run} on a tensor built once over a
 * direct buffer that already holds the rows in the model's column order, then the probabilities
 * read out. Nothing per row is left but what ONNX Runtime itself does.
 */
public final class RawOrtScoring implements AutoCloseable {

  private final OrtSession session;
  private final OnnxTensor input;
  private final Map<String, OnnxTensor> inputs;
  private final Set<String> requestedOutputs;
  private final int rows;
  private final int positiveColumn;

  private RawOrtScoring(ModelBundle bundle, OrtSession session, OnnxTensor input, int rows) {
    ModelManifest manifest = bundle.manifest();
    this.session = session;
    this.input = input;
    this.inputs = Map.of(manifest.input().name(), input);
    this.requestedOutputs = Set.of(manifest.output().name());
    this.rows = rows;
    Integer positive = manifest.output().positiveClassIndex();
    this.positiveColumn = positive == null ? 0 : positive;
  }

  /** A session on {@code provider} (CPU or CUDA) over {@code featureVectors} (in {@code FeatureSpec} order). */
  public static RawOrtScoring open(ModelBundle bundle, ExecutionProviderChoice provider, float[][] featureVectors)
      throws OrtException {
    if (provider == ExecutionProviderChoice.AUTO) {
      throw new IllegalArgumentException("raw scoring runs on CPU or CUDA, not " + provider);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    int width = bundle.inputWidth();
    FloatBuffer buffer = ByteBuffer.allocateDirect(Float.BYTES * featureVectors.length * width)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < featureVectors.length; i++) {
      bundle.toModelColumns(featureVectors[i], buffer, i * width);
    }
    try (OrtSession.SessionOptions options = ScoringSessions.options(provider == ExecutionProviderChoice.CUDA)) {
      OrtSession session = environment.createSession(bundle.model(), options);
      OnnxTensor input = OnnxTensor.createTensor(environment, buffer, new long[] {featureVectors.length, width});
      return new RawOrtScoring(bundle, session, input, featureVectors.length);
    }
  }

  /** Scores every row in one run and writes the fraud probability of row {@code i} to {@code scores[i]}. */
  public void score(double[] scores) throws OrtException {
    try (OrtSession.Result result = session.run(inputs, requestedOutputs)) {
      OnnxTensor probabilities = (OnnxTensor) result.get(0);
      long[] shape = probabilities.getInfo().getShape();
      int stride = shape.length == 1 ? 1 : (int) shape[1];
      FloatBuffer values = probabilities.getFloatBuffer();
      for (int i = 0; i < rows; i++) {
        scores[i] = values.get(i * stride + positiveColumn);
      }
    }
  }

  public int rows() {
    return rows;
  }

  @Override
  public void close() throws OrtException {
    input.close();
    session.close();
  }
}
