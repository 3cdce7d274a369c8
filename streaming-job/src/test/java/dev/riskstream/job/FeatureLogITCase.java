package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.io.featurelog.FeatureLog;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.job.scoring.InputBatch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.FeatureLogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The feature log holds, for every decision, the vector the model scored: scoring it again gives the decision's score. */
class FeatureLogITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path logDirectory;

  @Test
  void everyDecisionIsLoggedOnceWithTheVectorItWasScoredOn() throws Exception {
    List<RawRecord> input = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // a few cards, so the card features have history; spread over three hours of event time
      input.add(TestData.raw(i, TestData.transaction(i).setCardNumber(i % 3 == 0 ? "4000056655665556" : "4111111111111111")
          .setEventTime(TestData.START.plusSeconds(60L * i)).build()));
    }
    JobConfig config = TestJobSettings.config(Map.of(
        DeliveryOptions.CHECKPOINT_INTERVAL.key(), "500 ms",
        FeatureLogOptions.PATH.key(), logDirectory.toUri().toString()));
    CollectingSink<Decision> decisions = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    env.setParallelism(2);
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config),
        decisions, new CollectingSink<>(),
        Optional.empty(), new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()),
        Optional.empty(), config);
    env.execute("riskstream-feature-log-itcase");

    List<FeatureLogEntry> logged = read(logDirectory);
    Map<String, Decision> byId = decisions.received().stream()
        .collect(Collectors.toMap(Decision::getTransactionId, Function.identity()));
    assertThat(logged).hasSize(200);
    assertThat(logged).extracting(FeatureLogEntry::getTransactionId).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(byId.keySet());
    assertThat(logged).allSatisfy(entry -> {
      Decision decision = byId.get(entry.getTransactionId());
      assertThat(entry.getScore()).isEqualTo(decision.getScore());
      assertThat(entry.getModelVersion()).isEqualTo(decision.getModelVersion());
      assertThat(entry.getOutcome()).isEqualTo(decision.getOutcome());
      assertThat(entry.getCardToken()).isEqualTo(decision.getCardToken()).isEqualTo(entry.getTransaction().getCardNumber());
      assertThat(entry.getEventTime()).isEqualTo(decision.getEventTime());
    });
    assertThat(logged.stream().map(e -> e.getFeatures().get(0)).distinct().count())
        .as("vectors differ between transactions").isGreaterThan(10);

    // the logged vectors, scored again by the same bundle, give the scores the decisions carry
    try (OnnxModel model = OnnxModel.load(ModelBundle.load(TestData.BASELINE_BUNDLE),
        ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      InputBatch batch = model.newBatch(logged.size());
      for (FeatureLogEntry entry : logged) {
        float[] vector = new float[entry.getFeatures().size()];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = entry.getFeatures().get(i);
        }
        batch.add(vector);
      }
      model.scoreBatch(batch);
      for (int i = 0; i < logged.size(); i++) {
        assertThat(batch.score(i)).as(logged.get(i).getTransactionId()).isCloseTo(logged.get(i).getScore(),
            org.assertj.core.api.Assertions.within(1e-6));
      }
    }

    DateTimeFormatter hour = DateTimeFormatter.ofPattern("'date='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    try (Stream<Path> files = Files.walk(logDirectory)) {
      List<String> buckets = files.filter(Files::isRegularFile)
          .map(file -> logDirectory.relativize(file.getParent()).toString()).distinct().sorted().toList();
      assertThat(buckets).as("partitioned by event-time hour").containsExactlyElementsOf(
          logged.stream().map(e -> hour.format(e.getEventTime())).distinct().sorted().toList());
    }
  }

  private static List<FeatureLogEntry> read(Path directory) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // with two readers one at times sat out its 30 s close timeout at the end (FLINK-40660)
    env.setParallelism(1);
    FileSource<FeatureLogEntry> source = FileSource
        .forRecordStreamFormat(FeatureLog.FORMAT, new org.apache.flink.core.fs.Path(directory.toUri())).build();
    List<FeatureLogEntry> entries = new ArrayList<>();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "feature log").executeAndCollect().forEachRemaining(entries::add);
    return entries;
  }
}
