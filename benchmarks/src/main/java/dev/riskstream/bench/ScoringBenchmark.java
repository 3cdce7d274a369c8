package dev.riskstream.bench;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second scored by raw ONNX Runtime ({@link RawOrtScoring}, the ceiling) and by the
 * scoring operator ({@link OperatorPath}), for the same model, rows and batch size, on the CPU.
 * One call scores one batch; the {@code rows} counter is the figure to read (the primary score
 * counts batches).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ScoringBenchmark {

  private static final long SEED = 42;

  @Param({"1", "32", "256", "1024"})
  public int batchSize;

  /** Which thread runs the operator's batches: the task thread (the job's default on the CPU) or a shared lane. */
  @Param({"TASK_THREAD", "SHARED"})
  public ScoringLaneChoice lane;

  /** Model bundle directory, relative to where the benchmark runs. */
  @Param("models/baseline")
  public String bundle;

  private RawOrtScoring raw;
  private double[] rawScores;
  private OperatorPath operator;
  private EnrichedTransaction[] rows;

  @Setup(Level.Trial)
  public void open() throws Exception {
    float[][] vectors = RandomRows.featureVectors(batchSize, SEED);
    raw = RawOrtScoring.open(ModelBundle.load(Path.of(bundle)), ExecutionProviderChoice.CPU, vectors);
    rawScores = new double[batchSize];
    operator = OperatorPath.open(Path.of(bundle), ProviderPlan.of(ExecutionProviderChoice.CPU), batchSize, lane);
    rows = RandomRows.transactions(vectors);
  }

  /** Emits every row fed to the operator; returns how many it has emitted in all. */
  long emitAll() throws Exception {
    return operator.emitAll();
  }

  /** The scores the operator stamped on the rows it emitted, for the test that both paths score alike. */
  double[] operatorScores() {
    double[] scores = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      scores[i] = rows[i].score;
    }
    return scores;
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    operator.close();
    raw.close();
  }

  @Benchmark
  public double[] rawOrt(ScoredRows scored) throws Exception {
    raw.score(rawScores);
    scored.rows += batchSize;
    return rawScores;
  }

  @Benchmark
  public long operator(ScoredRows scored) throws Exception {
    scored.rows += batchSize;
    return operator.process(rows);
  }

  /** Rows scored, reported per second beside the batches. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class ScoredRows {
    public long rows;

    @Setup(Level.Iteration)
    public void reset() {
      rows = 0;
    }
  }
}
