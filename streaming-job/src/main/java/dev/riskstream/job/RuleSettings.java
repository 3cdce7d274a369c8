package dev.riskstream.job;

import java.util.Optional;

/**
 * The rules of the job; see the {@code rules.*} settings of {@link JobConfig}.
 *
 * @param initialSet the YAML of {@code rules.file}; empty: the model alone until a set is published
 * @param updates present when rule sets published while the job runs are taken
 */
public record RuleSettings(Optional<String> initialSet, Optional<RuleUpdateTopics> updates) {

  /** Where rule sets are published and where the job reports what it did with them. */
  public record RuleUpdateTopics(String ruleSetsTopic, String statusTopic) {}
}
