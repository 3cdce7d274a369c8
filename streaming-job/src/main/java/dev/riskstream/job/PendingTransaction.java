package dev.riskstream.job;

import dev.riskstream.schemas.Transaction;

/**
 * A transaction waiting for the watermark, when it arrived at the card's operator (processing time)
 * and when the job received it (wall clock; 0 in the state of earlier releases). A Flink POJO.
 */
public class PendingTransaction {

  public Transaction transaction;
  public long arrivedAt;
  public long receivedAt;

  public PendingTransaction() {}

  public PendingTransaction(Transaction transaction, long arrivedAt, long receivedAt) {
    this.transaction = transaction;
    this.arrivedAt = arrivedAt;
    this.receivedAt = receivedAt;
  }
}
