package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Transaction;
import java.util.Objects;

/** A generated transaction with its ground-truth label. */
public record SimulatedTransaction(Transaction transaction, FraudPattern pattern) {

  public SimulatedTransaction {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(pattern, "pattern");
  }

  public boolean fraud() {
    return pattern.isFraud();
  }
}
