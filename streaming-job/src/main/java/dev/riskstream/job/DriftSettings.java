package dev.riskstream.job;

import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.job.monitoring.RetrainPolicy;
import java.io.Serializable;

/**
 * Drift monitoring and the retraining trigger; see the {@code monitoring.*} and {@code topic.*}
 * settings of {@link JobConfig}.
 */
public record DriftSettings(DriftThresholds thresholds, RetrainPolicy retrainPolicy, String reportsTopic,
    String retrainRequestsTopic) implements Serializable {}
