package dev.riskstream.io.kafka;

/**
 * One Kafka record as it arrived, undecoded, so that a payload that cannot be read still reaches the
 * dead-letter topic with its coordinates. A Flink POJO.
 */
public class RawRecord {

  /** How much of a payload a dead letter shows. */
  public static final int PREVIEW_BYTES = 256;

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

  /**
   * The payload's first {@value #PREVIEW_BYTES} bytes for a dead letter: printable ASCII as is, every
   * other byte (and the backslash) as {@code \xNN}; empty for a tombstone. Not yet redacted.
   */
  public String payloadPreview() {
    if (value == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(value.length, PREVIEW_BYTES); i++) {
      int b = value[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.toString();
  }

  public int payloadSize() {
    return value == null ? 0 : value.length;
  }
}
