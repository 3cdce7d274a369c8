package dev.riskstream.job.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.ProbabilityOutput;
import dev.riskstream.features.onnx.ScoringSessions;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.util.LogThrottle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model bundle loaded into an ONNX Runtime session. Checks at load that the model's input and
 * output match the manifest ({@link ProbabilityOutput} for the output), so a mismatched bundle
 * fails at start rather than scoring garbage.
 * On CUDA, with a {@link ProviderPlan#cudaMinRows}, a second session on the CPU runs the small batches.
 * Thread-safe: ONNX Runtime allows concurrent {@code run} calls on one session, and the mutable
 * input and output buffers live in an {@link InputBatch} per caller, so the slots of a TaskManager share one model
 * through {@link SharedModels}.
 */
public final class OnnxModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);
  private static final int SMOKE_BATCH_ROWS = 32;
  /** Most a score may move between CUDA and the CPU: decisions must not depend on where a row ran. */
  public static final double PARITY_TOLERANCE = 1e-5;

  private final ModelBundle bundle;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String executionProvider;
  /** The CPU session that runs fewer than {@link #cudaMinRows} rows of a model on CUDA; null: none. */
  private final OrtSession smallRuns;
  private final int cudaMinRows;
  private final ProbabilityOutput probability;
  private final LogThrottle failedRowsWarnings = new LogThrottle(Duration.ofMinutes(1));
  private SharedLane sharedLane;

  private OnnxModel(ModelBundle bundle, OrtSession session, String executionProvider, OrtSession smallRuns,
      int cudaMinRows, ProbabilityOutput probability) {
    this.bundle = bundle;
    this.environment = OrtEnvironment.getEnvironment();
    this.session = session;
    this.executionProvider = executionProvider;
    this.smallRuns = smallRuns;
    this.cudaMinRows = cudaMinRows;
    this.probability = probability;
  }

  public static OnnxModel load(ModelBundle bundle, ProviderPlan plan) throws InvalidBundleException, OrtException {
    ScoringSessions.Chosen chosen = ScoringSessions.choose(plan.choice(), "model.execution-provider");
    String provider = chosen.provider();
    OrtSession session = createSession(bundle, chosen.options());
    OrtSession smallRuns = null;
    ProbabilityOutput probability;
    try {
      if ("cuda".equals(provider) && plan.cudaMinRows() > 0) {
        smallRuns = createSession(bundle, ScoringSessions.options(false));
      }
      checkInput(bundle.manifest(), session);
      probability = ProbabilityOutput.of(session, bundle.manifest().input().name(), bundle.inputWidth(),
          bundle.manifest().output());
    } catch (InvalidBundleException | OrtException | RuntimeException e) {
      session.close();
      if (smallRuns != null) {
        smallRuns.close();
      }
      throw e;
    }
    OnnxModel model = new OnnxModel(bundle, session, provider, smallRuns, plan.cudaMinRows(), probability);
    try {
      model.scoreSmokeBatch();
    } catch (InvalidBundleException | RuntimeException e) {
      model.close();
      throw e;
    }
    LOG.info("model {} loaded on execution provider {}{}", bundle.version(), provider,
        smallRuns == null ? "" : ", runs of fewer than " + plan.cudaMinRows() + " rows on the CPU");
    return model;
  }

  private static OrtSession createSession(ModelBundle bundle, OrtSession.SessionOptions options) throws OrtException {
    try (options) { // the session keeps what it needs of them
      return OrtEnvironment.getEnvironment().createSession(bundle.model(), options);
    }
  }

  /**
   * Scores a batch of default feature vectors, which both warms the session up (the first run
   * allocates and plans) and refuses a model that fails at run time or gives no probability; with a
   * CPU session for small runs, on both sessions, refusing a model whose scores depend on which of
   * them runs it.
   */
  private void scoreSmokeBatch() throws InvalidBundleException {
    InputBatch batch = newBatch(SMOKE_BATCH_ROWS);
    float[] defaults = FeatureSpec.CURRENT.defaults();
    for (int i = 0; i < SMOKE_BATCH_ROWS; i++) {
      batch.add(defaults);
    }
    double[] scores = smokeScores(session, batch);
    if (smallRuns != null) {
      double[] onCpu = smokeScores(smallRuns, batch);
      for (int i = 0; i < SMOKE_BATCH_ROWS; i++) {
        if (!(Math.abs(scores[i] - onCpu[i]) <= PARITY_TOLERANCE)) {
          throw new InvalidBundleException("the model scores a smoke batch " + scores[i] + " on CUDA but " + onCpu[i]
              + " on the CPU; runs of fewer than scoring.cuda-min-rows rows go to the CPU, so the two must agree "
              + "within " + PARITY_TOLERANCE);
        }
      }
    }
  }

  private double[] smokeScores(OrtSession on, InputBatch batch) throws InvalidBundleException {
    try {
      run(on, batch, null);
    } catch (OrtException | RuntimeException e) {
      throw new InvalidBundleException("the model fails on a smoke batch: " + e.getMessage(), e);
    }
    // a copy: the batch's scores are overwritten by its next run
    double[] scores = Arrays.copyOf(batch.scores(), batch.size());
    for (double score : scores) {
      if (!(score >= 0 && score <= 1)) {
        throw new InvalidBundleException("the model gave " + score + " on a smoke batch; a fraud probability "
            + "is a number in [0, 1]");
      }
    }
    return scores;
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
    return new InputBatch(this, bundle, capacity, probability.newBuffer(capacity));
  }

  /**
   * Scores the rows of {@code batch}, one of this model's, in one {@code OrtSession.run} on an
   * {@code [n, F]} tensor over the batch's buffer, and gives row {@code i} the fraud probability read
   * as {@link ProbabilityOutput} describes ({@link InputBatch#score}). Returns the execution provider
   * that ran it.
   */
  public String scoreBatch(InputBatch batch) throws OrtException {
    if (batch.model() != this) {
      throw new IllegalArgumentException("a batch of " + batch.model().version() + " cannot be scored by " + version());
    }
    if (smallRuns != null && batch.size() < cudaMinRows) {
      runIsolatingFailures(smallRuns, batch);
      return "cpu";
    }
    runIsolatingFailures(session, batch);
    return executionProvider;
  }

  /**
   * A batch whose run fails is run again row by row, and a row that fails alone gets NaN, no score,
   * so one row the model cannot take (an index out of an embedding's range, say) neither fails the
   * job nor, replayed after the restart, fails it again and again. First a row of default features
   * tells rows and session apart: if it fails too, the session or its device is at fault and the
   * batch's failure is thrown, for a restart to open them afresh, without a run per row.
   */
  private void runIsolatingFailures(OrtSession on, InputBatch batch) throws OrtException {
    try {
      run(on, batch, null);
    } catch (OrtException batchFailure) {
      // ONNX Runtime has logged the batch's failure; the rows' own would repeat it row after row
      try (OrtSession.RunOptions quiet = new OrtSession.RunOptions()) {
        quiet.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        InputBatch one = newBatch(1);
        one.add(FeatureSpec.CURRENT.defaults());
        try {
          run(on, one, quiet);
        } catch (OrtException sessionFailure) {
          batchFailure.addSuppressed(sessionFailure);
          throw batchFailure;
        }
        scoreRowByRow(on, batch, one, quiet, batchFailure);
      }
    }
  }

  private void scoreRowByRow(OrtSession on, InputBatch batch, InputBatch one, OrtSession.RunOptions quiet,
      OrtException batchFailure) {
    double[] scores = batch.scores();
    int failed = 0;
    OrtException rowFailure = null;
    for (int i = 0; i < batch.size(); i++) {
      one.clear();
      one.addRows(batch, i, 1);
      try {
        run(on, one, quiet);
        scores[i] = one.score(0);
      } catch (OrtException e) {
        scores[i] = Double.NaN;
        failed++;
        rowFailure = rowFailure == null ? e : rowFailure;
      }
    }
    // even when every row scores alone the batch failed, and rows are slow one by one: worth a line
    warnOfFailedRows(batch.size(), failed, rowFailure == null ? batchFailure : rowFailure);
  }

  private void warnOfFailedRows(int rows, int failed, OrtException failure) {
    if (failedRowsWarnings.due()) {
      LOG.warn("model {} failed on a batch of {} rows; run row by row, {} of them failed and have no score: {}",
          version(), rows, failed, failure.getMessage());
    }
  }

  /** @param runOptions null: the defaults */
  private void run(OrtSession on, InputBatch batch, OrtSession.RunOptions runOptions) throws OrtException {
    int n = batch.size();
    if (n == 0) {
      return;
    }
    long[] shape = {n, batch.width()};
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch.filled(), shape)) {
      probability.score(on, Map.of(bundle.manifest().input().name(), tensor), n, batch.output(), batch.scores(),
          runOptions);
    }
  }

  /** {@link #scoreBatch}, timed. */
  BatchRun timedScoreBatch(InputBatch batch) throws OrtException {
    long start = System.nanoTime();
    String provider = scoreBatch(batch);
    return new BatchRun(System.nanoTime() - start, provider);
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

  /** {@code cuda} or {@code cpu}: where runs of at least {@link ProviderPlan#cudaMinRows} rows go. */
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
    if (smallRuns != null) {
      smallRuns.close();
    }
  }
}
