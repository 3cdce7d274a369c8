package dev.riskstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.SharedModels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores the same random rows through the scoring operator on CUDA and on the CPU, and through raw
 * ONNX Runtime on CUDA, at large batch sizes; prints rows per second, the operator/raw ratio on
 * CUDA and the largest CUDA/CPU score difference, as a table and then as one line of JSON, the last.
 *
 * <p>Usage: {@code GpuCheck [--batches 1024,4096,16384] [--seconds 2] [--provider CUDA] BUNDLE_DIR...}
 *
 * <p>Exit status: 0 when every score agrees within {@value #PARITY_TOLERANCE}, 1 when one does not,
 * 2 when CUDA cannot be used (no silent CPU fallback: that would compare the CPU with itself) or the
 * arguments are wrong. {@code --provider CPU} runs the whole check with the CPU in place of CUDA, to
 * try it on a machine without a GPU.
 */
public final class GpuCheck {

  static final double PARITY_TOLERANCE = 1e-5;
  private static final long SEED = 7;

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      out.println("GPU check: " + e.getMessage());
      out.println("usage: GpuCheck [--batches 1024,4096,16384] [--seconds 2] [--provider CUDA|CPU] BUNDLE_DIR...");
      return 2;
    }
    List<Result> results = new ArrayList<>();
    for (Path bundle : options.bundles()) {
      // the leases keep both sessions open across batch sizes; the device's fails at once without CUDA
      SharedModels.Lease device;
      try {
        device = SharedModels.acquire(bundle, options.provider());
      } catch (IllegalStateException e) {
        out.println("GPU check: " + options.provider() + " cannot be used, nothing measured: " + e.getMessage());
        return 2;
      }
      try (device; var cpu = SharedModels.acquire(bundle, ExecutionProviderChoice.CPU)) {
        for (int batch : options.batches()) {
          results.addAll(check(bundle, batch, options));
        }
      }
    }
    printTable(results, out);
    List<Result> apart = results.stream().filter(r -> !(r.maxAbsDiffVsCpu() <= PARITY_TOLERANCE)).toList();
    for (Result r : apart) {
      out.printf(Locale.ROOT, "GPU check: %s at batch %d: %s and CPU scores differ by %.3g (tolerance %.0e)%n",
          r.modelVersion(), r.batchSize(), r.provider(), r.maxAbsDiffVsCpu(), PARITY_TOLERANCE);
    }
    // last, so that `tail -1` finds it
    out.println(new ObjectMapper().writeValueAsString(results));
    return apart.isEmpty() ? 0 : 1;
  }

  /** One result per lane the operator can score in on the device, against the same raw and CPU figures. */
  private static List<Result> check(Path bundle, int batch, Options options) throws Exception {
    float[][] vectors = RandomRows.featureVectors(batch, SEED);
    ModelBundle loaded = ModelBundle.load(bundle);
    Measured cpuOperator = measureOperator(bundle, ExecutionProviderChoice.CPU, ScoringLaneChoice.TASK_THREAD,
        vectors, options.duration());
    Measured deviceRaw = measureRaw(loaded, options.provider(), vectors, options.duration());
    List<Result> results = new ArrayList<>();
    for (ScoringLaneChoice lane : List.of(ScoringLaneChoice.SHARED, ScoringLaneChoice.TASK_THREAD)) {
      Measured deviceOperator = measureOperator(bundle, options.provider(), lane, vectors, options.duration());
      results.add(new Result(loaded.version(), batch, deviceOperator.executionProvider(), lane,
          deviceOperator.rowsPerSecond(), deviceRaw.rowsPerSecond(), cpuOperator.rowsPerSecond(),
          deviceOperator.rowsPerSecond() / deviceRaw.rowsPerSecond(),
          maxAbsDiff(deviceOperator.scores(), cpuOperator.scores()),
          maxAbsDiff(deviceOperator.scores(), deviceRaw.scores())));
    }
    return results;
  }

  /** Rows per second through the scoring operator, and the scores it stamped on the rows. */
  static Measured measureOperator(Path bundle, ExecutionProviderChoice provider, ScoringLaneChoice lane,
      float[][] vectors, Duration duration) throws Exception {
    EnrichedTransaction[] rows = RandomRows.transactions(vectors);
    try (OperatorPath operator = OperatorPath.open(bundle, provider, vectors.length, lane)) {
      operator.process(rows);
      operator.emitAll();
      double[] scores = Arrays.stream(rows).mapToDouble(row -> row.score).toArray();
      double rowsPerSecond = rowsPerSecond(vectors.length, duration, () -> operator.process(rows));
      return new Measured(rowsPerSecond, scores, rows[0].executionProvider);
    }
  }

  /** Rows per second through raw ONNX Runtime, and its scores. */
  static Measured measureRaw(ModelBundle bundle, ExecutionProviderChoice provider, float[][] vectors,
      Duration duration) throws Exception {
    double[] scores = new double[vectors.length];
    try (RawOrtScoring raw = RawOrtScoring.open(bundle, provider, vectors)) {
      raw.score(scores);
      double[] scratch = new double[vectors.length];
      double rowsPerSecond = rowsPerSecond(vectors.length, duration, () -> raw.score(scratch));
      return new Measured(rowsPerSecond, scores, provider.name().toLowerCase(Locale.ROOT));
    }
  }

  private static double rowsPerSecond(int rowsPerBatch, Duration duration, Batch batch) throws Exception {
    // half as long again before measuring: CUDA sets up kernels and memory arenas on the first runs
    runFor(duration.dividedBy(2), batch);
    long start = System.nanoTime();
    long batches = runFor(duration, batch);
    return (double) batches * rowsPerBatch * 1e9 / (System.nanoTime() - start);
  }

  private static long runFor(Duration duration, Batch batch) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    long batches = 0;
    do {
      batch.score();
      batches++;
    } while (System.nanoTime() < end);
    return batches;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static void printTable(List<Result> results, PrintStream out) {
    out.println("| model | batch | provider | lane | operator rows/s | raw rows/s | operator/raw"
        + " | CPU operator rows/s | max abs diff vs CPU | operator vs raw |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Result r : results) {
      out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.3g | %.3g | %.2f | %.3g | %.2g | %.2g |%n", r.modelVersion(),
          r.batchSize(), r.provider(), r.lane(), r.operatorRowsPerSecond(), r.rawRowsPerSecond(), r.operatorToRaw(),
          r.cpuOperatorRowsPerSecond(), r.maxAbsDiffVsCpu(), r.maxAbsDiffOperatorVsRaw());
    }
  }

  @FunctionalInterface
  private interface Batch {
    void score() throws Exception;
  }

  record Measured(double rowsPerSecond, double[] scores, String executionProvider) {}

  /** One model at one batch size; {@code provider} is what the operator stamped on its rows. */
  record Result(String modelVersion, int batchSize, String provider, ScoringLaneChoice lane,
      double operatorRowsPerSecond,
      double rawRowsPerSecond, double cpuOperatorRowsPerSecond, double operatorToRaw,
      double maxAbsDiffVsCpu, double maxAbsDiffOperatorVsRaw) {}

  record Options(List<Path> bundles, int[] batches, Duration duration, ExecutionProviderChoice provider) {

    static Options parse(String[] args) {
      List<Path> bundles = new ArrayList<>();
      int[] batches = {1024, 4096, 16384};
      Duration duration = Duration.ofSeconds(2);
      ExecutionProviderChoice provider = ExecutionProviderChoice.CUDA;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.startsWith("--") && i + 1 == args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        switch (arg) {
          case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
          case "--seconds" -> duration = Duration.ofMillis(Math.round(Double.parseDouble(args[++i]) * 1000));
          case "--provider" -> provider = ExecutionProviderChoice.valueOf(args[++i].toUpperCase(Locale.ROOT));
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            bundles.add(Path.of(arg));
          }
        }
      }
      if (bundles.isEmpty()) {
        throw new IllegalArgumentException("name at least one model bundle directory");
      }
      if (provider == ExecutionProviderChoice.AUTO) {
        throw new IllegalArgumentException(
            "--provider is CUDA or CPU: AUTO could fall back and compare the CPU with itself");
      }
      return new Options(bundles, batches, duration, provider);
    }
  }
}
