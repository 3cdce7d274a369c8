package dev.riskstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringOptions;
import dev.riskstream.job.scoring.SharedModels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores the same random rows through the scoring operator on CUDA and on the CPU, and through raw
 * ONNX Runtime on CUDA, at batch sizes around and above where the GPU starts to pay; prints rows per
 * second, the operator/raw ratio on CUDA and the largest CUDA/CPU score difference, as a table and
 * then as one line of JSON, the last. The operator on CUDA runs every batch there in both lanes, and
 * once more with {@code scoring.cuda-min-rows}, which must send the smaller batches to the CPU. The
 * operator runs as several subtasks at once, each fed by its own thread, and each run is of one
 * batch, so that operator and raw rates compare runs of the same size.
 *
 * <p>Usage: {@code GpuCheck [--batches 256,1024,4096,16384] [--seconds 2] [--provider CUDA]
 * [--cuda-min-rows 1024] [--subtasks 8] BUNDLE_DIR...}
 *
 * <p>Exit status: 0 when every score agrees within {@link OnnxModel#PARITY_TOLERANCE} and every
 * batch ran where {@code --cuda-min-rows} sends it, 1 when not, 2 when CUDA cannot be used (no
 * silent CPU fallback: that would compare the CPU with itself) or the arguments are wrong.
 * {@code --provider CPU} runs the whole check with the CPU in place of CUDA, to try it on a machine
 * without a GPU.
 */
public final class GpuCheck {

  private static final long SEED = 7;
  /**
   * Scoring subtasks of one TaskManager: on a GPU TaskManager several slots fill batches for the one
   * model at once, which is what keeps a GPU busy, since one task thread fills rows more slowly than
   * the GPU scores them.
   */
  private static final int DEFAULT_SUBTASKS = 8;

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
      out.println("usage: GpuCheck [--batches 256,1024,4096,16384] [--seconds 2] [--provider CUDA|CPU]"
          + " [--cuda-min-rows 1024] [--subtasks 8] BUNDLE_DIR...");
      return 2;
    }
    List<Result> results = new ArrayList<>();
    for (Path bundle : options.bundles()) {
      // the leases keep the sessions open across batch sizes; the device's fails at once without CUDA
      SharedModels.Lease device;
      try {
        device = SharedModels.acquire(bundle, ProviderPlan.of(options.provider()));
      } catch (IllegalStateException e) {
        out.println("GPU check: " + options.provider() + " cannot be used, nothing measured: " + e.getMessage());
        return 2;
      }
      try (device; var split = SharedModels.acquire(bundle, options.split());
          var cpu = SharedModels.acquire(bundle, ProviderPlan.of(ExecutionProviderChoice.CPU))) {
        for (int batch : options.batches()) {
          results.addAll(check(bundle, batch, options));
        }
      }
    }
    printTable(results, out);
    List<Result> apart = results.stream().filter(r -> !(r.maxAbsDiffVsCpu() <= OnnxModel.PARITY_TOLERANCE)).toList();
    for (Result r : apart) {
      out.printf(Locale.ROOT, "GPU check: %s at batch %d: %s and CPU scores differ by %.3g (tolerance %.0e)%n",
          r.modelVersion(), r.batchSize(), r.provider(), r.maxAbsDiffVsCpu(), OnnxModel.PARITY_TOLERANCE);
    }
    List<Result> misplaced = results.stream().filter(r -> !r.provider().equals(expectedProvider(r, options))).toList();
    for (Result r : misplaced) {
      out.printf(Locale.ROOT, "GPU check: %s at batch %d with cuda-min-rows %d ran on %s, not %s%n",
          r.modelVersion(), r.batchSize(), r.cudaMinRows(), r.provider(), expectedProvider(r, options));
    }
    // last, so that `tail -1` finds it
    out.println(new ObjectMapper().writeValueAsString(results));
    return apart.isEmpty() && misplaced.isEmpty() ? 0 : 1;
  }

  /** The CPU for a batch smaller than its cuda-min-rows, else the device. */
  private static String expectedProvider(Result r, Options options) {
    boolean small = r.batchSize() < r.cudaMinRows();
    return small ? "cpu" : options.provider().name().toLowerCase(Locale.ROOT);
  }

  /**
   * One result per lane the operator can score in on the device, every batch there, and one of the
   * shared lane with the small batches on the CPU; all against the same raw and CPU figures.
   */
  private static List<Result> check(Path bundle, int batch, Options options) throws Exception {
    float[][] vectors = RandomRows.featureVectors(batch, SEED);
    ModelBundle loaded = ModelBundle.load(bundle);
    Measured cpuOperator = measureOperator(bundle, ProviderPlan.of(ExecutionProviderChoice.CPU),
        ScoringLaneChoice.TASK_THREAD, options.subtasks(), vectors, options.duration());
    Measured deviceRaw = measureRaw(loaded, options.provider(), vectors, options.duration());
    List<Result> results = new ArrayList<>();
    ProviderPlan onDevice = ProviderPlan.of(options.provider());
    for (Variant variant : List.of(new Variant(ScoringLaneChoice.SHARED, onDevice),
        new Variant(ScoringLaneChoice.TASK_THREAD, onDevice), new Variant(ScoringLaneChoice.SHARED, options.split()))) {
      Measured deviceOperator = measureOperator(bundle, variant.providers(), variant.lane(), options.subtasks(),
          vectors, options.duration());
      results.add(new Result(loaded.version(), batch, options.subtasks(), variant.providers().cudaMinRows(),
          deviceOperator.executionProvider(), variant.lane(), deviceOperator.rowsPerSecond(),
          deviceRaw.rowsPerSecond(), cpuOperator.rowsPerSecond(),
          deviceOperator.rowsPerSecond() / deviceRaw.rowsPerSecond(),
          maxAbsDiff(deviceOperator.scores(), cpuOperator.scores()),
          maxAbsDiff(deviceOperator.scores(), deviceRaw.scores())));
    }
    return results;
  }

  /**
   * Rows per second through {@code subtasks} scoring operators at once, each fed by a thread of its
   * own as the slots of a TaskManager are (they share one model and, in {@code SHARED}, its lane),
   * and the scores the first stamped on its rows.
   */
  static Measured measureOperator(Path bundle, ProviderPlan providers, ScoringLaneChoice lane, int subtasks,
      float[][] vectors, Duration duration) throws Exception {
    ExecutorService slots = Executors.newFixedThreadPool(subtasks);
    CyclicBarrier warmedUp = new CyclicBarrier(subtasks);
    try {
      List<Future<Measured>> running = new ArrayList<>();
      for (int s = 0; s < subtasks; s++) {
        running.add(slots.submit(() -> measureSubtask(bundle, providers, lane, vectors, duration, warmedUp)));
      }
      double rowsPerSecond = 0;
      for (Future<Measured> subtask : running) {
        rowsPerSecond += subtask.get().rowsPerSecond();
      }
      Measured first = running.get(0).get();
      return new Measured(rowsPerSecond, first.scores(), first.executionProvider());
    } finally {
      slots.shutdownNow();
    }
  }

  private static Measured measureSubtask(Path bundle, ProviderPlan providers, ScoringLaneChoice lane,
      float[][] vectors, Duration duration, CyclicBarrier warmedUp) throws Exception {
    // on the thread that feeds it: the operator's mailbox belongs to the thread that opened it
    EnrichedTransaction[] rows = RandomRows.transactions(vectors);
    try (OperatorPath operator = OperatorPath.open(bundle, providers, vectors.length, lane)) {
      operator.process(rows);
      operator.emitAll();
      double[] scores = Arrays.stream(rows).mapToDouble(row -> row.score).toArray();
      double rowsPerSecond = rowsPerSecond(vectors.length, duration, () -> operator.process(rows), warmedUp);
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
      double rowsPerSecond = rowsPerSecond(vectors.length, duration, () -> raw.score(scratch), new CyclicBarrier(1));
      return new Measured(rowsPerSecond, scores, provider.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Measures once every party of {@code warmedUp} has warmed up, so that concurrent ones overlap. */
  private static double rowsPerSecond(int rowsPerBatch, Duration duration, Batch batch, CyclicBarrier warmedUp)
      throws Exception {
    // half as long again before measuring: CUDA sets up kernels and memory arenas on the first runs
    runFor(duration.dividedBy(2), batch);
    warmedUp.await();
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
    out.println("| model | batch | subtasks | cuda-min-rows | provider | lane | operator rows/s | raw rows/s"
        + " | operator/raw | CPU operator rows/s | max abs diff vs CPU | operator vs raw |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Result r : results) {
      out.printf(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %.3g | %.3g | %.2f | %.3g | %.2g | %.2g |%n",
          r.modelVersion(), r.batchSize(), r.subtasks(), r.cudaMinRows(), r.provider(), r.lane(), r.operatorRowsPerSecond(),
          r.rawRowsPerSecond(), r.operatorToRaw(), r.cpuOperatorRowsPerSecond(), r.maxAbsDiffVsCpu(),
          r.maxAbsDiffOperatorVsRaw());
    }
  }

  @FunctionalInterface
  private interface Batch {
    void score() throws Exception;
  }

  /** How the operator on the device is set up. */
  private record Variant(ScoringLaneChoice lane, ProviderPlan providers) {}

  record Measured(double rowsPerSecond, double[] scores, String executionProvider) {}

  /**
   * One model at one batch size; {@code provider} is what the operator stamped on its rows,
   * {@code subtasks} how many operators scored at once and {@code cudaMinRows} their
   * scoring.cuda-min-rows (0: every batch on the device).
   */
  record Result(String modelVersion, int batchSize, int subtasks, int cudaMinRows, String provider, ScoringLaneChoice lane,
      double operatorRowsPerSecond,
      double rawRowsPerSecond, double cpuOperatorRowsPerSecond, double operatorToRaw,
      double maxAbsDiffVsCpu, double maxAbsDiffOperatorVsRaw) {}

  record Options(List<Path> bundles, int[] batches, Duration duration, ExecutionProviderChoice provider,
      int cudaMinRows, int subtasks) {

    /** The device with the small batches on the CPU. */
    ProviderPlan split() {
      return new ProviderPlan(provider, cudaMinRows);
    }

    static Options parse(String[] args) {
      List<Path> bundles = new ArrayList<>();
      int[] batches = {256, 1024, 4096, 16384};
      Duration duration = Duration.ofSeconds(2);
      ExecutionProviderChoice provider = ExecutionProviderChoice.CUDA;
      int cudaMinRows = ScoringOptions.CUDA_MIN_ROWS.defaultValue();
      int subtasks = DEFAULT_SUBTASKS;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.startsWith("--") && i + 1 == args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        switch (arg) {
          // smallest first: a model's shared lane keeps the run size of its first batch, so no later
          // batch is merged with another and every run is one batch
          case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).sorted()
              .toArray();
          case "--seconds" -> duration = Duration.ofMillis(Math.round(Double.parseDouble(args[++i]) * 1000));
          case "--provider" -> provider = ExecutionProviderChoice.valueOf(args[++i].toUpperCase(Locale.ROOT));
          case "--cuda-min-rows" -> cudaMinRows = Integer.parseInt(args[++i]);
          case "--subtasks" -> subtasks = Integer.parseInt(args[++i]);
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
      if (cudaMinRows < 1) {
        throw new IllegalArgumentException("--cuda-min-rows is at least 1: the check is of the small batches' split");
      }
      if (subtasks < 1) {
        throw new IllegalArgumentException("--subtasks is at least 1");
      }
      return new Options(bundles, batches, duration, provider, cudaMinRows, subtasks);
    }
  }
}
