package dev.riskstream.ops;

/** What went wrong, in words for the person at the terminal: the command prints it and exits 1. */
public final class CliException extends Exception {

  public CliException(String message) {
    super(message);
  }
}
