package dev.riskstream.sql.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.job.scoring.ReferenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ML_PREDICT with the {@code onnx} provider on a MiniCluster, over models PyTorch, scikit-learn and
 * LightGBM made: the probabilities those frameworks computed for the reference rows, in every mode.
 */
class OnnxModelProviderITCase {

  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setConfiguration(REPORTER.addToConfiguration(networkForSevenModels())).setNumberTaskManagers(1)
      .setNumberSlotsPerTaskManager(2).build());

  private static final float[][] ROWS = ReferenceModel.rows();

  /** Seven ML_PREDICT operators in one job take more network buffers than a MiniCluster's default. */
  private static Configuration networkForSevenModels() {
    Configuration configuration = new Configuration();
    configuration.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(256));
    configuration.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(256));
    return configuration;
  }
  private static final int WIDTH = ROWS[0].length;

  @TempDir Path dir;
  private StreamExecutionEnvironment env;
  private StreamTableEnvironment sql;

  @BeforeEach
  void createTableEnvironment() {
    env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    sql = StreamTableEnvironment.create(env);
  }

  /**
   * One query, one job: every reference model's ML_PREDICT over the same rows, UNION ALL, each call
   * with a config of its own ({@link #thePlannerTakesCallsThatDifferOnlyInTheirModelForOne}).
   */
  @Test
  void everyReferenceModelScoresAsItsFrameworkDidInAsyncMode() throws Exception {
    List<String> predictions = new ArrayList<>();
    for (ReferenceModel reference : ReferenceModel.values()) {
      createModel(reference.name(), reference, Map.of());
      predictions.add("SELECT '" + reference.name() + "', id, score FROM ML_PREDICT(TABLE input_rows, MODEL "
          + reference.name() + ", DESCRIPTOR(" + String.join(", ", columns("c")) + "), "
          + "MAP['async', 'true', 'max-concurrent-operations', '" + (64 + reference.ordinal()) + "'])");
    }

    Map<String, Map<Integer, Double>> scores = collectByModel(String.join(" UNION ALL ", predictions));

    for (ReferenceModel reference : ReferenceModel.values()) {
      assertScores(scores.get(reference.name()), reference.expected());
    }
  }

  /**
   * Flink 2.2.1's optimizer plans ML_PREDICT calls that differ only in their model as one call of
   * the first model: UNION ALL of two models' predictions gives the first model's scores twice. When
   * this fails, the planner tells them apart and docs/sql.md can drop its warning.
   */
  @Test
  void thePlannerTakesCallsThatDifferOnlyInTheirModelForOne() throws Exception {
    createModel("model_a", ReferenceModel.TORCH_MLP_SIGMOID, Map.of());
    createModel("model_b", ReferenceModel.LIGHTGBM_TENSOR, Map.of());
    String descriptor = "DESCRIPTOR(" + String.join(", ", columns("c")) + ")";

    String plan = sql.explainSql("SELECT id, score FROM ML_PREDICT(TABLE input_rows, MODEL model_a, " + descriptor
        + ") UNION ALL SELECT id, score FROM ML_PREDICT(TABLE input_rows, MODEL model_b, " + descriptor + ")");

    String optimized = plan.substring(plan.indexOf("== Optimized Physical Plan =="));
    assertThat(optimized).contains("MODEL default_catalog.default_database.model_a")
        .doesNotContain("MODEL default_catalog.default_database.model_b");
  }

  @Test
  void syncModeAndUnorderedAsyncModeScoreAlike() throws Exception {
    ReferenceModel reference = ReferenceModel.SKLEARN_GBT_ZIPMAP;
    createModel("m", reference, Map.of());
    String descriptor = "DESCRIPTOR(" + String.join(", ", columns("c")) + ")";

    Map<String, Map<Integer, Double>> scores = collectByModel(
        "SELECT 'sync', id, score FROM ML_PREDICT(TABLE input_rows, MODEL m, " + descriptor + ", MAP['async', 'false'])"
            + " UNION ALL SELECT 'unordered', id, score FROM ML_PREDICT(TABLE input_rows, MODEL m, " + descriptor
            + ", MAP['async', 'true', 'output-mode', 'ALLOW_UNORDERED'])");

    assertScores(scores.get("sync"), reference.expected());
    assertScores(scores.get("unordered"), reference.expected());
  }

  @Test
  void withoutOutputOptionsTheOnlyProbabilityOutputAndClassOneAreRead() throws Exception {
    ReferenceModel reference = ReferenceModel.TORCH_MLP_SOFTMAX;
    createModel("m", columns("c"), "DOUBLE", Map.of("path", reference.copyModel(dir).toString()));

    assertScores(predict("MAP['async', 'true']"), reference.expected());
  }

  /**
   * 240 rows on 2 subtasks: batches of up to 64 rows when 100 may be in flight, of up to 4 when
   * ML_PREDICT's max-concurrent-operations allows only 4, however long max-wait would let them grow
   * (the session's default of 10 would give neither).
   */
  @Test
  void asyncModeBatchesUpToTheBatchSizeOrTheRowsInFlight() throws Exception {
    ReferenceModel reference = ReferenceModel.LIGHTGBM_TENSOR;
    createModel("batched", columns("c"), "DOUBLE", Map.of("path", reference.copyModel(dir).toString(),
        "batch-size", "64", "max-wait", "200 ms"));

    long[] wide = rowsAndBatches(reference, "100");
    long[] narrow = rowsAndBatches(reference, "4");

    assertThat(wide[0]).isEqualTo(ROWS.length);
    assertThat(wide[1]).as("batches of up to 64").isBetween(4L, 12L);
    assertThat(narrow[0]).isEqualTo(ROWS.length);
    assertThat(narrow[1]).as("batches of up to 4").isBetween(60L, 160L);
  }

  /** Rows scored and batches run by ML_PREDICT of model {@code batched} with that many rows in flight. */
  private long[] rowsAndBatches(ReferenceModel reference, String maxConcurrentOperations) throws Exception {
    TableResult result = sql.executeSql("SELECT id, score FROM ML_PREDICT(TABLE input_rows, MODEL batched, "
        + "DESCRIPTOR(" + String.join(", ", columns("c")) + "), MAP['async', 'true', 'max-concurrent-operations', '"
        + maxConcurrentOperations + "'])");
    assertScores(collect(result), reference.expected());
    JobID job = result.getJobClient().orElseThrow().getJobID();
    return new long[] {counterSum(job, "rowsScored"), counterSum(job, "batches")};
  }

  @Test
  void aBundleTakesItsInputColumnsByFeatureNameInAnyOrder() throws Exception {
    ReferenceModel reference = ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS;
    Path bundle = reference.bundle(Files.createDirectory(dir.resolve("bundle")), reference.output());
    List<String> features = ModelBundle.load(bundle).manifest().input().features();
    List<String> reversed = new ArrayList<>(features);
    Collections.reverse(reversed);
    registerRows(reversed.stream().map(features::indexOf).toList(), reversed);
    createModel("bundled", reversed, "FLOAT", Map.of("path", bundle.toString()));

    Map<Integer, Double> scores = collect("SELECT id, CAST(score AS DOUBLE) FROM ML_PREDICT(TABLE input_rows, "
        + "MODEL bundled, DESCRIPTOR(" + quoted(reversed) + "), MAP['async', 'true'])");

    assertScores(scores, reference.expected());
  }

  @Test
  void aNullInputColumnFailsTheQueryNamingTheColumn() {
    createModel("m", ReferenceModel.TORCH_MLP_SIGMOID, Map.of());
    List<String> columns = columns("c");

    assertThatThrownBy(() -> collect("SELECT id, score FROM ML_PREDICT((SELECT id, CAST(NULL AS FLOAT) AS "
        + columns.get(0) + ", " + String.join(", ", columns.subList(1, WIDTH)) + " FROM input_rows), MODEL m, "
        + "DESCRIPTOR(" + String.join(", ", columns) + "), MAP['async', 'true'])"))
        .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains("input column c0 is NULL"));
  }

  @Test
  void refusesWhatCannotWorkWhenTheQueryIsPlanned() throws Exception {
    String model = ReferenceModel.SKLEARN_GBT_TENSOR.copyModel(dir).toString();
    assertRefused(Map.of("path", model, "execution-provider", "tpu"), "DOUBLE", "tpu");
    assertRefused(Map.of("path", model, "batch-size", "0"), "DOUBLE", "'batch-size' must be at least 1, not 0");
    assertRefused(Map.of("path", model, "batchsize", "8"), "DOUBLE", "batchsize");
    assertRefused(Map.of("path", dir.resolve("missing.onnx").toString()), "DOUBLE",
        dir.resolve("missing.onnx") + ": the model file does not exist");
    assertRefused(Map.of("path", model), "STRING", "OUTPUT must be one DOUBLE or FLOAT column");
    assertRefused(Map.of("path", model, "output", "label"), "DOUBLE", "output 'label' is a tensor of INT64");
    assertRefused(Map.of("path", ReferenceModel.SKLEARN_GBT_ZIPMAP_STRING_LABELS.copyModel(dir).toString()), "DOUBLE",
        "name the fraud class with 'positive-class' LABEL");
  }

  @Test
  void cudaWithoutAGpuFailsAtStart() {
    createModel("m", ReferenceModel.TORCH_MLP_SIGMOID, Map.of("execution-provider", "cuda"));

    assertThatThrownBy(() -> predict("MAP['async', 'true']"))
        .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e))
            .contains("'execution-provider' is CUDA but CUDA cannot be used"));
  }

  private void assertRefused(Map<String, String> options, String outputType, String reason) {
    createModel("refused", columns("c"), outputType, options);
    assertThatThrownBy(() -> sql.explainSql("SELECT id, score FROM ML_PREDICT(TABLE input_rows, MODEL refused, "
        + "DESCRIPTOR(" + String.join(", ", columns("c")) + "))"))
        .satisfies(e -> assertThat(ExceptionUtils.stringifyException(e)).contains(reason));
    sql.executeSql("DROP MODEL refused");
  }

  /** Model {@code name} over the raw file, its output and fraud class named as the reference names them. */
  private void createModel(String name, ReferenceModel reference, Map<String, String> extra) {
    Map<String, String> options = new HashMap<>(extra);
    try {
      options.put("path", reference.copyModel(dir).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelManifest.Output output = reference.output();
    options.put("output", output.name());
    Optional.ofNullable(output.positiveClassIndex()).ifPresent(index -> options.put("positive-class", index.toString()));
    Optional.ofNullable(output.positiveClassLabel()).ifPresent(label -> options.put("positive-class", label));
    createModel(name, columns("c"), "DOUBLE", options);
  }

  private void createModel(String name, List<String> inputs, String outputType, Map<String, String> options) {
    sql.executeSql("CREATE MODEL " + name + " INPUT (" + inputs.stream().map(c -> "`" + c + "` FLOAT")
        .collect(Collectors.joining(", ")) + ") OUTPUT (score " + outputType + ") WITH ('provider' = 'onnx', "
        + options.entrySet().stream().map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'")
        .collect(Collectors.joining(", ")) + ")");
    if (!List.of(sql.listTemporaryViews()).contains("input_rows")) {
      registerRows(IntStream.range(0, WIDTH).boxed().toList(), columns("c"));
    }
  }

  /** {@code input_rows}: an id and the reference rows' values, value {@code sourceColumn.get(i)} in column i. */
  private void registerRows(List<Integer> sourceColumn, List<String> names) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < ROWS.length; r++) {
      Object[] values = new Object[WIDTH + 1];
      values[0] = r;
      for (int c = 0; c < WIDTH; c++) {
        values[c + 1] = ROWS[r][sourceColumn.get(c)];
      }
      rows.add(Row.of(values));
    }
    List<String> fieldNames = new ArrayList<>(List.of("id"));
    fieldNames.addAll(names);
    TypeInformation<?>[] types = new TypeInformation<?>[WIDTH + 1];
    Arrays.fill(types, Types.FLOAT);
    types[0] = Types.INT;
    // a stream rather than VALUES: 240 rows of VALUES plan as a union of 240 projections, seconds to compile
    TypeInformation<Row> rowType = Types.ROW_NAMED(fieldNames.toArray(String[]::new), types);
    sql.createTemporaryView("input_rows", sql.fromDataStream(env.fromData(rowType, rows.toArray(Row[]::new))));
  }

  /** ML_PREDICT of model {@code m} over {@code input_rows}. */
  private Map<Integer, Double> predict(String config) throws Exception {
    return collect("SELECT id, score FROM ML_PREDICT(TABLE input_rows, MODEL m, DESCRIPTOR("
        + String.join(", ", columns("c")) + "), " + config + ")");
  }

  private Map<Integer, Double> collect(String query) throws Exception {
    return collect(sql.executeSql(query));
  }

  /** Rows of (model, id, score) by model. */
  private Map<String, Map<Integer, Double>> collectByModel(String query) throws Exception {
    Map<String, Map<Integer, Double>> scores = new HashMap<>();
    try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
      rows.forEachRemaining(row -> scores.computeIfAbsent((String) row.getField(0), model -> new HashMap<>())
          .put((Integer) row.getField(1), ((Number) row.getField(2)).doubleValue()));
    }
    return scores;
  }

  private static Map<Integer, Double> collect(TableResult result) throws Exception {
    Map<Integer, Double> scores = new HashMap<>();
    try (CloseableIterator<Row> rows = result.collect()) {
      rows.forEachRemaining(row -> scores.put((Integer) row.getField(0), ((Number) row.getField(1)).doubleValue()));
    }
    return scores;
  }

  private static void assertScores(Map<Integer, Double> scores, double[] expected) {
    assertThat(scores).hasSize(expected.length);
    double maxDifference = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDifference = Math.max(maxDifference, Math.abs(scores.get(i) - expected[i]));
    }
    assertThat(maxDifference).as("max |ML_PREDICT - framework|").isLessThan(ReferenceModel.TOLERANCE);
  }

  private static long counterSum(JobID job, String counter) {
    long sum = 0;
    for (Map.Entry<String, Metric> metric : REPORTER.getMetricsByIdentifiers(job).entrySet()) {
      if (metric.getKey().endsWith(".onnx." + counter) && metric.getValue() instanceof Counter c) {
        sum += c.getCount();
      }
    }
    return sum;
  }

  private static List<String> columns(String prefix) {
    return IntStream.range(0, WIDTH).mapToObj(i -> prefix + i).toList();
  }

  private static String quoted(List<String> names) {
    return names.stream().map(name -> "`" + name + "`").collect(Collectors.joining(", "));
  }
}
