package dev.riskstream.job.scoring;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Scoring": how the model scores: batching, lanes, and which runs go to the GPU.
 */
public final class ScoringOptions {

  public static final ConfigOption<Integer> BATCH_SIZE =
      key("scoring.batch-size").intType().defaultValue(256)
          .withDescription("Most transactions a scoring subtask scores in one ONNX Runtime call. Larger batches "
              + "cost less per row (on a GPU they only pay off from about a thousand rows) but fill more slowly.");
  public static final ConfigOption<Duration> MAX_WAIT =
      key("scoring.max-wait").durationType().defaultValue(Duration.ofMillis(1))
          .withDescription("Longest a transaction waits, in processing time, for its batch to fill before the "
              + "batch is scored as it is; the latency a decision pays for batching when traffic is light. Under "
              + "load a batch holds what arrived meanwhile (at 10,000/s a subtask, some 10 rows a millisecond).");
  public static final ConfigOption<ScoringLaneChoice> LANE =
      key("scoring.lane").enumType(ScoringLaneChoice.class).defaultValue(ScoringLaneChoice.AUTO)
          .withDescription("Which thread runs the model. TASK_THREAD: the scoring subtask's own task thread. "
              + "SHARED: one per model and TaskManager, merging the batches of all its slots into one run while "
              + "their task threads fill the next (for GPUs). AUTO: SHARED on CUDA, TASK_THREAD on the CPU.");
  public static final ConfigOption<Integer> SHARED_MAX_ROWS =
      key("scoring.shared-max-rows").intType().defaultValue(16_384)
          .withDescription("Most rows the SHARED lane merges into one run; at least scoring.batch-size.");
  public static final ConfigOption<Integer> CUDA_MIN_ROWS =
      key("scoring.cuda-min-rows").intType().defaultValue(1024)
          .withDescription("On CUDA, runs of fewer rows go to a CPU session of the same model, which is faster "
              + "for them (on an H200, the CPU scored a small MLP as fast as the GPU at 1,024 rows a run and "
              + "2.8 times as fast at 256). Their decisions say cpu. 0: every run on CUDA.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Scoring",
      "How the model scores: batching, lanes, and which runs go to the GPU.",
      List.of(BATCH_SIZE, MAX_WAIT, LANE, SHARED_MAX_ROWS, CUDA_MIN_ROWS),
      List.of());

  private ScoringOptions() {}
}
