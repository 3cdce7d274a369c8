package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.ModelOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.failover.ExponentialDelayRestartBackoffTimeStrategy.ExponentialDelayRestartBackoffTimeStrategyFactory;
import org.apache.flink.runtime.executiongraph.failover.RestartBackoffTimeStrategyFactoryLoader;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.slf4j.LoggerFactory;

/**
 * The settings the job's main gives its environment reach the job graph: keyed state on the heap, or
 * on request in RocksDB with incremental checkpoints, exactly-once checkpoints at the configured interval, and the exponential-delay
 * restart strategy even where the cluster's configuration says otherwise; chained operators that
 * share records rather than copy them; RocksDB options that keep a checkpoint's synchronous part
 * short; the decision path's shuffle ships within network.buffer-timeout, and with control topics too
 * the path is one task.
 */
class RuntimeSettingsTest {

  @Test
  void theBuiltJobKeepsItsStateOnTheHeapAndRestartsWithExponentialDelay() throws Exception {
    Configuration job = builtJobConfiguration(RiskstreamJobITCase.config());

    assertThat(stateBackendOf(job)).isInstanceOf(HashMapStateBackend.class);
    assertThat(job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
    assertThat(job.get(PipelineOptions.OBJECT_REUSE)).as("chained operators share records").isTrue();

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

  @Test
  void onRequestTheBuiltJobKeepsItsStateInRocksDbWithIncrementalCheckpoints() throws Exception {
    StateBackend backend = stateBackendOf(builtJobConfiguration(onRocksDb()));

    assertThat(backend).isInstanceOf(EmbeddedRocksDBStateBackend.class);
    assertThat(((EmbeddedRocksDBStateBackend) backend).isIncrementalCheckpointsEnabled()).isTrue();
  }

  @Test
  void rocksDbFlushesAllColumnFamiliesAtOnceAndLeavesLevelZeroUncompressed() throws Exception {
    RocksDBOptionsFactory options = ((EmbeddedRocksDBStateBackend) stateBackendOf(builtJobConfiguration(onRocksDb())))
        .getRocksDBOptions();

    List<AutoCloseable> handles = new ArrayList<>();
    try (DBOptions db = options.createDBOptions(new DBOptions(), handles);
         ColumnFamilyOptions flinkDefault = options.createColumnOptions(
             new ColumnFamilyOptions().setCompressionType(CompressionType.SNAPPY_COMPRESSION), handles);
         ColumnFamilyOptions perLevel = options.createColumnOptions(new ColumnFamilyOptions().setCompressionPerLevel(
             List.of(CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION, CompressionType.ZSTD_COMPRESSION)),
             handles)) {
      assertThat(db.atomicFlush()).isTrue();
      assertThat(flinkDefault.compressionPerLevel())
          .containsExactly(CompressionType.NO_COMPRESSION, CompressionType.SNAPPY_COMPRESSION);
      assertThat(perLevel.compressionPerLevel()).as("the deeper levels as the cluster configures them")
          .containsExactly(CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION, CompressionType.ZSTD_COMPRESSION);
    }
  }

  @Test
  void onlyTheDecisionPathsShuffleShipsWithinTheBufferTimeout() throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(RiskstreamJobITCase.config()));
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(List.of(TestData.raw(0, TestData.transaction(0).build())),
            TypeInformation.of(RawRecord.class)), RiskstreamJobITCase.config()),
        new DiscardingSink<>(), new DiscardingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new DiscardingSink<>(), new DiscardingSink<>()), Optional.empty(),
        RiskstreamJobITCase.config());
    StreamGraph graph = env.getStreamGraph();

    Map<String, Long> shuffles = graph.getStreamNodes().stream()
        .flatMap(node -> node.getInEdges().stream())
        .filter(edge -> !(edge.getPartitioner() instanceof ForwardPartitioner))
        .collect(Collectors.toMap(edge -> graph.getStreamNode(edge.getTargetId()).getOperatorName(),
            StreamEdge::getBufferTimeout, (a, b) -> Math.max(a, b)));
    assertThat(shuffles).containsEntry("De-duplicate, card features (keyed state)", 1L);
    assertThat(shuffles).as("the monitoring shuffles keep Flink's default")
        .containsEntry("Drift windows", ExecutionOptions.BUFFER_TIMEOUT.defaultValue().toMillis());
  }

  @Test
  void withModelUpdatesAndRuleSetsTheDecisionPathIsStillOneChain(@TempDir Path dir) throws Exception {
    Map<String, String> settings = TestJobSettings.settings();
    settings.put(RuleOptions.UPDATES.key(), "true");
    settings.put(ModelOptions.REGISTRY.key(), dir.resolve("registry").toString());
    JobConfig config = JobConfig.from(Configuration.fromMap(settings));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    DataStream<RawRecord> control = env.fromData(List.of(TestData.raw(0, TestData.transaction(0).build())),
        TypeInformation.of(RawRecord.class));
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(List.of(TestData.raw(0, TestData.transaction(0).build())),
            TypeInformation.of(RawRecord.class)), config),
        new DiscardingSink<>(), new DiscardingSink<>(),
        Optional.of(new RiskstreamJob.ModelUpdateStreams(control, new DiscardingSink<>(), new DiscardingSink<>())),
        Optional.of(new RiskstreamJob.RuleSetStreams(control, new DiscardingSink<>())),
        new RiskstreamJob.MonitoringSinks(new DiscardingSink<>(), new DiscardingSink<>()), Optional.empty(), config);

    JobGraph job = StreamingJobGraphGenerator.createJobGraph(env.getStreamGraph());
    assertThat(job.getVertices()).as("one task from the card shuffle to the decisions' sink")
        .filteredOn(vertex -> vertex.getName().contains("ONNX scoring")).singleElement()
        .satisfies(task -> assertThat(task.getName()).startsWith("De-duplicate, card features (keyed state) -> ")
            .contains("Rules and decision policy", "Decisions: "));
  }

  private static JobConfig onRocksDb() {
    Map<String, String> settings = TestJobSettings.settings();
    settings.put(StateOptions.BACKEND.key(), "rocksdb");
    return JobConfig.from(Configuration.fromMap(settings));
  }

  /** The configuration of a job built on the job's runtime settings, as the cluster receives it. */
  private static Configuration builtJobConfiguration(JobConfig config) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    env.fromSequence(1, 2).sinkTo(new DiscardingSink<>());
    return env.getStreamGraph().getJobConfiguration();
  }

  private static StateBackend stateBackendOf(Configuration job) throws Exception {
    return StateBackendLoader.loadStateBackendFromConfig(job, RuntimeSettingsTest.class.getClassLoader(),
        LoggerFactory.getLogger(RuntimeSettingsTest.class));
  }
}
