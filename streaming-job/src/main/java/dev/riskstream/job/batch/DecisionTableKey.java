package dev.riskstream.job.batch;

/** What a row of the decision table stands for, and so its primary key. */
public enum DecisionTableKey {
  /** One row per transaction: its decision. */
  TRANSACTION("transaction_id"),
  /**
   * One row per customer: the decision of the customer's latest transaction in event time (ties by
   * transaction id), whatever order the decisions are written in, for applications that read a
   * customer's current score.
   */
  CUSTOMER("customer_id");

  private final String column;

  DecisionTableKey(String column) {
    this.column = column;
  }

  /** The primary-key column. */
  public String column() {
    return column;
  }
}
