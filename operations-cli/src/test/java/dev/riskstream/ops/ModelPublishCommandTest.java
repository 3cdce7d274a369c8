package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code model publish} and {@code model rollback} refuse before they announce anything. */
class ModelPublishCommandTest {

  @TempDir Path dir;

  @Test
  void refusesATamperedBundleAndLeavesTheRegistryAlone() throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    Files.copy(Path.of("../models/baseline/manifest.json"), bundle.resolve("manifest.json"));
    Files.writeString(bundle.resolve("model.onnx"), "not the model the manifest describes");
    Path registry = dir.resolve("registry");

    CliRun run = CliRun.of(new OperationsCli(), "model", "publish", bundle.toString(), "--registry",
        registry.toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("not published", "SHA-256");
    assertThat(registry).doesNotExist();
  }

  @Test
  void refusesToRollBackToAVersionTheRegistryDoesNotHold() {
    CliRun run = CliRun.of(new OperationsCli(), "model", "rollback", "baseline-7", "--registry", dir.toUri().toString(),
        "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no rollback", "baseline-7 is not in the registry");
  }
}
