package dev.riskstream.training;

import dev.riskstream.schemas.Transaction;
import java.util.Objects;

/**
 * A transaction with its (delayed) ground truth: was it fraud?
 *
 * <p>Training keys card history by {@link Transaction#getCardNumber()} as given; whether that is the
 * PAN or its token does not matter, since no feature looks at the card number itself.
 */
public record LabeledTransaction(Transaction transaction, boolean fraud) {

  public LabeledTransaction {
    Objects.requireNonNull(transaction, "transaction");
  }
}
