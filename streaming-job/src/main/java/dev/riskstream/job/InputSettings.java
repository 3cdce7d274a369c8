package dev.riskstream.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the job accepts as input beyond the schema; see the {@code input.*} and {@code dedup.horizon}
 * settings of {@link JobConfig}. Serializable because operators carry it.
 *
 * @param maxRecordBytes larger payloads become dead letters (OVERSIZE) without being decoded
 * @param maxEventTimeAhead how far an event time may lie after the processing time; null: unchecked
 * @param maxEventTimeBehind how far an event time may lie before the processing time; null: unchecked
 * @param dedupHorizon how long, in event time after a transactionId was first seen, a repeat of it is
 *     a duplicate
 */
public record InputSettings(int maxRecordBytes, Duration maxEventTimeAhead, Duration maxEventTimeBehind,
    Duration dedupHorizon) implements Serializable {

  public InputSettings {
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("the largest record must be positive, not " + maxRecordBytes);
    }
    if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
      throw new IllegalArgumentException("the de-duplication horizon must be positive, not " + dedupHorizon);
    }
  }
}
