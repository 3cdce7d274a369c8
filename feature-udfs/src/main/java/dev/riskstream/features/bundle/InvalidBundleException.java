package dev.riskstream.features.bundle;

/** A model bundle that must not be served, and why. */
public final class InvalidBundleException extends Exception {

  public InvalidBundleException(String message) {
    super(message);
  }

  public InvalidBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
