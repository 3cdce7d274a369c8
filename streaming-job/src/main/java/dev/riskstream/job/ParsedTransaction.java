package dev.riskstream.job;

import dev.riskstream.schemas.Transaction;

/**
 * A valid, tokenized transaction with the Kafka coordinates it was read from, so that a later check
 * (de-duplication) can still point its dead letter at the record, and the wall-clock time it was
 * read at, which its decision reports. A Flink POJO.
 */
public class ParsedTransaction {

  public String topic;
  public int partition;
  public long offset;
  public int payloadSize;
  public Transaction transaction;
  /** Epoch milliseconds. */
  public long receivedAt;

  public ParsedTransaction() {}

  public ParsedTransaction(String topic, int partition, long offset, int payloadSize, Transaction transaction,
      long receivedAt) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.payloadSize = payloadSize;
    this.transaction = transaction;
    this.receivedAt = receivedAt;
  }
}
