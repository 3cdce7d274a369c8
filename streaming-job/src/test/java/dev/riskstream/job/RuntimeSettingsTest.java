package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.failover.ExponentialDelayRestartBackoffTimeStrategy.ExponentialDelayRestartBackoffTimeStrategyFactory;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategyFactoryLoader;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The settings the job's main gives its environment reach the job graph: RocksDB with incremental
 * checkpoints, exactly-once checkpoints at the configured interval, and the exponential-delay
 * restart strategy even where the cluster's configuration says otherwise.
 */
class RuntimeSettingsTest {

  @Test
  void theBuiltJobRunsOnIncrementalRocksDbAndRestartsWithExponentialDelay() throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(RiskstreamJobITCase.config()));
    env.fromSequence(1, 2).sinkTo(new DiscardingSink<>());
    Configuration job = env.getStreamGraph().getJobConfiguration();

    StateBackend backend = StateBackendLoader.loadStateBackendFromConfig(job, getClass().getClassLoader(),
        LoggerFactory.getLogger(RuntimeSettingsTest.class));
    assertThat(backend).isInstanceOf(EmbeddedRocksDBStateBackend.class);
    assertThat(((EmbeddedRocksDBStateBackend) backend).isIncrementalCheckpointsEnabled()).isTrue();
    assertThat(job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
    assertThat(env.getBufferTimeout()).as("records ship within a millisecond, not Flink's 100").isEqualTo(1);

    // the job's own settings win over a cluster that would restart differently
    Configuration cluster = new Configuration();
    cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    assertThat(RestartBackoffTimeStrategyFactoryLoader.createRestartBackoffTimeStrategyFactory(job, cluster, true))
        .isInstanceOf(ExponentialDelayRestartBackoffTimeStrategyFactory.class);
    assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
        .isEqualTo(RiskstreamJob.FIRST_RESTART_DELAY);
    assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(RiskstreamJob.LONGEST_RESTART_DELAY);
    assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(Integer.MAX_VALUE);
  }
}
