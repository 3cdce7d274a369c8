package dev.riskstream.local.recovery;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.TestData;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import java.util.Map;

/** The job's settings for one run of a recovery test: its own topics, group and transactional ids. */
final class RunConfig {

  private RunConfig() {}

  static JobConfig of(EmbeddedKafkaBroker broker, String run) {
    return TestJobSettings.config(Map.ofEntries(
        Map.entry(KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()),
        // the cards of the checked-in savepoints are keyed by tokens of this key
        Map.entry(InputOptions.TOKEN_KEY.key(), "file:" + TestData.secretFile("token-key", "recovery-test-token-key")),
        Map.entry(KafkaOptions.GROUP_ID.key(), "riskstream-" + run),
        Map.entry(KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-" + run),
        Map.entry(TopicOptions.TRANSACTIONS.key(), run + "-transactions"),
        Map.entry(TopicOptions.DECISIONS.key(), run + "-decisions"),
        Map.entry(TopicOptions.DEAD_LETTERS.key(), run + "-dlq"),
        Map.entry(TopicOptions.DRIFT_REPORTS.key(), run + "-drift-reports"),
        Map.entry(TopicOptions.RETRAIN_REQUESTS.key(), run + "-retrain-requests"),
        Map.entry(DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s"),
        // a run's input ends: its last transactions go out after the maximum wait for the watermark
        Map.entry(FeatureOptions.MAX_WAIT.key(), "1 s")));
  }
}
