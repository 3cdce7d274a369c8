package dev.riskstream.features.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every scoring session is opened, by the job, the SQL model provider and the benchmarks alike,
 * so that a model scores the same wherever it runs.
 */
public final class ScoringSessions {

  private static final Logger LOG = LoggerFactory.getLogger(ScoringSessions.class);

  private ScoringSessions() {}

  /**
   * Options for {@code choice}, with the execution provider they run on ({@code cuda} or {@code cpu}).
   *
   * @param setting the setting that made the choice, named when CUDA is required but unusable
   * @throws ExecutionProviderUnavailableException when {@code choice} is CUDA and CUDA cannot be used
   */
  public static Chosen choose(ExecutionProviderChoice choice, String setting) throws OrtException {
    if (choice == ExecutionProviderChoice.CPU) {
      return new Chosen(options(false), "cpu");
    }
    try {
      return new Chosen(options(true), "cuda");
    } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
      if (choice == ExecutionProviderChoice.CUDA) {
        throw new ExecutionProviderUnavailableException(
            setting + " is CUDA but CUDA cannot be used: " + e.getMessage(), e);
      }
      LOG.info("CUDA execution provider unavailable ({}); scoring on the CPU", e.getMessage());
      return new Chosen(options(false), "cpu");
    }
  }

  /** @param provider {@code cuda} or {@code cpu} */
  public record Chosen(OrtSession.SessionOptions options, String provider) {}

  /** The options of every scoring session; with {@code cuda}, on the CUDA provider with TF32 off. */
  public static OrtSession.SessionOptions options(boolean cuda) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // One thread per run: ONNX Runtime then computes on the calling thread, so each slot that shares
    // a session scores on its own task thread, and Flink's parallelism is the unit of scale, not a
    // thread pool of ORT's that all slots would contend for.
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    // Should the thread count be raised, pool threads must sleep when idle rather than spin: an idle
    // slot would otherwise burn a core between micro-batches.
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.addConfigEntry("session.inter_op.allow_spinning", "0");
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (cuda) {
      try (OrtCUDAProviderOptions provider = new OrtCUDAProviderOptions(0)) {
        // TF32 moved scores by up to 1.4e-2 against the CPU, enough to flip decisions
        provider.add("use_tf32", "0");
        options.addCUDA(provider);
      } catch (OrtException | RuntimeException | LinkageError e) {
        options.close();
        throw e;
      }
    }
    return options;
  }
}
