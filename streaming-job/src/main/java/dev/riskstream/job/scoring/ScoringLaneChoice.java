package dev.riskstream.job.scoring;

/** Which thread runs a scoring subtask's batches through ONNX Runtime. */
public enum ScoringLaneChoice {
  /** {@link #SHARED} on CUDA, {@link #TASK_THREAD} on the CPU. */
  AUTO,
  /**
   * The task thread itself: it runs each batch and waits for it. Best on the CPU, where handing a
   * batch to another thread and back cost more than the run itself in the JMH benchmark.
   */
  TASK_THREAD,
  /**
   * One thread per model and TaskManager that merges the batches waiting from all slots into one
   * run, while each slot's task thread fills its next batch: few, large runs, which is what a GPU
   * needs to be worth it.
   */
  SHARED;

  /** The lane a model on {@code executionProvider} ({@code cuda} or {@code cpu}) is scored in. */
  public ScoringLaneChoice resolve(String executionProvider) {
    if (this != AUTO) {
      return this;
    }
    return "cuda".equals(executionProvider) ? SHARED : TASK_THREAD;
  }
}
