package dev.riskstream.io.deadletters;

import dev.riskstream.features.privacy.Redactor;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

/**
 * Writes the dead letters of one operator and counts them: {@code deadLetters} in all, and
 * {@code deadLettersByReason} under the metric group {@code reason=<REASON>}, one per reason, so that a
 * dashboard tells a producer's schema mistake from a burst of duplicates. Redacts what echoes input.
 */
public final class DeadLetters {

  /** The side output every operator writes its dead letters to; the job sends them all to one topic. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  /** Long enough for any message of ours with the field value it quotes; a field can be as large as the record. */
  public static final int MAX_MESSAGE_CHARS = 512;

  private final Counter total;
  private final Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);

  public DeadLetters(MetricGroup metrics) {
    total = metrics.counter("deadLetters");
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      byReason.put(reason, metrics.addGroup("reason", reason.name()).counter("deadLettersByReason"));
    }
  }

  /**
   * Builds a dead letter and counts it.
   *
   * @param preview the payload's first bytes as {@link dev.riskstream.io.kafka.RawRecord#payloadPreview} writes them, or empty
   *     when the payload is no longer at hand; redacted here
   */
  public DeadLetter letter(String topic, int partition, long offset, DeadLetterReason reason, String message,
      String preview, int payloadSize, long receivedAt) {
    return counted(build(topic, partition, offset, reason, message, preview, payloadSize, receivedAt));
  }

  /** Counts a dead letter built where no metric group is at hand (in a source's deserializer). */
  public DeadLetter counted(DeadLetter letter) {
    total.inc();
    byReason.get(letter.getReason()).inc();
    return letter;
  }

  /** A dead letter with what echoes input redacted, not counted: see {@link #letter}. */
  public static DeadLetter build(String topic, int partition, long offset, DeadLetterReason reason, String message,
      String preview, int payloadSize, long receivedAt) {
    // redact before cutting, so that a cut never leaves the head of a PAN long enough to miss the mask
    String redacted = Redactor.redact(message);
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setReason(reason)
        .setErrorMessage(shortened(redacted))
        .setPayloadPreview(Redactor.redact(preview))
        .setPayloadSize(payloadSize)
        .setReceivedAt(Instant.ofEpochMilli(receivedAt))
        .build();
  }

  /** Cut to {@link #MAX_MESSAGE_CHARS}, never between the two halves of a surrogate pair. */
  private static String shortened(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1)) ? MAX_MESSAGE_CHARS - 1 : MAX_MESSAGE_CHARS;
    return message.substring(0, end) + "...";
  }
}
