package dev.riskstream.features.onnx;

/** The configured execution provider was required (CUDA) but cannot be used on this machine. */
public final class ExecutionProviderUnavailableException extends IllegalStateException {

  public ExecutionProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
