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

class ModelRegistryTest {

  @TempDir Path dir;

  private Path bundle(String name, String version, byte[] model) throws Exception {
    int isNight = FeatureSpec.CURRENT.feature(FeatureSpec.IS_NIGHT).version();
    Path bundle = dir.resolve("bundles").resolve(name);
    ModelBundle.write(bundle, ModelBundleTest.manifest(version, List.of(FeatureSpec.IS_NIGHT),
        Map.of(FeatureSpec.IS_NIGHT, isNight)), model);
    return bundle;
  }

  @Test
  void publishesABundleUnderItsVersionAndLoadsItBack() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toUri().toString());

    ModelManifest published = registry.publish(bundle("a", "fraud-2", new byte[] {1, 2}));

    assertThat(registry.versions()).containsExactly("fraud-2");
    assertThat(registry.load("fraud-2").manifest().modelSha256()).isEqualTo(published.modelSha256());
    try (var entries = Files.list(dir.resolve("registry").resolve("fraud-2"))) {
      assertThat(entries.map(file -> file.getFileName().toString()))
          .as("no staged manifest left behind").containsExactlyInAnyOrder("model.onnx", "manifest.json");
    }
  }

  /**
   * A version exists once its manifest does: one cut short after its model was written is not there,
   * and publishing it again completes it.
   */
  @Test
  void aVersionWhoseManifestIsNotWrittenYetIsNotThereUntilPublishedAgain() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toString());
    Path halfWritten = Files.createDirectories(dir.resolve("registry").resolve("fraud-4"));
    Files.write(halfWritten.resolve(ModelBundle.MODEL_FILE), new byte[] {1});

    assertThat(registry.contains("fraud-4")).isFalse();
    assertThat(registry.versions()).isEmpty();
    assertThatThrownBy(() -> registry.load("fraud-4")).hasMessageContaining("not in the registry");

    registry.publish(bundle("d", "fraud-4", new byte[] {4, 2}));
    assertThat(registry.versions()).containsExactly("fraud-4");
    assertThat(registry.load("fraud-4").model()).containsExactly(4, 2);
  }

  @Test
  void aDirectoryWithASpaceInItsNameIsOneToo() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("model registry").toUri().toString());

    registry.publish(bundle("a", "fraud-2", new byte[] {1, 2}));

    assertThat(dir.resolve("model registry").resolve("fraud-2").resolve(ModelBundle.MANIFEST_FILE)).isRegularFile();
    assertThat(ModelRegistry.at(dir.resolve("model registry").toString()).load("fraud-2").model()).containsExactly(1, 2);
  }

  @Test
  void versionsAreImmutable() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toString());
    registry.publish(bundle("a", "fraud-2", new byte[] {1}));

    assertThat(registry.publish(bundle("again", "fraud-2", new byte[] {1})).modelVersion())
        .as("the same bundle again changes nothing").isEqualTo("fraud-2");
    assertThatThrownBy(() -> registry.publish(bundle("other", "fraud-2", new byte[] {9})))
        .isInstanceOf(InvalidBundleException.class).hasMessageContaining("already in the registry");
    assertThat(registry.load("fraud-2").model()).containsExactly(1);
  }

  @Test
  void refusesMissingVersionsUnsafeNamesAndEntriesHoldingAnotherVersion() throws Exception {
    ModelRegistry registry = ModelRegistry.at(dir.resolve("registry").toString());
    assertThatThrownBy(() -> registry.load("fraud-9")).hasMessageContaining("not in the registry");
    assertThatThrownBy(() -> registry.load("../etc")).hasMessageContaining("is not a model version");
    assertThatThrownBy(() -> registry.publish(bundle("bad", "a/b", new byte[] {1})))
        .hasMessageContaining("is not a model version");

    Path renamed = dir.resolve("registry").resolve("fraud-3");
    Files.createDirectories(dir.resolve("registry"));
    Files.move(bundle("c", "fraud-1", new byte[] {1}), renamed);
    assertThatThrownBy(() -> registry.load("fraud-3")).hasMessageContaining("holds model version fraud-1");
  }

  @Test
  void takesPathsAndUrisOfFlinksFileSystemsAndRefusesOneWithoutItsFileSystem() throws Exception {
    assertThat(ModelRegistry.at("file:///srv/models/")).hasToString("file:///srv/models");
    assertThat(ModelRegistry.at("/srv/models")).hasToString("file:///srv/models");
    assertThat(ModelRegistry.at("models/registry")).hasToString("file://" + Path.of("models/registry").toAbsolutePath());
    assertThat(ModelRegistry.at("s3://bucket/models/").locationOf("fraud-2")).isEqualTo("s3://bucket/models/fraud-2");
    ModelRegistry.at("file:///srv/models").requireReachable();
    assertThatThrownBy(() -> ModelRegistry.at("s3://bucket/models").requireReachable())
        .as("no S3 file system on this classpath").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model registry s3://bucket/models").hasMessageContaining("'s3'");
  }
}
