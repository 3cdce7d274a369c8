package dev.riskstream.features.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.riskstream.features.drift.ReferenceProfile;
import dev.riskstream.features.estimation.Calibration;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model bundle: everything needed to feed the model and read its answer
 * without assuming anything about how it was trained.
 *
 * @param formatVersion manifest format, 1
 * @param modelVersion unique name of this model, carried on every decision
 * @param createdAt ISO-8601 instant
 * @param modelSha256 hex SHA-256 of {@code model.onnx}; checked on load
 * @param input the model's input tensor and the feature in each of its columns, in column order
 * @param output which output holds the fraud probability and how to read it
 * @param featureVersions the version of every input feature the model was trained on; a bundle is
 *     refused when the serving code computes a different version
 * @param thresholds decision thresholds on the fraud probability
 * @param training how the model was made and how it scored on held-out data
 * @param reference what the training rows looked like, for drift monitoring; absent from bundles
 *     made before drift monitoring, or without training rows (a model trained elsewhere)
 * @param calibration what the model's scores mean as fraud probabilities on its held-out rows, for
 *     estimating its performance before labels arrive; absent from bundles made before estimation
 */
public record ModelManifest(
    int formatVersion,
    String modelVersion,
    String createdAt,
    String modelSha256,
    Input input,
    Output output,
    Map<String, Integer> featureVersions,
    Thresholds thresholds,
    Training training,
    @JsonInclude(JsonInclude.Include.NON_NULL) ReferenceProfile reference,
    @JsonInclude(JsonInclude.Include.NON_NULL) Calibration calibration) {

  public static final int FORMAT_VERSION = 1;

  /** A manifest without a reference profile or a calibration. */
  public ModelManifest(int formatVersion, String modelVersion, String createdAt, String modelSha256, Input input,
      Output output, Map<String, Integer> featureVersions, Thresholds thresholds, Training training) {
    this(formatVersion, modelVersion, createdAt, modelSha256, input, output, featureVersions, thresholds, training,
        null, null);
  }

  public ModelManifest withReference(ReferenceProfile reference) {
    return new ModelManifest(formatVersion, modelVersion, createdAt, modelSha256, input, output, featureVersions,
        thresholds, training, reference, calibration);
  }

  public ModelManifest withCalibration(Calibration calibration) {
    return new ModelManifest(formatVersion, modelVersion, createdAt, modelSha256, input, output, featureVersions,
        thresholds, training, reference, calibration);
  }

  /** A float tensor {@code [N, features.size()]}. */
  public record Input(String name, List<String> features) {}

  /**
   * Where the fraud probability is. A model may have several outputs (a label and the class
   * probabilities, say); only {@code name} is read.
   *
   * @param name the output that holds the probabilities: a float tensor {@code [N]}, {@code [N, 1]}
   *     or {@code [N, classes]}, or a ZipMap sequence of maps from class to probability
   * @param positiveClassIndex column of the fraud class when the output is {@code [N, classes]};
   *     null (or 0) when the output is one probability per row ({@code [N]} or {@code [N, 1]})
   * @param positiveClassLabel the fraud class's key when the output is a ZipMap: its string label,
   *     or its integer label written as a string (e.g. {@code "1"}); absent for tensors
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Output(String name, Integer positiveClassIndex, String positiveClassLabel) {

    /** Column {@code positiveClassIndex} of a tensor output. */
    public static Output column(String name, int positiveClassIndex) {
      return new Output(name, positiveClassIndex, null);
    }
  }

  /** Scores at or above {@code review} are reviewed, at or above {@code decline} declined. */
  public record Thresholds(double review, double decline) implements java.io.Serializable {
    public Thresholds {
      if (!(0 <= review && review <= decline && decline <= 1)) {
        throw new IllegalArgumentException(
            "thresholds must satisfy 0 <= review <= decline <= 1, got " + review + ", " + decline);
      }
    }
  }

  /**
   * @param trainer the algorithm and library
   * @param command the command that reproduces this bundle
   * @param trainRows rows trained on
   * @param testRows rows held out
   * @param metrics held-out metrics (auc, precision and recall at each threshold)
   */
  public record Training(
      String trainer, String command, long trainRows, long testRows, Map<String, Double> metrics) {}
}
