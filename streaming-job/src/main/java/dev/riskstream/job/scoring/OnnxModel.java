package dev.riskstream.job.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.job.ExecutionProviderChoice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model bundle loaded into an ONNX Runtime session. Checks at load that the model's input and
 * output match the manifest, so a mismatched bundle fails at start rather than scoring garbage.
 * Not thread-safe: it reuses one direct input buffer.
 */
public final class OnnxModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

  private final ModelBundle bundle;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String executionProvider;
  private final float[] row;
  private final FloatBuffer input;
  private final long[] inputShape;

  private OnnxModel(ModelBundle bundle, OrtSession session, String executionProvider) {
    this.bundle = bundle;
    this.environment = OrtEnvironment.getEnvironment();
    this.session = session;
    this.executionProvider = executionProvider;
    this.row = new float[bundle.inputWidth()];
    this.input = ByteBuffer.allocateDirect(Float.BYTES * row.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    this.inputShape = new long[] {1, row.length};
  }

  public static OnnxModel load(ModelBundle bundle, ExecutionProviderChoice choice)
      throws InvalidBundleException, OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // one scoring thread per slot: Flink's parallelism is the unit of scale, not ORT's thread pool
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    String provider = "cpu";
    if (choice != ExecutionProviderChoice.CPU) {
      try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
        // TF32 moved scores by up to 1.4e-2 against the CPU, enough to flip decisions
        cuda.add("use_tf32", "0");
        options.addCUDA(cuda);
        provider = "cuda";
      } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
        if (choice == ExecutionProviderChoice.CUDA) {
          throw new IllegalStateException("model.execution-provider is CUDA but CUDA cannot be used: "
              + e.getMessage(), e);
        }
        LOG.info("CUDA execution provider unavailable ({}); scoring on the CPU", e.getMessage());
      }
    }
    OrtSession session = environment.createSession(bundle.model(), options);
    try {
      checkSignature(bundle.manifest(), session);
    } catch (InvalidBundleException | OrtException e) {
      session.close();
      throw e;
    }
    LOG.info("model {} loaded on execution provider {}", bundle.version(), provider);
    return new OnnxModel(bundle, session, provider);
  }

  private static void checkSignature(ModelManifest manifest, OrtSession session)
      throws InvalidBundleException, OrtException {
    NodeInfo input = session.getInputInfo().get(manifest.input().name());
    if (input == null || session.getNumInputs() != 1) {
      throw new InvalidBundleException("the model must have exactly one input named '"
          + manifest.input().name() + "', it has " + session.getInputNames());
    }
    long[] shape = ((TensorInfo) input.getInfo()).getShape();
    long width = shape[shape.length - 1];
    if (shape.length != 2 || (width >= 0 && width != manifest.input().features().size())) {
      throw new InvalidBundleException("model input has shape " + java.util.Arrays.toString(shape)
          + " but the manifest lists " + manifest.input().features().size() + " features");
    }
    if (!session.getOutputNames().contains(manifest.output().name())) {
      throw new InvalidBundleException("the model has no output '" + manifest.output().name()
          + "', only " + session.getOutputNames());
    }
  }

  /** The fraud probability of one feature vector in {@code FeatureSpec.CURRENT} order. */
  public double score(float[] specVector) throws OrtException {
    bundle.toModelColumns(specVector, row);
    input.clear();
    input.put(row);
    input.flip();
    ModelManifest.Output output = bundle.manifest().output();
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, inputShape);
        OrtSession.Result result = session.run(Map.of(bundle.manifest().input().name(), tensor))) {
      FloatBuffer probabilities = ((OnnxTensor) result.get(output.name()).orElseThrow()).getFloatBuffer();
      return probabilities.get(output.positiveClassIndex() == null ? 0 : output.positiveClassIndex());
    }
  }

  public String version() {
    return bundle.version();
  }

  public ModelManifest.Thresholds thresholds() {
    return bundle.manifest().thresholds();
  }

  /** {@code cuda} or {@code cpu}. */
  public String executionProvider() {
    return executionProvider;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
