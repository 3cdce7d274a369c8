package dev.riskstream.features.onnx;

/** Where ONNX Runtime runs the model. */
public enum ExecutionProviderChoice {
  /** CUDA when the GPU build and a GPU are there, else CPU; the provider used is reported. */
  AUTO,
  /** CUDA or fail at start: never a silent fallback. */
  CUDA,
  CPU
}
