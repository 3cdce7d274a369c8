package dev.riskstream.local.cli;

/** What went wrong, in words for the person at the terminal: the command prints it and exits 1. */
final class CliException extends Exception {

  CliException(String message) {
    super(message);
  }
}
