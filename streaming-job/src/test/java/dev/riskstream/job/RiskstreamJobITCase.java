package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.job.scoring.LookupTableBundle;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.RetrainRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RiskstreamJobITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static JobConfig config() {
    return JobConfig.from(Configuration.fromMap(settings()));
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = TestJobSettings.settings();
    settings.put(DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s");
    return settings;
  }

  @Test
  void everyValidTransactionGetsOneDecisionAndEveryBadRecordOneDeadLetter() throws Exception {
    List<RawRecord> input = new ArrayList<>();
    int valid = 0;
    for (int i = 0; i < 300; i++) {
      if (i % 25 == 7) {
        input.add(TestData.raw(i, ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
      } else if (i % 25 == 13) {
        input.add(TestData.raw(i, TestData.transaction(i).setCurrency("QQQ").build()));
      } else if (i % 25 == 19) {
        // a producer's retry of the previous transaction
        input.add(TestData.raw(i, TestData.transaction(i - 1).build()));
      } else {
        input.add(TestData.raw(i, TestData.transaction(i).build()));
        valid++;
      }
    }
    CollectingSink<Decision> decisions = new CollectingSink<>();
    CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config()));
    env.setParallelism(2);

    CollectingSink<DriftReport> driftReports = new CollectingSink<>();
    CollectingSink<RetrainRequest> retrainRequests = new CollectingSink<>();
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config()),
        decisions, deadLetters,
        Optional.empty(), new RiskstreamJob.MonitoringSinks(driftReports, retrainRequests), Optional.empty(), config());
    env.execute("riskstream-itcase");

    Map<String, Long> perTransaction = decisions.received().stream()
        .collect(Collectors.groupingBy(Decision::getTransactionId, Collectors.counting()));
    assertThat(perTransaction).hasSize(valid);
    assertThat(perTransaction.values()).containsOnly(1L);
    assertThat(decisions.received()).allSatisfy(d -> {
      assertThat(d.getScore()).isBetween(0.0, 1.0);
      assertThat(d.getModelVersion()).isNotBlank();
      assertThat(d.getExecutionProvider()).isEqualTo("cpu");
      assertThat(d.getCardToken()).hasSize(64);
    });
    assertThat(decisions.received()).extracting(Decision::getOutcome).contains(Outcome.APPROVE);
    Map<DeadLetterReason, Long> reasons = deadLetters.received().stream()
        .collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
    assertThat(reasons).containsOnly(
        Map.entry(DeadLetterReason.NOT_AVRO, 12L), Map.entry(DeadLetterReason.UNKNOWN_CURRENCY, 12L),
        Map.entry(DeadLetterReason.DUPLICATE, 12L));
    assertThat(deadLetters.received().stream().map(DeadLetter::getOffset).collect(Collectors.toSet()))
        .hasSize(36);
    assertThat(driftReports.received()).as("drift reports").isNotEmpty()
        .allSatisfy(report -> assertThat(report.getModelVersion()).isEqualTo("baseline-1"));
    assertThat(driftReports.received().stream().filter(r -> r.getSegment().equals("all"))
        .mapToLong(DriftReport::getEvents).sum()).as("every decision counted once in segment all").isEqualTo(valid);
    assertThat(driftReports.received()).as("30 s apart, no 5 min window has enough transactions to judge")
        .extracting(DriftReport::getStatus).containsOnly(DriftStatus.TOO_FEW_EVENTS);
    assertThat(retrainRequests.received()).isEmpty();
  }

  @Test
  void theSameCardGetsTheSameTokenAndSeesItsOwnHistory() throws Exception {
    List<RawRecord> input = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      input.add(TestData.raw(i, TestData.transaction(i).setCardNumber("4000056655665556")
          .setEventTime(TestData.START.plusSeconds(5L * i)).build()));
    }
    CollectingSink<Decision> decisions = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config()));
    env.setParallelism(2);
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config()),
        decisions,
        new CollectingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()), Optional.empty(), config());
    env.execute("riskstream-itcase-history");

    assertThat(decisions.received().stream().map(Decision::getCardToken).distinct()).hasSize(1);
    Map<String, Decision> byId = decisions.received().stream()
        .collect(Collectors.toMap(Decision::getTransactionId, Function.identity()));
    assertThat(byId.get("tx-9").getScore())
        .as("ten transactions in 45 s on one card score higher than the first")
        .isGreaterThan(byId.get("tx-0").getScore());
  }

  /**
   * One card's transactions 5 s apart: the i-th has i earlier ones in the last minute, the index the
   * model looks its probability up by; from the 4th on the index is past its table and ONNX Runtime
   * refuses the row. The job goes on: a restart would replay the same rows and fail again.
   */
  @Test
  void transactionsTheModelRefusesAreReviewedWithoutAScoreAndTheJobGoesOn(@TempDir Path bundle) throws Exception {
    LookupTableBundle.write(bundle);
    Map<String, String> settings = settings();
    settings.put(ModelOptions.BUNDLE.key(), bundle.toString());
    JobConfig config = JobConfig.from(Configuration.fromMap(settings));
    List<RawRecord> input = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      input.add(TestData.raw(i, TestData.transaction(i).setCardNumber("4000056655665556")
          .setEventTime(TestData.START.plusSeconds(5L * i)).build()));
    }
    CollectingSink<Decision> decisions = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    // one subtask each: the card's transactions must arrive at its features in input order, which
    // shuffles between subtasks would not keep
    env.setParallelism(1);
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config),
        decisions, new CollectingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()), Optional.empty(), config);
    env.execute("riskstream-itcase-refused-rows");

    Map<String, Decision> byId = decisions.received().stream()
        .collect(Collectors.toMap(Decision::getTransactionId, Function.identity()));
    assertThat(byId).hasSize(10);
    assertThat(List.of(byId.get("tx-0"), byId.get("tx-1"), byId.get("tx-2")))
        .extracting(Decision::getScore, Decision::getOutcome)
        .containsExactly(tuple((double) LookupTableBundle.TABLE[0], Outcome.APPROVE),
            tuple((double) LookupTableBundle.TABLE[1], Outcome.REVIEW),
            tuple((double) LookupTableBundle.TABLE[2], Outcome.DECLINE));
    for (int i = 3; i < 10; i++) {
      assertThat(byId.get("tx-" + i)).satisfies(d -> {
        assertThat(d.getScore()).isNaN();
        assertThat(d.getOutcome()).isEqualTo(Outcome.REVIEW);
        assertThat(d.getReasons()).first().isEqualTo("NO_MODEL_SCORE");
        assertThat(d.getModelVersion()).isEqualTo("lookup-table-1");
      });
    }
  }

  @Test
  void withLabelsTheRetrainTriggerAlsoJudgesThePerformanceReports() throws Exception {
    Map<String, String> settings = settings();
    settings.put(LabelOptions.ENABLED.key(), "true");
    JobConfig config = JobConfig.from(Configuration.fromMap(settings));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    TypeInformation<RawRecord> raw = TypeInformation.of(RawRecord.class);
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(List.of(TestData.raw(0, TestData.transaction(0).build())), raw),
            config),
        new CollectingSink<>(), new CollectingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()),
        Optional.of(new RiskstreamJob.LabelStreams(
            env.fromData(List.of(TestData.raw(1, "label".getBytes(StandardCharsets.UTF_8))), raw),
            new CollectingSink<>())),
        config);

    StreamGraph graph = env.getStreamGraph();
    StreamNode trigger = graph.getStreamNodes().stream()
        .filter(node -> "retrain-trigger".equals(node.getTransformationUID())).findFirst().orElseThrow();
    assertThat(trigger.getInEdges()).extracting(edge -> graph.getStreamNode(edge.getSourceId()).getOperatorName())
        .containsExactlyInAnyOrder("Drift windows", "Performance windows");
  }
}
