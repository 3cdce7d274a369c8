package dev.riskstream.job.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.ExecutionProviderChoice;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model bundle loaded into an ONNX Runtime session. Checks at load that the model's input and
 * output match the manifest ({@link ProbabilityOutput} for the output), so a mismatched bundle
 * fails at start rather than scoring garbage.
 * Thread-safe: ONNX Runtime allows concurrent {@code run} calls on one session, and the mutable
 * input and output buffers live in an {@link InputBatch} per caller, so the slots of a TaskManager share one model
 * through {@link SharedModels}.
 */
public final class OnnxModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);
  private static final int SMOKE_BATCH_ROWS = 32;

  private final ModelBundle bundle;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String executionProvider;
  private final ProbabilityOutput probability;
  private SharedLane sharedLane;

  private OnnxModel(ModelBundle bundle, OrtSession session, String executionProvider, ProbabilityOutput probability) {
    this.bundle = bundle;
    this.environment = OrtEnvironment.getEnvironment();
    this.session = session;
    this.executionProvider = executionProvider;
    this.probability = probability;
  }

  public static OnnxModel load(ModelBundle bundle, ExecutionProviderChoice choice)
      throws InvalidBundleException, OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options;
    String provider = "cpu";
    if (choice == ExecutionProviderChoice.CPU) {
      options = sessionOptions(false);
    } else {
      try {
        options = sessionOptions(true);
        provider = "cuda";
      } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
        if (choice == ExecutionProviderChoice.CUDA) {
          throw new ExecutionProviderUnavailableException(
              "model.execution-provider is CUDA but CUDA cannot be used: " + e.getMessage(), e);
        }
        LOG.info("CUDA execution provider unavailable ({}); scoring on the CPU", e.getMessage());
        options = sessionOptions(false);
      }
    }
    OrtSession session;
    try (OrtSession.SessionOptions used = options) { // the session keeps what it needs of them
      session = environment.createSession(bundle.model(), used);
    }
    ProbabilityOutput probability;
    try {
      checkInput(bundle.manifest(), session);
      probability = ProbabilityOutput.of(session, bundle.manifest().input().name(), bundle.inputWidth(),
          bundle.manifest().output());
    } catch (InvalidBundleException | OrtException e) {
      session.close();
      throw e;
    }
    OnnxModel model = new OnnxModel(bundle, session, provider, probability);
    try {
      model.scoreSmokeBatch();
    } catch (InvalidBundleException | RuntimeException e) {
      model.close();
      throw e;
    }
    LOG.info("model {} loaded on execution provider {}", bundle.version(), provider);
    return model;
  }

  /**
   * Scores a batch of default feature vectors, which both warms the session up (the first run
   * allocates and plans) and refuses a model that fails at run time or gives no probability.
   */
  private void scoreSmokeBatch() throws InvalidBundleException {
    InputBatch batch = newBatch(SMOKE_BATCH_ROWS);
    float[] defaults = FeatureSpec.CURRENT.defaults();
    for (int i = 0; i < SMOKE_BATCH_ROWS; i++) {
      batch.add(defaults);
    }
    double[] scores = new double[SMOKE_BATCH_ROWS];
    try {
      scoreBatch(batch, scores);
    } catch (OrtException | RuntimeException e) {
      throw new InvalidBundleException("the model fails on a smoke batch: " + e.getMessage(), e);
    }
    for (double score : scores) {
      if (!(score >= 0 && score <= 1)) {
        throw new InvalidBundleException("the model gave " + score + " on a smoke batch; a fraud probability "
            + "is a number in [0, 1]");
      }
    }
  }

  /**
   * The options of every scoring session; with {@code cuda}, on the CUDA provider with TF32 off.
   * Public so that benchmarks measure raw ONNX Runtime under exactly these.
   */
  public static OrtSession.SessionOptions sessionOptions(boolean cuda) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // One thread per run: ONNX Runtime then computes on the calling thread, so each slot that shares
    // this session scores on its own task thread, and Flink's parallelism is the unit of scale, not a
    // thread pool of ORT's that all slots would contend for.
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    // Should the thread count be raised, pool threads must sleep when idle rather than spin: an idle
    // slot would otherwise burn a core between micro-batches.
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.addConfigEntry("session.inter_op.allow_spinning", "0");
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (cuda) {
      try (OrtCUDAProviderOptions provider = new OrtCUDAProviderOptions(0)) {
        // TF32 moved scores by up to 1.4e-2 against the CPU, enough to flip decisions
        provider.add("use_tf32", "0");
        options.addCUDA(provider);
      } catch (OrtException | RuntimeException | LinkageError e) {
        options.close();
        throw e;
      }
    }
    return options;
  }

  private static void checkInput(ModelManifest manifest, OrtSession session)
      throws InvalidBundleException, OrtException {
    NodeInfo input = session.getInputInfo().get(manifest.input().name());
    if (input == null || session.getNumInputs() != 1) {
      throw new InvalidBundleException("the model must have exactly one input named '"
          + manifest.input().name() + "', it has " + session.getInputNames());
    }
    if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
      throw new InvalidBundleException("model input '" + input.getName() + "' is " + input.getInfo()
          + ", not a float tensor");
    }
    long[] shape = tensor.getShape();
    if (shape.length != 2 || (shape[1] >= 0 && shape[1] != manifest.input().features().size())) {
      throw new InvalidBundleException("model input '" + input.getName() + "' has shape " + Arrays.toString(shape)
          + " but the manifest lists " + manifest.input().features().size() + " features");
    }
  }

  /** An empty batch of up to {@code capacity} rows, for one scoring thread. */
  public InputBatch newBatch(int capacity) {
    return new InputBatch(bundle, capacity, probability.newBuffer(capacity));
  }

  /**
   * Scores the rows of {@code batch} in one {@code OrtSession.run} on an {@code [n, F]} tensor over the
   * batch's buffer, and writes the fraud probability of row {@code i} to {@code scores[i]}, read as
   * {@link ProbabilityOutput} describes.
   */
  public void scoreBatch(InputBatch batch, double[] scores) throws OrtException {
    int n = batch.size();
    if (n == 0) {
      return;
    }
    long[] shape = {n, batch.width()};
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch.filled(), shape)) {
      probability.score(session, Map.of(bundle.manifest().input().name(), tensor), n, batch.output(), scores);
    }
  }

  /** {@link #scoreBatch}, and how many nanoseconds it took. */
  long timedScoreBatch(InputBatch batch, double[] scores) throws OrtException {
    long start = System.nanoTime();
    scoreBatch(batch, scores);
    return System.nanoTime() - start;
  }

  /**
   * The lane that merges the batches of all subtasks scoring with this model, started on first use
   * with runs of up to {@code maxRows} rows; later callers share it as it is. Closed with the model.
   */
  public synchronized ScoringLane sharedLane(int maxRows) {
    if (sharedLane == null) {
      sharedLane = new SharedLane(this, maxRows, new LaneThread("onnx-shared-lane-" + version()));
    }
    return sharedLane;
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

  /** Lets the shared lane finish what it was handed, then closes the session. */
  @Override
  public void close() throws OrtException {
    synchronized (this) {
      if (sharedLane != null) {
        sharedLane.close();
      }
    }
    session.close();
  }
}
