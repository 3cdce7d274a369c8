package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.scoring.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelScoreCommandTest {

  @TempDir Path dir;
  private Path rows;

  @BeforeEach
  void copyRows() throws Exception {
    rows = ReferenceModel.copyRows(dir);
  }

  @ParameterizedTest
  @EnumSource(ReferenceModel.class)
  void printsTheFrameworksProbabilities(ReferenceModel reference) throws Exception {
    List<String> args = new ArrayList<>(List.of("model", "score", "--model", reference.copyModel(dir).toString(),
        "--input", rows.toString(), "--batch-size", "100"));
    if (reference == ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS) {
      // string classes have no default fraud class
      args.addAll(List.of("--positive-class", "fraud"));
    }
    CliRun run = CliRun.of(new OperationsCli(), args);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertWithinTolerance(run, reference.expected());
  }

  @Test
  void theOutputAndTheFraudClassCanBeNamed() throws Exception {
    double[] fraud = ReferenceModel.TORCH_MLP_SOFTMAX.expected();
    double[] legit = new double[fraud.length];
    for (int i = 0; i < fraud.length; i++) {
      legit[i] = 1 - fraud[i];
    }
    assertWithinTolerance(score(ReferenceModel.TORCH_MLP_SOFTMAX, "--positive-class", "0"), legit);
    assertWithinTolerance(score(ReferenceModel.SKLEARN_GBT_TENSOR, "--output", "probabilities",
        "--positive-class", "1"), ReferenceModel.SKLEARN_GBT_TENSOR.expected());
    assertWithinTolerance(score(ReferenceModel.SKLEARN_GBT_ZIPMAP, "--output", "output_probability",
        "--positive-class", "1"), ReferenceModel.SKLEARN_GBT_ZIPMAP.expected());
  }

  @Test
  void refusesARaggedOrNonNumericCsv() throws Exception {
    Files.writeString(rows, "1,2,3\n4,5,6\n7,8\n");
    assertFails(score(ReferenceModel.TORCH_MLP_SIGMOID), rows + " line 3 has 2 values but line 1 has 3");

    Files.writeString(rows, "1,2,3\n4,x5,6\n");
    assertFails(score(ReferenceModel.TORCH_MLP_SIGMOID), rows + " line 2 value 2: 'x5' is not a number");

    Files.writeString(rows, "1,2,3\n\n4,5,6\n");
    assertFails(score(ReferenceModel.TORCH_MLP_SIGMOID), rows + " line 2 is empty");

    Files.writeString(rows, "1,2,3\n4,\"5\"x,6\n");
    assertFails(score(ReferenceModel.TORCH_MLP_SIGMOID),
        rows + " is no CSV: Invalid character between encapsulated token and delimiter at line: 2");
  }

  @Test
  void refusesRowsOfAnotherWidthThanTheModels() throws Exception {
    Files.writeString(rows, "1,2,3\n");
    assertFails(score(ReferenceModel.TORCH_MLP_SIGMOID),
        rows + " has 3 values per row but the model's input 'features' [-1, 26] takes 26");
  }

  @Test
  void refusesAnOutputOrClassItCannotRead() throws Exception {
    assertFails(score(ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS),
        "output 'output_probability' is a ZipMap of string classes: name the fraud class with --positive-class LABEL");
    assertFails(score(ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS, "--positive-class", "1"),
        "output 'output_probability' has no class '1'; its classes are [fraud, legit]");
    assertFails(score(ReferenceModel.TORCH_MLP_SOFTMAX, "--positive-class", "fraud"),
        "output 'probabilities' is a tensor: --positive-class must be a column number, not 'fraud'");
    assertFails(score(ReferenceModel.TORCH_MLP_SOFTMAX, "--positive-class", "2"),
        "positiveClassIndex 2 is out of range for output 'probabilities' with 2 columns [-1, 2]");
    assertFails(score(ReferenceModel.LIGHTGBM_TENSOR, "--output", "label"),
        "output 'label' is a tensor of INT64 [1], not fraud probabilities");
    assertFails(score(ReferenceModel.LIGHTGBM_TENSOR, "--output", "probability"),
        "the model has no output 'probability', only [label, probabilities]");
  }

  private CliRun score(ReferenceModel reference, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("model", "score", "--model", reference.copyModel(dir).toString(),
        "--input", rows.toString()));
    args.addAll(List.of(options));
    return CliRun.of(new OperationsCli(), args);
  }

  private static void assertFails(CliRun run, String message) {
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("riskstream model score: " + message);
  }

  private static void assertWithinTolerance(CliRun run, double[] expected) {
    List<String> lines = run.outLines();
    assertThat(lines).as("one probability per row").hasSize(expected.length);
    double maxDifference = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(Double.parseDouble(lines.get(i)) - expected[i]));
    }
    assertThat(maxDifference).as("max |printed - framework|").isLessThan(ReferenceModel.TOLERANCE);
  }
}
