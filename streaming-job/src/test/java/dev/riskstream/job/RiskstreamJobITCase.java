package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.job.scoring.LookupTableBundle;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.RulePerformance;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
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

  @Test
  void withRulesAndLabelsThePerformanceReportsSayHowEachRuleDid(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yaml"), String.join("\n",
        "version: performance-1",
        "rules:",
        "  - id: large",
        "    expression: amount >= 1000.0",
        "    action: REVIEW",
        "    reason: LARGE",
        "  - id: small-in-store",
        "    expression: channel == 'POS' && amount < 20.0",
        "    action: REVIEW",
        "    reason: SMALL_IN_STORE",
        "  - id: online-trial",
        "    expression: channel == 'ECOM'",
        "    action: DECLINE",
        "    reason: ONLINE",
        "    mode: shadow",
        ""));
    Map<String, String> settings = settings();
    settings.put(LabelOptions.ENABLED.key(), "true");
    settings.put(RuleOptions.FILE.key(), rules.toString());
    JobConfig config = JobConfig.from(Configuration.fromMap(settings));
    // at night in Germany, every fourth a large online payment: the model flags some, not all
    Instant night = Instant.parse("2026-03-02T01:00:00Z");
    List<RawRecord> transactions = new ArrayList<>();
    List<RawRecord> labels = new ArrayList<>();
    AvroCodec<FraudLabel> labelCodec = AvroCodec.of(FraudLabel.class);
    Map<String, Boolean> fraud = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      Transaction.Builder tx = TestData.transaction(i).setEventTime(night.plusSeconds(30L * i));
      if (i % 4 == 0) {
        tx.setChannel(Channel.ECOM).setMerchantCategory("6051").setAmountMinor(200_000L * (1 + i % 12));
      }
      transactions.add(TestData.raw(i, tx.build()));
      fraud.put("tx-" + i, i % 3 == 0);
      labels.add(TestData.raw(i, labelCodec.encode(new FraudLabel("tx-" + i, i % 3 == 0,
          tx.getEventTime().plusSeconds(3600), "chargeback"))));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    CollectingSink<Decision> decisions = new CollectingSink<>();
    CollectingSink<PerformanceReport> reports = new CollectingSink<>();
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(transactions, TypeInformation.of(RawRecord.class)), config),
        decisions, new CollectingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()),
        // the labels race the decisions: a label waits in the rules' join until the watermark passes it
        Optional.of(new RiskstreamJob.LabelStreams(env.fromData(labels, TypeInformation.of(RawRecord.class)), reports)),
        config);
    env.execute("riskstream-rule-performance-itcase");

    // expected from the decisions and labels: the model flagged what scored at or above its review threshold
    double review = ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().thresholds().review();
    Map<String, long[]> expected = new TreeMap<>();
    for (Decision decision : decisions.received()) {
      boolean isFraud = fraud.get(decision.getTransactionId().toString());
      boolean missed = isFraud && decision.getScore() < review;
      Stream.concat(decision.getRulesFired().stream(), decision.getShadowRulesFired().stream()).forEach(rule ->
          expected.merge(rule.toString(), new long[] {1, isFraud ? 1 : 0, missed ? 1 : 0},
              (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
    }
    Map<String, long[]> reported = new TreeMap<>();
    for (PerformanceReport report : reports.received()) {
      if (!report.getSegment().toString().equals("all")) {
        assertThat(report.getRules()).as("rules in segment all only").isEmpty();
        continue;
      }
      for (RulePerformance rule : report.getRules()) {
        assertThat(rule.getRuleSetVersion()).isEqualTo("performance-1");
        assertThat(rule.getShadow()).isEqualTo(rule.getRuleId().toString().equals("online-trial"));
        assertThat(rule.getPrecision()).isEqualTo(rule.getFrauds() / (double) rule.getFired());
        reported.merge(rule.getRuleId().toString(),
            new long[] {rule.getFired(), rule.getFrauds(), rule.getFraudsModelMissed()},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      }
    }
    assertThat(expected).containsOnlyKeys("large", "small-in-store", "online-trial");
    assertThat(reported).containsOnlyKeys(expected.keySet());
    expected.forEach((rule, counts) -> assertThat(reported.get(rule)).as(rule).containsExactly(counts));
    assertThat(expected.get("small-in-store")[2]).as("frauds the model missed and a rule caught").isPositive();
    assertThat(expected.get("online-trial")[2]).as("frauds the model caught too").isLessThan(expected.get("online-trial")[1]);
  }

}
