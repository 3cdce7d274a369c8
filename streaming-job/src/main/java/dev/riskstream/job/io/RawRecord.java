package dev.riskstream.job.io;

/**
 * One Kafka record as it arrived, undecoded, so that a payload that cannot be read still reaches the
 * dead-letter topic with its coordinates. A Flink POJO.
 */
public class RawRecord {

  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  /** Null for a tombstone. */
  public byte[] value;

  public RawRecord() {}

  public RawRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.value = value;
  }
}
