package dev.riskstream.job.batch;

import dev.riskstream.schemas.Decision;

/** A decision with the customer of its transaction, which the decision's record does not carry. A Flink POJO. */
public class DecisionRow {

  public String customerId;
  public Decision decision;

  public DecisionRow() {}

  public DecisionRow(String customerId, Decision decision) {
    this.customerId = customerId;
    this.decision = decision;
  }

  /** The value of the table's primary key for this row. */
  public String key(DecisionTableKey key) {
    return key == DecisionTableKey.CUSTOMER ? customerId : decision.getTransactionId();
  }
}
