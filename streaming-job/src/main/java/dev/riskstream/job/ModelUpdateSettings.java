package dev.riskstream.job;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.job.rollout.RolloutSettings;

/**
 * Hot model swap: where announced bundles are found, where announcements arrive, where each
 * scoring subtask reports what it did with them, and how a candidate in shadow is rolled out; see the
 * {@code model.registry}, {@code topic.model-*} and {@code rollout.*} settings of {@link JobConfig}.
 */
public record ModelUpdateSettings(ModelRegistry registry, String updatesTopic, String statusTopic,
    RolloutSettings rollout) {}
