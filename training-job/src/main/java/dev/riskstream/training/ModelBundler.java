package dev.riskstream.training;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.OutputChoice;
import dev.riskstream.features.onnx.ProbabilityOutput;
import dev.riskstream.features.spec.FeatureSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A complete bundle around an ONNX classifier trained elsewhere, from rows {@link FeatureExport}
 * wrote: the model's columns mapped to features (named by the caller, or by the model's metadata
 * {@value #COLUMNS_METADATA}; never guessed), the fraud output and class chosen as {@code model score}
 * chooses them, the feature versions, the reference profile of the training rows scored by the model
 * (as the trainer profiles its own), thresholds by the trainer's {@link ThresholdRule} on the
 * validation rows and the metrics there. The rows are scored the way the job reads a model ({@link
 * ProbabilityOutput}), and the bundle written is loaded with the job's loader before it is returned.
 */
public final class ModelBundler {

  /** Model metadata naming the input's columns, comma-separated, in order. */
  public static final String COLUMNS_METADATA = "riskstream.features";
  private static final OutputChoice.Options OUTPUT_OPTIONS = new OutputChoice.Options("--output", "--positive-class");
  private static final int BATCH = 1024;

  /**
   * @param columns the model's input columns by feature name, in order; empty: from the model's metadata
   * @param output the output with the probabilities, or null for the only candidate
   * @param positiveClass the fraud class, or null for class 1 of two
   * @param command how the bundle was made, for its manifest
   */
  public record Request(Path model, Optional<List<String>> columns, String output, String positiveClass,
      List<FeatureRow> training, List<FeatureRow> validation, int minSegmentRows, String version, String command) {}

  private ModelBundler() {}

  /** Writes the bundle to {@code bundleDirectory}, which must not exist; returns its manifest. */
  public static ModelManifest bundle(Request request, Path bundleDirectory, Clock clock)
      throws InvalidBundleException, IOException {
    if (Files.exists(bundleDirectory)) {
      throw new FileAlreadyExistsException(bundleDirectory.toString(), null, "bundles are never overwritten");
    }
    requireBothClasses("training", request.training());
    requireBothClasses("validation", request.validation());
    if (request.training().size() < request.minSegmentRows()) {
      // the reference profile would have no segment, not even all: drift monitoring would never see the model
      throw new IllegalArgumentException("the reference profile drift monitoring judges a model by needs at least "
          + request.minSegmentRows() + " training rows (--min-segment-rows), for its segment all; there are "
          + request.training().size());
    }
    byte[] onnx = Files.readAllBytes(request.model());
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = environment.createSession(onnx, options)) {
      String inputName = inputName(session);
      List<String> columns = columns(request, session);
      ModelManifest.Output output = OutputChoice.choose(session.getOutputInfo(), request.output(),
          request.positiveClass(), OUTPUT_OPTIONS);
      ProbabilityOutput probability = ProbabilityOutput.of(session, inputName, columns.size(), output);
      double[] trainingScores = score(session, inputName, probability, columns, request.training());
      double[] validationScores = score(session, inputName, probability, columns, request.validation());

      HeldOutScores heldOut = new HeldOutScores(validationScores, ModelTrainer.labels(request.validation()));
      ModelManifest.Thresholds thresholds = ThresholdRule.choose(heldOut);
      ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, request.version(),
          clock.instant().toString(), null, new ModelManifest.Input(inputName, columns), output,
          ModelTrainer.featureVersions(columns), thresholds,
          new ModelManifest.Training("imported: " + request.model().getFileName(), request.command(),
              request.training().size(), request.validation().size(),
              ModelTrainer.metrics(fraudRate(request.training()), heldOut, thresholds)),
          ModelTrainer.referenceProfile(columns, request.training(), trainingScores,
              request.minSegmentRows()),
          heldOut.calibration());
      ModelBundle.write(bundleDirectory, manifest, onnx);
      try {
        return ModelBundle.load(bundleDirectory).manifest();
      } catch (InvalidBundleException | RuntimeException e) {
        // never half a bundle where a registry or a job could find it
        ModelTrainer.deleteTree(bundleDirectory);
        throw e;
      }
    } catch (OrtException e) {
      throw new InvalidBundleException("ONNX Runtime cannot run " + request.model() + ": " + e.getMessage(), e);
    }
  }

  private static String inputName(OrtSession session) throws OrtException, InvalidBundleException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1 || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo tensor)
        || tensor.type != OnnxJavaType.FLOAT || tensor.getShape().length != 2) {
      throw new InvalidBundleException("the model must have one float input [N, F], it has " + inputs.values());
    }
    return inputs.keySet().iterator().next();
  }

  /** The columns the caller named, else the model's metadata's; checked against the input and the spec. */
  private static List<String> columns(Request request, OrtSession session) throws OrtException, InvalidBundleException {
    List<String> columns;
    if (request.columns().isPresent()) {
      columns = request.columns().get();
    } else {
      String named = session.getMetadata().getCustomMetadata().get(COLUMNS_METADATA);
      if (named == null) {
        throw new InvalidBundleException("which feature each input column is cannot be guessed: name them in order "
            + "with --columns, or put them in the model's metadata '" + COLUMNS_METADATA + "'");
      }
      columns = List.of(named.split(","));
    }
    TensorInfo input = (TensorInfo) session.getInputInfo().values().iterator().next().getInfo();
    long width = input.getShape()[1];
    if (width >= 0 && width != columns.size()) {
      throw new InvalidBundleException("the model's input takes " + width + " columns, but " + columns.size()
          + " features are named");
    }
    List<String> unknown = columns.stream().filter(name -> FeatureSpec.CURRENT.indexOf(name).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      throw new InvalidBundleException("no such features " + unknown + "; the features are "
          + FeatureSpec.CURRENT.names());
    }
    Set<String> seen = new HashSet<>();
    List<String> repeated = columns.stream().filter(name -> !seen.add(name)).toList();
    if (!repeated.isEmpty()) {
      throw new InvalidBundleException("features named more than once: " + repeated);
    }
    return List.copyOf(columns);
  }

  /** The fraud probability of each row, read as the job reads it; refused unless every one is in [0, 1]. */
  private static double[] score(OrtSession session, String inputName, ProbabilityOutput probability,
      List<String> columns, List<FeatureRow> rows) throws OrtException, InvalidBundleException {
    int[] positions = columns.stream().mapToInt(FeatureSpec.CURRENT::requireIndex).toArray();
    double[] scores = new double[rows.size()];
    int capacity = Math.min(BATCH, rows.size());
    FloatBuffer batch = ByteBuffer.allocateDirect(Float.BYTES * capacity * positions.length)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    FloatBuffer outputBuffer = probability.newBuffer(capacity);
    double[] batchScores = new double[capacity];
    for (int start = 0; start < rows.size(); start += capacity) {
      int n = Math.min(capacity, rows.size() - start);
      batch.clear();
      for (FeatureRow row : rows.subList(start, start + n)) {
        for (int position : positions) {
          batch.put(row.features()[position]);
        }
      }
      batch.flip();
      try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), batch,
          new long[] {n, positions.length})) {
        probability.score(session, Map.of(inputName, tensor), n, outputBuffer, batchScores, null);
      }
      System.arraycopy(batchScores, 0, scores, start, n);
    }
    for (int i = 0; i < scores.length; i++) {
      if (!(scores[i] >= 0 && scores[i] <= 1)) {
        throw new InvalidBundleException("the model's output is not a probability: " + scores[i] + " for "
            + rows.get(i).source().transaction().getTransactionId() + " (a logit or a margin needs a sigmoid or a "
            + "softmax in the model, or another --output)");
      }
    }
    return scores;
  }

  private static void requireBothClasses(String name, List<FeatureRow> rows) {
    long fraud = rows.stream().filter(FeatureRow::fraud).count();
    if (fraud == 0 || fraud == rows.size()) {
      throw new IllegalArgumentException("the " + name + " rows need fraud and legitimate ones; they have " + fraud
          + " fraud of " + rows.size());
    }
  }

  private static double fraudRate(List<FeatureRow> rows) {
    return rows.stream().filter(FeatureRow::fraud).count() / (double) rows.size();
  }
}
