package dev.riskstream.features.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.drift.ReferenceProfile;
import dev.riskstream.features.drift.ReferenceProfiler;
import dev.riskstream.features.drift.SegmentProfile;
import dev.riskstream.features.drift.Segmenter;
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
  void roundTripsTheReferenceProfileAndLoadsManifestsWithoutOne() throws Exception {
    ModelManifest without = manifest(List.of(FeatureSpec.IS_NIGHT), Map.of(FeatureSpec.IS_NIGHT, IS_NIGHT_VERSION));
    ModelBundle.write(dir, without, new byte[] {1});
    assertThat(Files.readString(dir.resolve(ModelBundle.MANIFEST_FILE))).as("older readers see no new field")
        .doesNotContain("reference");
    assertThat(ModelBundle.load(dir).manifest().reference()).isNull();

    ReferenceProfile reference = referenceProfile();
    ModelManifest with = ModelBundle.write(dir, without.withReference(reference), new byte[] {1});

    ModelManifest loaded = ModelBundle.load(dir).manifest();
    assertThat(loaded).isEqualTo(with);
    assertThat(loaded.reference()).isEqualTo(reference);
    assertThat(loaded.reference().segment("all").orElseThrow().rows()).isEqualTo(1_000);
  }

  @Test
  void refusesAReferenceProfileThatDoesNotFitItsBins() throws Exception {
    ReferenceProfile reference = referenceProfile();
    SegmentProfile all = reference.segment("all").orElseThrow();
    Map<String, List<Long>> counts = new java.util.LinkedHashMap<>(all.counts());
    counts.put(FeatureSpec.IS_NIGHT, List.of(1_000L));
    ReferenceProfile broken = new ReferenceProfile(reference.minSegmentRows(), reference.dimensions(),
        reference.features(), reference.score(), reference.attributes(),
        Map.of("all", new SegmentProfile(all.rows(), counts, all.missing())));
    ModelBundle.write(dir, manifest(List.of(FeatureSpec.IS_NIGHT), Map.of(FeatureSpec.IS_NIGHT, IS_NIGHT_VERSION))
        .withReference(broken), new byte[] {1});

    assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(FeatureSpec.IS_NIGHT);
  }

  /** One night transaction in ten, all in one segment. */
  private static ReferenceProfile referenceProfile() {
    List<ReferenceProfiler.Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      float[] features = FeatureSpec.CURRENT.defaults();
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.IS_NIGHT)] = i % 10 == 0 ? 1f : 0f;
      rows.add(new ReferenceProfiler.Row(features, Transactions.valid().build(), i / 1_000.0));
    }
    return new ReferenceProfiler(List.of(FeatureSpec.IS_NIGHT), new Segmenter(List.of("channel")), 1_000)
        .profile(rows);
  }

  @Test
  void refusesAMissingBundleClearly() {
    assertThatThrownBy(() -> ModelBundle.load(dir.resolve("nope")))
        .isInstanceOf(InvalidBundleException.class).hasMessageContaining("cannot read model bundle");
  }
}
