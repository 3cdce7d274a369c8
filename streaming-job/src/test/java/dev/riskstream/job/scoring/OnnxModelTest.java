package dev.riskstream.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.features.onnx.ExecutionProviderUnavailableException;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {

  @TempDir Path dir;

  @Test
  void scoresTheBaselineWithProbabilitiesThatRespondToRisk() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.AUTO))) {
      float[] quiet = FeatureSpec.CURRENT.defaults();
      quiet[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_HISTORY_COUNT_LOG)] = 4;
      quiet[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_MERCHANT_FOR_CARD)] = 0;
      quiet[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_COUNTRY_FOR_CARD)] = 0;
      quiet[FeatureSpec.CURRENT.requireIndex(FeatureSpec.SECONDS_SINCE_LAST_TX_LOG)] = (float) Math.log1p(86_400);
      float[] burst = quiet.clone();
      burst[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = 8;
      burst[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1H)] = 8;
      burst[FeatureSpec.CURRENT.requireIndex(FeatureSpec.SECONDS_SINCE_LAST_TX_LOG)] = (float) Math.log1p(5);
      burst[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_MERCHANT_FOR_CARD)] = 1;
      burst[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CHANNEL_ECOM)] = 1;

      double quietScore = scoreOne(model, quiet);
      double burstScore = scoreOne(model, burst);

      assertThat(quietScore).isBetween(0.0, 1.0);
      assertThat(burstScore).isBetween(0.0, 1.0).isGreaterThan(quietScore);
      assertThat(scoreOne(model, quiet)).as("the reused input buffer holds no stale row").isEqualTo(quietScore);
      assertThat(model.version()).isEqualTo("baseline-1");
      assertThat(model.executionProvider()).as("no GPU on the build machine").isEqualTo("cpu");
    }
  }

  @Test
  void aBatchScoresAsItsRowsDoOneByOne() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      float[][] vectors = varied(300);
      InputBatch batch = model.newBatch(256);
      // a partial batch, a full one and a partial one again over the same buffer: the tensor must
      // cover only the batch's rows, and a fuller batch must fit after a smaller one
      int[] sizes = {20, 256, 24};
      for (int start = 0, b = 0; b < sizes.length; start += sizes[b++]) {
        batch.clear();
        for (int i = start; i < start + sizes[b]; i++) {
          batch.add(vectors[i]);
        }
        model.scoreBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
          assertThat(batch.score(i)).as("row %d", start + i).isCloseTo(scoreOne(model, vectors[start + i]), within(1e-6));
        }
      }
    }
  }

  @Test
  void aFullBatchRefusesMoreRows() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      InputBatch batch = model.newBatch(1);
      batch.add(FeatureSpec.CURRENT.defaults());
      assertThatThrownBy(() -> batch.add(FeatureSpec.CURRENT.defaults())).isInstanceOf(IllegalStateException.class);
    }
  }

  /** Feature vectors around the defaults, different enough to get different scores. */
  static float[][] varied(int count) {
    Random random = new Random(42);
    float[][] vectors = new float[count][];
    for (int i = 0; i < count; i++) {
      vectors[i] = FeatureSpec.CURRENT.defaults();
      for (int f = 0; f < vectors[i].length; f++) {
        vectors[i][f] += (float) random.nextGaussian();
      }
    }
    return vectors;
  }

  static double scoreOne(OnnxModel model, float[] vector) throws Exception {
    InputBatch one = model.newBatch(1);
    one.add(vector);
    model.scoreBatch(one);
    return one.score(0);
  }

  @Test
  void withoutAGpuTheSmallRunsSplitChangesNothing() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        new ProviderPlan(ExecutionProviderChoice.AUTO, 1024))) {
      assertThat(model.executionProvider()).isEqualTo("cpu");
      for (int rows : new int[] {1, 1024}) {
        InputBatch batch = model.newBatch(rows);
        float[][] vectors = varied(rows);
        for (float[] vector : vectors) {
          batch.add(vector);
        }
        assertThat(model.scoreBatch(batch)).as("%d rows", rows).isEqualTo("cpu");
        assertThat(batch.score(rows - 1)).isCloseTo(scoreOne(model, vectors[rows - 1]), within(1e-6));
      }
    }
  }

  @Test
  void aRowTheModelCannotRunHasNoScoreWhileTheRestOfItsBatchScores() throws Exception {
    try (OnnxModel model = OnnxModel.load(LookupTableBundle.write(dir), ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      double[] scores = scoreIndexes(model, 0, 7, 2, 1);

      assertThat(scores[0]).isCloseTo(LookupTableBundle.TABLE[0], within(1e-7));
      assertThat(scores[1]).as("index 7 is past the table").isNaN();
      assertThat(scores[2]).isCloseTo(LookupTableBundle.TABLE[2], within(1e-7));
      assertThat(scores[3]).isCloseTo(LookupTableBundle.TABLE[1], within(1e-7));
    }
  }

  @Test
  void aBatchOfRowsTheModelCannotRunHasNoScoresAndFailsNothingWhileTheSessionWorks() throws Exception {
    try (OnnxModel model = OnnxModel.load(LookupTableBundle.write(dir), ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      assertThat(scoreIndexes(model, 5)).containsExactly(Double.NaN);
      assertThat(scoreIndexes(model, 3, 4)).containsExactly(Double.NaN, Double.NaN);
      assertThat(scoreIndexes(model, 1)).containsExactly(LookupTableBundle.TABLE[1]);
    }
  }

  private static double[] scoreIndexes(OnnxModel model, int... indexes) throws Exception {
    InputBatch batch = model.newBatch(indexes.length);
    for (int index : indexes) {
      float[] vector = FeatureSpec.CURRENT.defaults();
      vector[FeatureSpec.CURRENT.requireIndex(LookupTableBundle.INDEX_FEATURE)] = index;
      batch.add(vector);
    }
    model.scoreBatch(batch);
    return IntStream.range(0, batch.size()).mapToDouble(batch::score).toArray();
  }

  @Test
  void cudaWithoutAGpuFailsLoudly() {
    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
            ProviderPlan.of(ExecutionProviderChoice.CUDA)))
        .isInstanceOf(ExecutionProviderUnavailableException.class).hasMessageContaining("CUDA cannot be used");
  }

  @Test
  void refusesABundleWhoseManifestDoesNotMatchTheModel() throws Exception {
    ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(
        TestData.BASELINE_BUNDLE.resolve(ModelBundle.MANIFEST_FILE).toFile());
    ((ObjectNode) manifest.get("output")).put("name", "probabilities");
    Files.copy(TestData.BASELINE_BUNDLE.resolve(ModelBundle.MODEL_FILE), dir.resolve(ModelBundle.MODEL_FILE));
    new ObjectMapper().writeValue(dir.resolve(ModelBundle.MANIFEST_FILE).toFile(), manifest);

    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(dir), ProviderPlan.of(ExecutionProviderChoice.CPU)))
        .isInstanceOf(InvalidBundleException.class).hasMessageContaining("no output 'probabilities'");

    ((ObjectNode) manifest.get("output")).put("name", "output");
    ((com.fasterxml.jackson.databind.node.ArrayNode) manifest.get("input").get("features")).remove(0);
    new ObjectMapper().writeValue(dir.resolve(ModelBundle.MANIFEST_FILE).toFile(), manifest);

    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(dir), ProviderPlan.of(ExecutionProviderChoice.CPU)))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest lists " + manifest.get("input").get("features").size() + " features");
  }
}
