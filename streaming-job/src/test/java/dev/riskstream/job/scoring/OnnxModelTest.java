package dev.riskstream.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {

  @TempDir Path dir;

  @Test
  void scoresTheBaselineWithProbabilitiesThatRespondToRisk() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE), ExecutionProviderChoice.AUTO)) {
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

      double quietScore = model.score(quiet);
      double burstScore = model.score(burst);

      assertThat(quietScore).isBetween(0.0, 1.0);
      assertThat(burstScore).isBetween(0.0, 1.0).isGreaterThan(quietScore);
      assertThat(model.score(quiet)).as("the reused input buffer holds no stale row").isEqualTo(quietScore);
      assertThat(model.version()).isEqualTo("baseline-1");
      assertThat(model.executionProvider()).as("no GPU on the build machine").isEqualTo("cpu");
    }
  }

  @Test
  void cudaWithoutAGpuFailsLoudly() {
    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE), ExecutionProviderChoice.CUDA))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("CUDA cannot be used");
  }

  @Test
  void refusesABundleWhoseManifestDoesNotMatchTheModel() throws Exception {
    ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(
        TestData.BASELINE_BUNDLE.resolve(ModelBundle.MANIFEST_FILE).toFile());
    ((ObjectNode) manifest.get("output")).put("name", "probabilities");
    Files.copy(TestData.BASELINE_BUNDLE.resolve(ModelBundle.MODEL_FILE), dir.resolve(ModelBundle.MODEL_FILE));
    new ObjectMapper().writeValue(dir.resolve(ModelBundle.MANIFEST_FILE).toFile(), manifest);

    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(dir), ExecutionProviderChoice.CPU))
        .isInstanceOf(InvalidBundleException.class).hasMessageContaining("no output 'probabilities'");

    ((ObjectNode) manifest.get("output")).put("name", "output");
    ((com.fasterxml.jackson.databind.node.ArrayNode) manifest.get("input").get("features")).remove(0);
    new ObjectMapper().writeValue(dir.resolve(ModelBundle.MANIFEST_FILE).toFile(), manifest);

    assertThatThrownBy(() -> OnnxModel.load(ModelBundle.load(dir), ExecutionProviderChoice.CPU))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("manifest lists " + manifest.get("input").get("features").size() + " features");
  }
}
