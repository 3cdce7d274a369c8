package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code model publish} and {@code model rollback} refuse before they announce anything. */
class ModelPublishCommandTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private int run(String... args) {
    return new CommandLine(new OperationsCli()).execute(args);
  }

  @Test
  void refusesATamperedBundleAndLeavesTheRegistryAlone() throws Exception {
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    Files.copy(Path.of("../models/baseline/manifest.json"), bundle.resolve("manifest.json"));
    Files.writeString(bundle.resolve("model.onnx"), "not the model the manifest describes");
    Path registry = dir.resolve("registry");

    int exit = run("model", "publish", bundle.toString(), "--registry", registry.toString(),
        "--bootstrap-servers", "127.0.0.1:1");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("not published", "SHA-256");
    assertThat(registry).doesNotExist();
  }

  @Test
  void refusesToRollBackToAVersionTheRegistryDoesNotHold() {
    int exit = run("model", "rollback", "baseline-7", "--registry", dir.toString(),
        "--bootstrap-servers", "127.0.0.1:1");

    assertThat(exit).isEqualTo(1);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("no rollback", "baseline-7 is not in the registry");
  }
}
