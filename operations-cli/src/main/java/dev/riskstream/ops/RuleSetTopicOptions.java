package dev.riskstream.ops;

import dev.riskstream.io.settings.TopicOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a running job takes rule sets and reports what it did with them. */
public final class RuleSetTopicOptions {

  /** The running job's Kafka. */
  @Mixin KafkaConnectionOptions kafka;

  @Option(names = "--topic", description = "The job's topic.rule-sets (default ${DEFAULT-VALUE}).")
  String topic = TopicOptions.RULE_SETS.defaultValue();

  @Option(names = "--status-topic", description = "The job's topic.rule-status (default ${DEFAULT-VALUE}).")
  String statusTopic = TopicOptions.RULE_STATUS.defaultValue();
}
