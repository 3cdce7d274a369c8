package dev.riskstream.local.kafka;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RuleSettings;
import java.util.HashMap;
import java.util.Map;

/** The topics of the job's inputs and outputs on an embedded broker. */
public final class JobTopics {

  private JobTopics() {}

  /**
   * Creates as many topics as {@code config} uses: transactions, decisions and labels with
   * {@code partitions} partitions, the rest with one.
   */
  public static void create(EmbeddedKafkaBroker broker, JobConfig config, int partitions) {
    Map<String, Integer> topics = new HashMap<>(Map.of(
        config.transactionsTopic(), partitions,
        config.decisionsTopic(), partitions,
        config.deadLettersTopic(), 1,
        config.drift().reportsTopic(), 1,
        config.drift().retrainRequestsTopic(), 1));
    config.modelUpdates().ifPresent(updates -> {
      // one partition: announcements are ordered, and every scoring subtask reads them all
      topics.put(updates.updatesTopic(), 1);
      topics.put(updates.statusTopic(), 1);
    });
    config.rules().flatMap(RuleSettings::updates).ifPresent(updates -> {
      // one partition: publications are ordered, and every deciding subtask reads them all
      topics.put(updates.ruleSetsTopic(), 1);
      topics.put(updates.statusTopic(), 1);
    });
    config.labels().ifPresent(labels -> {
      topics.put(labels.labelsTopic(), partitions);
      topics.put(labels.reportsTopic(), 1);
    });
    broker.createTopics(topics);
  }
}
