package dev.riskstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuCheckTest {

  private static final String BASELINE = Path.of("..", "models", "baseline").toString();

  @TempDir
  Path mlp;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void withTheCpuInPlaceOfCudaItMeasuresEveryPathAndFindsNoDifference() throws Exception {
    MlpBundle.write(mlp);

    int status = GpuCheck.run(new String[] {"--provider", "cpu", "--seconds", "0.1", "--batches", "64,256",
        "--cuda-min-rows", "100", "--subtasks", "2", BASELINE, mlp.toString()}, out);

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(status).as(String.join("\n", lines)).isZero();
    assertThat(lines[0]).startsWith("| model | batch | subtasks | cuda-min-rows | provider | lane | operator rows/s |");
    JsonNode results = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(results).hasSize(12);
    assertThat(results).extracting(r -> r.get("modelVersion").asText())
        .containsExactly(Stream.of("baseline-1", "mlp-24-64-32-1").flatMap(v -> Collections.nCopies(6, v).stream())
            .toArray(String[]::new));
    assertThat(results).extracting(r -> r.get("batchSize").asInt())
        .containsExactly(64, 64, 64, 256, 256, 256, 64, 64, 64, 256, 256, 256);
    for (int i = 0; i < results.size(); i += 3) {
      assertThat(List.of(results.get(i), results.get(i + 1), results.get(i + 2)))
          .as("every batch on the device in both lanes, then split in the shared one")
          .extracting(r -> r.get("lane").asText() + " " + r.get("cudaMinRows").asInt())
          .containsExactly("SHARED 0", "TASK_THREAD 0", "SHARED 100");
    }
    for (JsonNode r : results) {
      assertThat(r.get("subtasks").asInt()).isEqualTo(2);
      assertThat(r.get("provider").asText()).isEqualTo("cpu");
      assertThat(r.get("operatorRowsPerSecond").asDouble()).isPositive();
      assertThat(r.get("rawRowsPerSecond").asDouble()).isPositive();
      assertThat(r.get("cpuOperatorRowsPerSecond").asDouble()).isPositive();
      assertThat(r.get("operatorToRaw").asDouble()).isPositive();
      assertThat(r.get("maxAbsDiffVsCpu").asDouble()).isZero();
      assertThat(r.get("maxAbsDiffOperatorVsRaw").asDouble()).isZero();
    }
  }

  @Test
  void withoutCudaItFailsAtOnceAndSaysWhy() throws Exception {
    assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this ONNX Runtime build has the CUDA provider");

    int status = GpuCheck.run(new String[] {BASELINE}, out);

    assertThat(status).isEqualTo(2);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .startsWith("GPU check: CUDA cannot be used, nothing measured: ")
        .contains("model.execution-provider is CUDA but CUDA cannot be used")
        .doesNotContain("| model |");
  }

  @Test
  void refusesAutoWhichCouldCompareTheCpuWithItself() throws Exception {
    assertThat(GpuCheck.run(new String[] {"--provider", "auto", BASELINE}, out)).isEqualTo(2);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--provider is CUDA or CPU");
  }

  @Test
  void theMlpBundleIsTheSameOnEveryWrite(@TempDir Path again) throws Exception {
    assertThat(MlpBundle.write(again).modelSha256()).isEqualTo(MlpBundle.write(mlp).modelSha256());
  }
}
