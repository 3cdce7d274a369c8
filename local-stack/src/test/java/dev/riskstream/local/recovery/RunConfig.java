package dev.riskstream.local.recovery;

import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.JobConfig;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The job's settings for one run of a recovery test: its own topics, group and transactional ids. */
final class RunConfig {

  private RunConfig() {}

  static JobConfig of(EmbeddedKafkaBroker broker, String run) {
    return JobConfig.from(Configuration.fromMap(Map.ofEntries(
        Map.entry(JobConfig.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()),
        Map.entry(JobConfig.MODEL_BUNDLE.key(), "../models/baseline"),
        Map.entry(JobConfig.EXECUTION_PROVIDER.key(), ExecutionProviderChoice.CPU.name()),
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
        Map.entry(JobConfig.FEATURE_MAX_WAIT.key(), "1 s"))));
  }
}
