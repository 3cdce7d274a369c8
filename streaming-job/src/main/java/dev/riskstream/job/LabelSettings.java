package dev.riskstream.job;

import java.time.Duration;

/**
 * Realised performance from delayed labels: where labels arrive and reports go, how long a decision
 * and a label wait for each other, and how long a window's report waits for labels; see the
 * {@code monitoring.labels}, {@code topic.labels}, {@code topic.performance-reports} and
 * {@code labels.*} settings of {@link JobConfig}.
 */
public record LabelSettings(String labelsTopic, String reportsTopic, Duration ttl, Duration reportWait) {}
