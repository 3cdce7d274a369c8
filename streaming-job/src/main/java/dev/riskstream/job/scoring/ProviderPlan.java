package dev.riskstream.job.scoring;

import dev.riskstream.features.onnx.ExecutionProviderChoice;
import java.io.Serializable;

/**
 * Where a model's runs go. On CUDA, a run of fewer than {@code cudaMinRows} rows goes to a CPU
 * session of the same model instead: a GPU run costs about as much for a few hundred rows as for
 * thousands, so small runs are faster on the CPU. 0: every run on the chosen provider.
 */
public record ProviderPlan(ExecutionProviderChoice choice, int cudaMinRows) implements Serializable {

  public ProviderPlan {
    if (cudaMinRows < 0) {
      throw new IllegalArgumentException("scoring.cuda-min-rows must not be negative, not " + cudaMinRows);
    }
  }

  /** Every run on {@code choice}'s provider. */
  public static ProviderPlan of(ExecutionProviderChoice choice) {
    return new ProviderPlan(choice, 0);
  }
}
