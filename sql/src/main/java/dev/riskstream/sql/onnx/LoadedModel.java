package dev.riskstream.sql.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.onnx.ProbabilityOutput;
import dev.riskstream.features.onnx.ScoringSessions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session of a model, shared by the predict functions of a TaskManager that use it
 * ({@link SharedModels}). ONNX Runtime allows concurrent runs on a session; each caller passes its
 * own {@link Buffers}.
 */
final class LoadedModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

  private final OnnxModelSpec spec;
  private final OrtSession session;
  private final ProbabilityOutput probability;

  private LoadedModel(OnnxModelSpec spec, OrtSession session, ProbabilityOutput probability) {
    this.spec = spec;
    this.session = session;
    this.probability = probability;
  }

  static LoadedModel open(OnnxModelSpec spec) throws IOException, InvalidBundleException, OrtException {
    byte[] model = OnnxModelSpec.modelBytes(spec.path(), spec.bundle());
    ScoringSessions.Chosen chosen = ScoringSessions.choose(spec.executionProvider(),
        "model " + spec.model() + ": '" + OnnxModelOptions.EXECUTION_PROVIDER.key() + "'");
    OrtSession session;
    try (OrtSession.SessionOptions options = chosen.options()) {
      session = OrtEnvironment.getEnvironment().createSession(model, options);
    }
    try {
      ProbabilityOutput probability = ProbabilityOutput.of(session, spec.inputName(), spec.columns().width(),
          spec.output());
      LOG.info("model {} ({}) loaded on execution provider {}", spec.model(), spec.path(), chosen.provider());
      return new LoadedModel(spec, session, probability);
    } catch (InvalidBundleException | OrtException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Input and output buffers for batches of up to {@code rows} rows, for one caller. */
  Buffers newBuffers(int rows) {
    int width = spec.columns().width();
    FloatBuffer input = ByteBuffer.allocateDirect(Float.BYTES * rows * width).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    return new Buffers(new float[rows * width], input, probability.newBuffer(rows), new double[rows]);
  }

  /**
   * Scores the first {@code rows} rows of {@code buffers.features} in one run; row {@code i}'s fraud
   * probability lands in {@code buffers.scores[i]}.
   */
  void score(Buffers buffers, int rows) throws OrtException {
    score(buffers, 0, rows);
  }

  /** Scores the rows from {@code first} to {@code first + rows}; their probabilities land from {@code scores[0]}. */
  void score(Buffers buffers, int first, int rows) throws OrtException {
    int width = spec.columns().width();
    buffers.input.clear();
    buffers.input.put(buffers.features, first * width, rows * width).flip();
    try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffers.input,
        new long[] {rows, width})) {
      probability.score(session, Map.of(spec.inputName(), tensor), rows, buffers.output, buffers.scores, null);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  /** One caller's rows ({@code features}, row-major) and scores. */
  record Buffers(float[] features, FloatBuffer input, FloatBuffer output, double[] scores) {}
}
