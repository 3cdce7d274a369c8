package dev.riskstream.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.spec.FeatureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Models other frameworks made, wrapped in bundles, score as those frameworks did. */
class ProbabilityOutputTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(ReferenceModel.class)
  void scoresTheReferenceRowsAsTheFrameworkDid(ReferenceModel reference) throws Exception {
    ModelBundle bundle = ModelBundle.load(reference.bundle(dir, reference.output()));
    float[][] rows = ReferenceModel.rows();
    double[] expected = reference.expected();
    assertThat(rows).hasNumberOfRows(expected.length);
    try (OnnxModel model = OnnxModel.load(bundle, ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      // batches of 100: two full ones and a partial one over the same input and output buffers
      InputBatch batch = model.newBatch(100);
      double maxDifference = 0;
      for (int start = 0; start < rows.length; start += batch.size()) {
        batch.clear();
        for (int i = start; i < Math.min(start + batch.capacity(), rows.length); i++) {
          batch.add(toSpecOrder(bundle, rows[i]));
        }
        model.scoreBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
          maxDifference = Math.max(maxDifference, Math.abs(batch.score(i) - expected[start + i]));
        }
      }
      assertThat(maxDifference).as("max |riskstream - framework|").isLessThan(ReferenceModel.TOLERANCE);
    }
  }

  @Test
  void refusesAnOutputThatIsNotProbabilities() throws Exception {
    assertRejected(ReferenceModel.SKLEARN_GBT_TENSOR, ModelManifest.Output.column("label", 1),
        "output 'label' is a tensor of INT64 [-1], not fraud probabilities: a float tensor [N], [N,1] or [N,C],"
            + " or a ZipMap of int64 or string classes to float");
  }

  @Test
  void refusesAnOutputTheModelDoesNotHave() throws Exception {
    assertRejected(ReferenceModel.SKLEARN_GBT_TENSOR, ModelManifest.Output.column("probability", 1),
        "the model has no output 'probability', only [label, probabilities]");
  }

  @Test
  void refusesAColumnOutOfRange() throws Exception {
    assertRejected(ReferenceModel.TORCH_MLP_SOFTMAX, ModelManifest.Output.column("probabilities", 2),
        "positiveClassIndex 2 is out of range for output 'probabilities' with 2 columns [-1, 2]");
    assertRejected(ReferenceModel.TORCH_MLP_SIGMOID, ModelManifest.Output.column("fraud_probability", 1),
        "positiveClassIndex 1 is out of range for output 'fraud_probability' with one probability per row [-1, 1]");
    assertRejected(ReferenceModel.TORCH_MLP_SIGMOID_FLAT, ModelManifest.Output.column("fraud_probability", -1),
        "positiveClassIndex -1 is out of range for output 'fraud_probability' with one probability per row [-1]");
  }

  @Test
  void refusesSeveralColumnsWithoutTheFraudColumn() throws Exception {
    assertRejected(ReferenceModel.LIGHTGBM_TENSOR, new ModelManifest.Output("probabilities", null, null),
        "output 'probabilities' has shape [-1, 2]: positiveClassIndex must say which of its 2 columns is the fraud class");
  }

  @Test
  void refusesAClassLabelForATensor() throws Exception {
    assertRejected(ReferenceModel.TORCH_MLP_SOFTMAX, new ModelManifest.Output("probabilities", null, "1"),
        "output 'probabilities' is a tensor [-1, 2], not a ZipMap: give its fraud column as positiveClassIndex,"
            + " not positiveClassLabel '1'");
  }

  @Test
  void refusesAZipMapWithoutItsFraudClass() throws Exception {
    assertRejected(ReferenceModel.SKLEARN_GBT_ZIPMAP, new ModelManifest.Output("output_probability", null, null),
        "output 'output_probability' is a ZipMap of int64 classes: positiveClassLabel must name the fraud class");
    assertRejected(ReferenceModel.SKLEARN_GBT_ZIPMAP, ModelManifest.Output.column("output_probability", 1),
        "output 'output_probability' is a ZipMap of int64 classes: name the fraud class by its key in"
            + " positiveClassLabel, not by positiveClassIndex 1");
  }

  @Test
  void refusesAClassTheZipMapDoesNotHave() throws Exception {
    assertRejected(ReferenceModel.SKLEARN_GBT_ZIPMAP, new ModelManifest.Output("output_probability", null, "2"),
        "output 'output_probability' has no class '2'; its classes are [0, 1]");
    assertRejected(ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS,
        new ModelManifest.Output("output_probability", null, "Fraud"),
        "output 'output_probability' has no class 'Fraud'; its classes are [fraud, legit]");
    assertRejected(ReferenceModel.SKLEARN_GBT_ZIPMAP, new ModelManifest.Output("output_probability", null, "fraud"),
        "output 'output_probability' is a ZipMap of int64 classes but positiveClassLabel 'fraud' is not an integer");
  }

  @Test
  void refusesAnInputOfAnotherWidthOrName() throws Exception {
    ModelManifest.Output output = ReferenceModel.TORCH_MLP_SOFTMAX.output();
    List<String> features = FeatureSpec.CURRENT.features().stream().map(f -> f.name()).toList();
    assertRejected(ReferenceModel.TORCH_MLP_SOFTMAX, new ModelManifest.Input("features", features.subList(0, 25)),
        output, "model input 'features' has shape [-1, 26] but the manifest lists 25 features");
    assertRejected(ReferenceModel.TORCH_MLP_SOFTMAX, new ModelManifest.Input("input", features), output,
        "the model must have exactly one input named 'input', it has [features]");
  }

  private void assertRejected(ReferenceModel reference, ModelManifest.Output output, String message)
      throws Exception {
    assertRejected(ModelBundle.load(reference.bundle(Files.createTempDirectory(dir, "bundle"), output)), message);
  }

  private void assertRejected(ReferenceModel reference, ModelManifest.Input input, ModelManifest.Output output,
      String message) throws Exception {
    assertRejected(ModelBundle.load(reference.bundle(Files.createTempDirectory(dir, "bundle"), input, output)),
        message);
  }

  private static void assertRejected(ModelBundle bundle, String message) {
    assertThatThrownBy(() -> OnnxModel.load(bundle, ProviderPlan.of(ExecutionProviderChoice.CPU)))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessage(message);
  }

  /** A row in the model's column order as the {@link FeatureSpec} vector that {@link InputBatch#add} takes. */
  private static float[] toSpecOrder(ModelBundle bundle, float[] modelRow) {
    float[] spec = FeatureSpec.CURRENT.defaults();
    List<String> columns = bundle.manifest().input().features();
    for (int column = 0; column < columns.size(); column++) {
      spec[FeatureSpec.CURRENT.requireIndex(columns.get(column))] = modelRow[column];
    }
    return spec;
  }
}
