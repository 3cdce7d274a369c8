package dev.riskstream.training;

/** Training produced no bundle that is safe to publish, and why. */
public final class TrainingException extends Exception {

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
