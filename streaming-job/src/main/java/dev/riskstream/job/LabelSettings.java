package dev.riskstream.job;

import dev.riskstream.job.monitoring.PerformanceFloors;
import java.time.Duration;

/**
 * Realised performance from delayed labels: where labels arrive and reports go, how long a decision
 * and a label wait for each other, how long a window's report waits for labels, and below which
 * performance a window counts towards a retraining request; see the {@code monitoring.labels},
 * {@code monitoring.min-*}, {@code topic.labels}, {@code topic.performance-reports} and
 * {@code labels.*} settings of {@link JobConfig}.
 */
public record LabelSettings(String labelsTopic, String reportsTopic, Duration ttl, Duration reportWait,
    PerformanceFloors floors) {}
