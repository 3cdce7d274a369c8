package dev.riskstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.scoring.ScoringLaneChoice;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark compares like with like only while both of its paths score the rows alike. */
class ScoringBenchmarkTest {

  private static final Path BASELINE = Path.of("..", "models", "baseline");

  @TempDir
  static Path mlp;

  @ParameterizedTest
  @CsvSource({"1,TASK_THREAD", "32,TASK_THREAD", "256,TASK_THREAD", "256,SHARED"})
  void theOperatorScoresTheBaselineAsRawOnnxRuntimeDoes(int batchSize, ScoringLaneChoice lane) throws Exception {
    assertBothPathsScoreAlike(BASELINE, batchSize, lane);
  }

  @ParameterizedTest
  @CsvSource({"1,TASK_THREAD", "256,TASK_THREAD", "256,SHARED"})
  void theOperatorScoresAnMlpWithOneOutputColumnAsRawOnnxRuntimeDoes(int batchSize, ScoringLaneChoice lane)
      throws Exception {
    MlpBundle.write(mlp);
    assertBothPathsScoreAlike(mlp, batchSize, lane);
  }

  private static void assertBothPathsScoreAlike(Path bundle, int batchSize, ScoringLaneChoice lane) throws Exception {
    ScoringBenchmark benchmark = new ScoringBenchmark();
    benchmark.batchSize = batchSize;
    benchmark.lane = lane;
    benchmark.bundle = bundle.toString();
    benchmark.open();
    try {
      ScoringBenchmark.ScoredRows scored = new ScoringBenchmark.ScoredRows();
      double[] raw = benchmark.rawOrt(scored).clone();
      benchmark.operator(scored);
      long emitted = benchmark.emitAll();

      assertThat(emitted).as("rows out of the operator").isEqualTo(batchSize);
      assertThat(benchmark.operatorScores()).as("same session options, same rows: same floats").containsExactly(raw);
      assertThat(Arrays.stream(raw).allMatch(p -> p >= 0 && p <= 1)).as("probabilities").isTrue();
      if (batchSize > 1) {
        assertThat(Arrays.stream(raw).distinct().count()).as("the rows are told apart").isGreaterThan(1);
      }
      assertThat(scored.rows).isEqualTo(2L * batchSize);
    } finally {
      benchmark.close();
    }
  }
}
