package dev.riskstream.job;

import dev.riskstream.schemas.Transaction;

/** A transaction waiting for the watermark, and when it arrived (processing time). A Flink POJO. */
public class PendingTransaction {

  public Transaction transaction;
  public long arrivedAt;

  public PendingTransaction() {}

  public PendingTransaction(Transaction transaction, long arrivedAt) {
    this.transaction = transaction;
    this.arrivedAt = arrivedAt;
  }
}
