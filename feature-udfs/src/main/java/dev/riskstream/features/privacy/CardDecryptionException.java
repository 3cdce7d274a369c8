package dev.riskstream.features.privacy;

import dev.riskstream.schemas.DeadLetterReason;

/** An envelope that does not decrypt, with the reason its dead letter carries; never holds the PAN. */
public final class CardDecryptionException extends Exception {

  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  CardDecryptionException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
