package dev.riskstream.local.recovery;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import java.util.Map;

/** The job's settings for one run of a recovery test: its own topics, group and transactional ids. */
final class RunConfig {

  private RunConfig() {}

  static JobConfig of(EmbeddedKafkaBroker broker, String run) {
    return TestJobSettings.config(Map.ofEntries(
        Map.entry(JobConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()),
        // the cards of the checked-in savepoints are keyed by tokens of this key
        Map.entry(JobConfig.TOKEN_KEY.key(), "recovery-test-token-key"),
        Map.entry(JobConfig.GROUP_ID.key(), "riskstream-" + run),
        Map.entry(JobConfig.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-" + run),
        Map.entry(JobConfig.TRANSACTIONS_TOPIC.key(), run + "-transactions"),
        Map.entry(JobConfig.DECISIONS_TOPIC.key(), run + "-decisions"),
        Map.entry(JobConfig.DEAD_LETTERS_TOPIC.key(), run + "-dlq"),
        Map.entry(JobConfig.DRIFT_REPORTS_TOPIC.key(), run + "-drift-reports"),
        Map.entry(JobConfig.RETRAIN_REQUESTS_TOPIC.key(), run + "-retrain-requests"),
        Map.entry(JobConfig.CHECKPOINT_INTERVAL.key(), "1 s"),
        // a run's input ends: its last transactions go out after the maximum wait for the watermark
        Map.entry(JobConfig.FEATURE_MAX_WAIT.key(), "1 s")));
  }
}
