package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.job.scoring.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskstream sql} with ML_PREDICT over models other frameworks made prints what
 * {@code riskstream model score} prints for the same rows and the same models.
 */
class SqlCommandITCase {

  private static final List<ReferenceModel> MODELS = List.of(ReferenceModel.TORCH_MLP_SIGMOID,
      ReferenceModel.TORCH_MLP_SOFTMAX, ReferenceModel.SKLEARN_GBT_ZIPMAP, ReferenceModel.SKLEARN_GBT_TENSOR);

  @TempDir Path dir;

  @Test
  void mlPredictReproducesModelScore() throws Exception {
    float[][] rows = ReferenceModel.rows();
    List<String> columns = IntStream.range(0, rows[0].length).mapToObj(i -> "c" + i).toList();
    StringBuilder script = new StringBuilder("-- the reference rows, then every model over them in one query\n");
    script.append("CREATE TEMPORARY VIEW input_rows (id, ").append(String.join(", ", columns)).append(") AS VALUES\n");
    script.append(IntStream.range(0, rows.length).mapToObj(id -> {
      List<String> values = new ArrayList<>(List.of(String.valueOf(id)));
      for (float value : rows[id]) {
        values.add("CAST(" + value + " AS FLOAT)");
      }
      return "(" + String.join(", ", values) + ")";
    }).collect(Collectors.joining(",\n"))).append(";\n");
    List<String> predictions = new ArrayList<>();
    for (ReferenceModel model : MODELS) {
      script.append("CREATE MODEL ").append(model.name()).append(" INPUT (")
          .append(columns.stream().map(c -> c + " FLOAT").collect(Collectors.joining(", ")))
          .append(") OUTPUT (score DOUBLE) WITH ('provider' = 'onnx', 'path' = '").append(model.copyModel(dir))
          .append("', 'execution-provider' = 'cpu');\n");
      // a config of its own per call, as docs/sql.md says: the planner would take the calls for one
      predictions.add("SELECT " + model.ordinal() + ", id, score FROM ML_PREDICT(TABLE input_rows, MODEL " + model.name()
          + ", DESCRIPTOR(" + String.join(", ", columns) + "), MAP['max-concurrent-operations', '"
          + (10 + model.ordinal()) + "'])");
    }
    script.append(String.join("\nUNION ALL\n", predictions)).append(";\n");
    Path file = Files.writeString(dir.resolve("score.sql"), script);

    CliRun sql = CliRun.of(new OperationsCli(), List.of("sql", "--file", file.toString(), "--format", "csv"));

    assertThat(sql.err()).isEmpty();
    assertThat(sql.exitCode()).isZero();
    List<String> printed = sql.out().lines().toList();
    assertThat(printed).hasSize(MODELS.size() * rows.length);
    // model,id,score lines in any order
    Map<Integer, double[]> scores = new HashMap<>();
    for (String line : printed) {
      String[] fields = line.split(",");
      scores.computeIfAbsent(Integer.parseInt(fields[0]), model -> new double[rows.length])[
          Integer.parseInt(fields[1])] = Double.parseDouble(fields[2]);
    }
    Path csv = ReferenceModel.copyRows(dir);
    for (int m = 0; m < MODELS.size(); m++) {
      CliRun score = CliRun.of(new OperationsCli(), List.of("model", "score", "--model",
          MODELS.get(m).copyModel(dir).toString(), "--input", csv.toString()));
      List<String> expected = score.out().lines().toList();
      for (int i = 0; i < rows.length; i++) {
        assertThat(scores.get(MODELS.get(m).ordinal())[i])
            .as("%s row %d", MODELS.get(m), i)
            .isCloseTo(Double.parseDouble(expected.get(i)), within(1e-5));
      }
    }
  }

  @Test
  void aFailingStatementNamesTheFileTheStatementAndTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.sql"), "CREATE MODEL m INPUT (a FLOAT) OUTPUT (score DOUBLE)\n"
        + "WITH ('provider' = 'onnx', 'path' = '" + dir.resolve("missing.onnx") + "');\n"
        + "SELECT * FROM ML_PREDICT((SELECT CAST(1 AS FLOAT) AS a), MODEL m, DESCRIPTOR(a));\n");

    CliRun sql = CliRun.of(new OperationsCli(), List.of("sql", "--file", file.toString()));

    assertThat(sql.exitCode()).isEqualTo(1);
    assertThat(sql.err()).contains(file + ": SELECT * FROM ML_PREDICT").contains(dir.resolve("missing.onnx")
        + ": the model file does not exist");
  }

  @Test
  void aValueComesFromVarOrItsDefaultAndAMissingOneStopsTheScriptBeforeAnythingRuns() throws Exception {
    Path file = Files.writeString(dir.resolve("vars.sql"),
        "-- ${not-a-value} in a comment is left alone\n"
        + "SELECT ${a} + ${b:-10};\n"
        + "SELECT '${c}';\n");

    CliRun given = CliRun.of(new OperationsCli(),
        List.of("sql", "--file", file.toString(), "--format", "csv", "--var", "a=1", "--var", "c=x;y"));
    CliRun missing = CliRun.of(new OperationsCli(), List.of("sql", "--file", file.toString(), "--var", "a=1"));

    assertThat(given.err()).isEmpty();
    assertThat(given.outLines()).containsExactly("11", "x;y");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).contains(file + ": SELECT '${c}': ").contains("'c'").contains("--var NAME=VALUE");
  }

  @Test
  void anInsertRunsToItsEndBeforeTheNextStatementReadsWhatItWrote() throws Exception {
    Path table = dir.resolve("table");
    Path file = Files.writeString(dir.resolve("insert.sql"),
        "CREATE TABLE t (n INT) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'json');\n"
        + "EXECUTE STATEMENT SET BEGIN\n"
        + "  INSERT INTO t VALUES (1), (2);\n"
        + "  INSERT INTO t VALUES (3);\n"
        + "END;\n"
        + "SELECT SUM(n) FROM t;\n");

    CliRun sql = CliRun.of(new OperationsCli(),
        List.of("sql", "--file", file.toString(), "--format", "csv", "--var", "path=" + table.toUri()));

    assertThat(sql.err()).isEmpty();
    // the last of the sum's updates: the inserts had finished before the query began
    assertThat(sql.outLines()).last().isEqualTo("6");
  }

  @Test
  void setSetsAnOptionAsTheSqlClientDoes() throws Exception {
    Path file = Files.writeString(dir.resolve("set.sql"), "SET 'table.local-time-zone' = 'Asia/Tokyo';\n"
        + "SELECT CAST(TO_TIMESTAMP_LTZ(0, 3) AS STRING);\n");

    CliRun sql = CliRun.of(new OperationsCli(), List.of("sql", "--file", file.toString(), "--format", "csv"));

    assertThat(sql.err()).isEmpty();
    assertThat(sql.outLines()).containsExactly("1970-01-01 09:00:00.000");
  }

  @Test
  void aStatementSetEndsAtItsEnd() {
    assertThat(SqlCommand.statements(List.of("execute statement set begin", "INSERT INTO a SELECT 1;",
        "INSERT INTO b SELECT 2;", "end;", "SELECT 3;")))
        .containsExactly("execute statement set begin\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nend",
            "SELECT 3");
  }

  @Test
  void statementsEndWithASemicolonAtTheEndOfALine() {
    assertThat(SqlCommand.statements(List.of("-- a comment", "SELECT 'a;b'", "  FROM t;", "SELECT 1;", "SELECT 2")))
        .containsExactly("SELECT 'a;b'\n  FROM t", "SELECT 1", "SELECT 2");
  }
}
