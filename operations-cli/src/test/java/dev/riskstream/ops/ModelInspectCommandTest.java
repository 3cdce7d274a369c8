package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.riskstream.job.scoring.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInspectCommandTest {

  @TempDir Path dir;

  @Test
  void printsAZipMapClassifiersSignatureOpsetsAndProducer() throws Exception {
    Path model = ReferenceModel.SKLEARN_GBT_ZIPMAP.copyModel(dir);
    CliRun run = CliRun.of(new OperationsCli(), "model", "inspect", model.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).containsExactly(
        "model: " + model,
        "producer: skl2onnx 1.21.0",
        "ir version: 8",
        "opsets: ai.onnx.ml 1, ai.onnx 17",
        "domain: ai.onnx",
        "inputs:",
        "  input: tensor(float) [?, 26]",
        "outputs:",
        "  output_label: tensor(int64) [?]",
        "  output_probability: seq(map(int64,tensor(float)))",
        "metadata: none");
  }

  @Test
  void namesSymbolicDimensionsAndStringClassKeys() throws Exception {
    assertThat(inspect(ReferenceModel.TORCH_MLP_SOFTMAX)).contains(
        "producer: pytorch 2.13.0", "opsets: ai.onnx 17",
        "  features: tensor(float) [rows, 26]", "  probabilities: tensor(float) [rows, 2]");
    assertThat(inspect(ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS)).contains(
        "  output_label: tensor(string) [?]", "  output_probability: seq(map(string,tensor(float)))");
  }

  @Test
  void listsNoWeightsAmongTheInputs() throws Exception {
    assertThat(inspect(ReferenceModel.LIGHTGBM_TENSOR)).containsSequence(
        "ir version: 4", "opsets: ai.onnx 9, ai.onnx.ml 1", "domain: onnxml",
        "inputs:", "  input: tensor(float) [?, 26]",
        "outputs:", "  label: tensor(int64) [1]", "  probabilities: tensor(float) [?, 2]");
  }

  @Test
  void printsMetadata() throws Exception {
    Path original = ReferenceModel.TORCH_MLP_SIGMOID.copyModel(dir);
    Path withMetadata = dir.resolve("with-metadata.onnx");
    Files.write(withMetadata, OnnxMl.ModelProto.parseFrom(Files.readAllBytes(original)).toBuilder()
        .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("owner").setValue("fraud team"))
        .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("threshold").setValue("0.2"))
        .build().toByteArray());

    assertThat(CliRun.of(new OperationsCli(), "model", "inspect", withMetadata.toString()).outLines())
        .endsWith("metadata:", "  owner: fraud team", "  threshold: 0.2");
  }

  @Test
  void refusesAFileThatIsNoModel() throws Exception {
    CliRun run = CliRun.of(new OperationsCli(), "model", "inspect", ReferenceModel.copyRows(dir).toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("riskstream model inspect: ");
    assertThat(run.out()).isEmpty();
  }

  private java.util.List<String> inspect(ReferenceModel reference) throws Exception {
    CliRun run = CliRun.of(new OperationsCli(), "model", "inspect", reference.copyModel(dir).toString());
    assertThat(run.exitCode()).isZero();
    return run.outLines();
  }
}
