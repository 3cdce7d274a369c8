package dev.riskstream.job.batch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Where batch scoring starts and stops reading a topic, from settings such as {@code earliest},
 * {@code latest}, {@code 2026-03-02T12:00:00Z} (the first record with a Kafka timestamp at or after
 * it) or {@code 0:1200,3:900} (partition:offset; partitions not listed start at the earliest offset
 * and stop at the latest). The stop is exclusive; {@code latest} is what the partitions hold when
 * the job starts.
 */
public final class KafkaRange {

  public static final String EARLIEST = "earliest";
  public static final String LATEST = "latest";

  private KafkaRange() {}

  public static OffsetsInitializer starting(String position, String topic) {
    return position.equals(LATEST) ? OffsetsInitializer.latest()
        : parse(position, topic, OffsetResetStrategy.EARLIEST);
  }

  public static OffsetsInitializer stopping(String position, String topic) {
    if (position.equals(EARLIEST)) {
      throw new IllegalArgumentException("reading cannot stop at the earliest offsets: nothing would be read");
    }
    return position.equals(LATEST) ? OffsetsInitializer.latest() : parse(position, topic, OffsetResetStrategy.LATEST);
  }

  private static OffsetsInitializer parse(String position, String topic, OffsetResetStrategy unlisted) {
    if (position.equals(EARLIEST)) {
      return OffsetsInitializer.earliest();
    }
    if (position.contains("T")) {
      try {
        return OffsetsInitializer.timestamp(Instant.parse(position).toEpochMilli());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + position + "' is neither earliest, latest, an ISO-8601 instant "
            + "nor partition:offset pairs", e);
      }
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (String pair : position.split(",")) {
      String[] parts = pair.trim().split(":");
      try {
        if (parts.length != 2 || Integer.parseInt(parts[0]) < 0 || Long.parseLong(parts[1]) < 0) {
          throw new NumberFormatException();
        }
        if (offsets.put(new TopicPartition(topic, Integer.parseInt(parts[0])), Long.parseLong(parts[1])) != null) {
          throw new IllegalArgumentException("partition " + parts[0] + " is listed twice in '" + position + "'");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + pair + "' in '" + position + "' is not partition:offset", e);
      }
    }
    return OffsetsInitializer.offsets(offsets, unlisted);
  }
}
