package dev.riskstream.schemas.codec;

import dev.riskstream.schemas.DeadLetterReason;

/** A payload that cannot be read, with the reason its dead letter carries. */
public final class DecodeException extends Exception {

  private final DeadLetterReason reason;

  public DecodeException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
