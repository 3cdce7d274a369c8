package dev.riskstream.job.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.job.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Models that PyTorch, scikit-learn and LightGBM made and exported to ONNX, with the probabilities
 * those frameworks computed for {@code reference-rows.csv} (see {@code tools/reference-models}).
 * Their 26 inputs are the baseline bundle's features in its column order, so each can be wrapped in
 * a bundle. Read from the classpath, so the CLI's tests use them through this module's test jar.
 */
public enum ReferenceModel {
  TORCH_MLP_SIGMOID("torch_mlp_sigmoid", "features", new ModelManifest.Output("fraud_probability", null, null)),
  TORCH_MLP_SIGMOID_FLAT("torch_mlp_sigmoid_flat", "features", new ModelManifest.Output("fraud_probability", null, null)),
  TORCH_MLP_SOFTMAX("torch_mlp_softmax", "features", ModelManifest.Output.column("probabilities", 1)),
  SKLEARN_GBT_ZIPMAP("sklearn_gbt_zipmap", "input", new ModelManifest.Output("output_probability", null, "1")),
  SKLEARN_GBT_TENSOR("sklearn_gbt_tensor", "input", ModelManifest.Output.column("probabilities", 1)),
  SKLEARN_GBT_ZIPMAP_STRING_LABELS("sklearn_gbt_zipmap_string_labels", "input",
      new ModelManifest.Output("output_probability", null, "fraud")),
  LIGHTGBM_TENSOR("lightgbm_tensor", "input", ModelManifest.Output.column("probabilities", 1));

  /** How close riskstream's probabilities must come to the framework's. */
  public static final double TOLERANCE = 1e-5;
  public static final String ROWS_FILE = "reference-rows.csv";

  private static final String DIRECTORY = "/reference-models/";

  private final String fileName;
  private final String inputName;
  private final ModelManifest.Output output;

  ReferenceModel(String fileName, String inputName, ModelManifest.Output output) {
    this.fileName = fileName;
    this.inputName = inputName;
    this.output = output;
  }

  public String modelFile() {
    return fileName + ".onnx";
  }

  /** Which output holds the fraud probability and how to read it, as a manifest would say. */
  public ModelManifest.Output output() {
    return output;
  }

  /** The framework's fraud probability of each reference row. */
  public double[] expected() {
    return Arrays.stream(lines(fileName + ".expected.csv")).mapToDouble(Double::parseDouble).toArray();
  }

  /** The rows, in the baseline bundle's column order. */
  public static float[][] rows() {
    return Arrays.stream(lines(ROWS_FILE)).map(line -> {
      String[] values = line.split(",");
      float[] row = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        row[i] = Float.parseFloat(values[i]);
      }
      return row;
    }).toArray(float[][]::new);
  }

  /** Writes the model file into {@code directory}; returns its path. */
  public Path copyModel(Path directory) throws IOException {
    return copy(modelFile(), directory);
  }

  /** Writes {@code reference-rows.csv} into {@code directory}; returns its path. */
  public static Path copyRows(Path directory) throws IOException {
    return copy(ROWS_FILE, directory);
  }

  /**
   * Wraps the model in a bundle in {@code directory}: the baseline's manifest with this model's
   * input name and {@code output}.
   */
  public Path bundle(Path directory, ModelManifest.Output output) throws IOException {
    return bundle(directory, new ModelManifest.Input(inputName, baseline().input().features()), output);
  }

  /** Wraps the model in a bundle with {@code input} and {@code output} in its manifest. */
  public Path bundle(Path directory, ModelManifest.Input input, ModelManifest.Output output) throws IOException {
    ModelManifest baseline = baseline();
    ModelBundle.write(directory, new ModelManifest(baseline.formatVersion(), fileName, baseline.createdAt(), null,
        input, output, baseline.featureVersions(), baseline.thresholds(), baseline.training()), read(modelFile()));
    return directory;
  }

  private static ModelManifest baseline() throws IOException {
    return new ObjectMapper().readValue(
        TestData.BASELINE_BUNDLE.resolve(ModelBundle.MANIFEST_FILE).toFile(), ModelManifest.class);
  }

  private static Path copy(String resource, Path directory) throws IOException {
    Path target = directory.resolve(resource);
    Files.write(target, read(resource));
    return target;
  }

  private static String[] lines(String resource) {
    return new String(read(resource), StandardCharsets.UTF_8).split("\n");
  }

  private static byte[] read(String resource) {
    try (InputStream in = ReferenceModel.class.getResourceAsStream(DIRECTORY + resource)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + DIRECTORY + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
