package dev.riskstream.local.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ProbabilityOutput;
import dev.riskstream.features.onnx.ScoringSessions;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Rows per second scored by raw ONNX Runtime and by ML_PREDICT with the {@code onnx} provider, sync
 * and async at each batch size, for one model on the CPU, one subtask. The SQL figures are the jobs'
 * net run times (from deployment to the end, without the cluster's start) over rows of uniform random
 * features from the datagen connector into a blackhole; the datagen-to-blackhole job without a model
 * is measured too, as what the source and sink cost alone.
 */
@Command(name = "bench-sql", mixinStandardHelpOptions = true,
    description = "Measure rows/s of ML_PREDICT with the onnx provider (sync, and async per batch size) beside raw "
        + "ONNX Runtime, for one model on the CPU.")
final class SqlBenchCommand implements Callable<Integer> {

  private static final int RAW_POOL_ROWS = 65_536;

  @Spec CommandSpec spec;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows per run (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--model", defaultValue = "models/baseline", description = "Model bundle (default ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,256,1024",
      description = "Batch sizes of the async runs and raw ONNX Runtime (default ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelBundle bundle = ModelBundle.load(model);
    List<String> features = bundle.manifest().input().features();
    out.printf("%-24s %10s %12s%n", "path", "batch", "rows/s");
    for (int batchSize : batchSizes) {
      out.printf("%-24s %10d %,12.0f%n", "raw ONNX Runtime", batchSize, rawRowsPerSecond(bundle, batchSize));
      out.flush();
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    String columns = features.stream().map(f -> "`" + f + "` FLOAT").collect(Collectors.joining(", "));
    String ranges = features.stream().map(f -> "'fields." + f + ".min' = '0', 'fields." + f + ".max' = '1'")
        .collect(Collectors.joining(", "));
    sql.executeSql("CREATE TEMPORARY TABLE input_rows (" + columns + ") WITH ('connector' = 'datagen', "
        + "'number-of-rows' = '" + rows + "', 'rows-per-second' = '" + Long.MAX_VALUE + "', " + ranges + ")");
    sql.executeSql("CREATE TEMPORARY TABLE scores (score DOUBLE) WITH ('connector' = 'blackhole')");
    sql.executeSql("CREATE TEMPORARY TABLE passed (c FLOAT) WITH ('connector' = 'blackhole')");
    String descriptor = "DESCRIPTOR(" + features.stream().map(f -> "`" + f + "`").collect(Collectors.joining(", ")) + ")";
    out.printf("%-24s %10s %,12.0f%n", "datagen to blackhole", "-", rowsPerSecond(
        sql.executeSql("INSERT INTO passed SELECT `" + features.get(0) + "` FROM input_rows")));
    out.flush();
    createModel(sql, "fraud_sync", columns, 1);
    out.printf("%-24s %10d %,12.0f%n", "ML_PREDICT sync", 1, rowsPerSecond(sql.executeSql("INSERT INTO scores "
        + "SELECT score FROM ML_PREDICT(TABLE input_rows, MODEL fraud_sync, " + descriptor + ", MAP['async', 'false'])")));
    out.flush();
    for (int batchSize : batchSizes) {
      String name = "fraud_" + batchSize;
      createModel(sql, name, columns, batchSize);
      out.printf("%-24s %10d %,12.0f%n", "ML_PREDICT async", batchSize, rowsPerSecond(sql.executeSql(
          "INSERT INTO scores SELECT score FROM ML_PREDICT(TABLE input_rows, MODEL " + name + ", " + descriptor
              + ", MAP['async', 'true', 'max-concurrent-operations', '" + Math.max(2, 2 * batchSize) + "'])")));
      out.flush();
    }
    return 0;
  }

  private void createModel(StreamTableEnvironment sql, String name, String columns, int batchSize) {
    sql.executeSql("CREATE TEMPORARY MODEL " + name + " INPUT (" + columns + ") OUTPUT (score DOUBLE) WITH ("
        + "'provider' = 'onnx', 'path' = '" + model.toAbsolutePath() + "', 'execution-provider' = 'cpu', "
        + "'batch-size' = '" + batchSize + "', 'max-wait' = '5 ms')");
  }

  private double rowsPerSecond(TableResult result) throws Exception {
    JobExecutionResult finished = result.getJobClient().orElseThrow().getJobExecutionResult().get();
    return rows / (finished.getNetRuntime() / 1_000.0);
  }

  /**
   * The same number of rows of uniform random features through one session, in runs of {@code
   * batchSize}, after a tenth as many untimed; the rows are drawn beforehand, so only scoring is timed.
   */
  private double rawRowsPerSecond(ModelBundle bundle, int batchSize) throws Exception {
    int width = bundle.inputWidth();
    String input = bundle.manifest().input().name();
    SplittableRandom random = new SplittableRandom(42);
    float[] pool = new float[RAW_POOL_ROWS * width];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = (float) random.nextDouble();
    }
    FloatBuffer batch = ByteBuffer.allocateDirect(Float.BYTES * batchSize * width).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    try (OrtSession.SessionOptions options = ScoringSessions.options(false);
        OrtSession session = OrtEnvironment.getEnvironment().createSession(bundle.model(), options)) {
      ProbabilityOutput probability = ProbabilityOutput.of(session, input, width, bundle.manifest().output());
      FloatBuffer output = probability.newBuffer(batchSize);
      double[] scores = new double[batchSize];
      int runs = Math.max(1, rows / batchSize);
      for (int run = 0; run < Math.max(1, runs / 10); run++) {
        scoreRun(session, probability, input, pool, batch, output, scores, run, batchSize, width);
      }
      long start = System.nanoTime();
      for (int run = 0; run < runs; run++) {
        scoreRun(session, probability, input, pool, batch, output, scores, run, batchSize, width);
      }
      return (double) runs * batchSize / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static void scoreRun(OrtSession session, ProbabilityOutput probability, String input, float[] pool,
      FloatBuffer batch, FloatBuffer output, double[] scores, int run, int batchSize, int width) throws Exception {
    batch.clear();
    for (int row = 0; row < batchSize; row++) {
      batch.put(pool, ((run * batchSize + row) % RAW_POOL_ROWS) * width, width);
    }
    batch.flip();
    try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), batch,
        new long[] {batchSize, width})) {
      probability.score(session, Map.of(input, tensor), batchSize, output, scores, null);
    }
  }
}
