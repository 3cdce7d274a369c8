package dev.riskstream.features.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.spec.FeatureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

  @TempDir Path dir;

  private static ModelManifest manifest(List<String> columns, Map<String, Integer> versions) {
    return manifest("m-1", columns, versions);
  }

  static ModelManifest manifest(String version, List<String> columns, Map<String, Integer> versions) {
    return new ModelManifest(
        ModelManifest.FORMAT_VERSION, version, "2026-01-01T00:00:00Z", null,
        new ModelManifest.Input("input", columns), ModelManifest.Output.column("output", 1),
        versions, new ModelManifest.Thresholds(0.5, 0.9),
        new ModelManifest.Training("test", "none", 1, 1, Map.of()));
  }

  private static final int IS_NIGHT_VERSION = FeatureSpec.CURRENT.feature(FeatureSpec.IS_NIGHT).version();

  @Test
  void mapsSpecVectorsToTheModelsColumnOrder() throws Exception {
    ModelBundle.write(dir, manifest(List.of(FeatureSpec.IS_NIGHT, FeatureSpec.AMOUNT_BASE_LOG),
        Map.of(FeatureSpec.IS_NIGHT, IS_NIGHT_VERSION, FeatureSpec.AMOUNT_BASE_LOG, 1)), new byte[] {1, 2, 3});

    ModelBundle bundle = ModelBundle.load(dir);
    float[] spec = new float[FeatureSpec.CURRENT.size()];
    spec[FeatureSpec.CURRENT.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] = 7f;
    spec[FeatureSpec.CURRENT.requireIndex(FeatureSpec.IS_NIGHT)] = 1f;
    float[] row = new float[bundle.inputWidth()];
    bundle.toModelColumns(spec, row);

    assertThat(row).containsExactly(1f, 7f);
    assertThat(bundle.version()).isEqualTo("m-1");
    assertThat(bundle.manifest().modelSha256()).hasSize(64);
  }

  @Test
  void refusesATamperedModel() throws Exception {
    ModelBundle.write(dir, manifest(List.of(FeatureSpec.IS_NIGHT), Map.of(FeatureSpec.IS_NIGHT, IS_NIGHT_VERSION)), new byte[] {1});
    Files.write(dir.resolve(ModelBundle.MODEL_FILE), new byte[] {2});
    assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void refusesUnknownFeaturesAndOtherFeatureVersions() throws Exception {
    ModelBundle.write(dir, manifest(List.of("shoe_size"), Map.of("shoe_size", 1)), new byte[] {1});
    assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("shoe_size");

    ModelBundle.write(dir, manifest(List.of(FeatureSpec.IS_NIGHT), Map.of(FeatureSpec.IS_NIGHT, 0)), new byte[] {1});
    assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("v0").hasMessageContaining("v" + IS_NIGHT_VERSION);
  }

  @Test
  void readsTheOutputsFraudClassByColumnOrByZipMapKey() throws Exception {
    ModelBundle.write(dir, manifest(List.of(FeatureSpec.IS_NIGHT),
        Map.of(FeatureSpec.IS_NIGHT, IS_NIGHT_VERSION)), new byte[] {1});
    String json = Files.readString(dir.resolve(ModelBundle.MANIFEST_FILE));
    assertThat(json).as("manifests of tensor outputs look as they did before ZipMap keys")
        .contains("\"positiveClassIndex\" : 1").doesNotContain("positiveClassLabel");
    assertThat(ModelBundle.load(dir).manifest().output()).isEqualTo(new ModelManifest.Output("output", 1, null));

    Files.writeString(dir.resolve(ModelBundle.MANIFEST_FILE), json.replace("\"positiveClassIndex\" : 1",
        "\"positiveClassLabel\" : \"fraud\""));
    assertThat(ModelBundle.load(dir).manifest().output())
        .isEqualTo(new ModelManifest.Output("output", null, "fraud"));
  }

  @Test
  void refusesAMissingBundleClearly() {
    assertThatThrownBy(() -> ModelBundle.load(dir.resolve("nope")))
        .isInstanceOf(InvalidBundleException.class).hasMessageContaining("cannot read model bundle");
  }
}
