package dev.riskstream.job;

import dev.riskstream.features.bundle.ModelRegistry;

/**
 * Hot model swap: where announced bundles are found, where announcements arrive and where each
 * scoring subtask reports what it did with them; see the {@code model.registry} and
 * {@code topic.model-*} settings of {@link JobConfig}.
 */
public record ModelUpdateSettings(ModelRegistry registry, String updatesTopic, String statusTopic) {}
