package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {

  private static final String LATENCY = "flink_taskmanager_job_task_operator_decisions_decisionLatencyMs";

  private static EnrichedTransaction scored(int i, double score, float[] features) {
    EnrichedTransaction tx = new EnrichedTransaction(TestData.transaction(i).setCardNumber("token-" + i).build(), features);
    tx.score = score;
    tx.modelVersion = "m-7";
    tx.executionProvider = "cpu";
    tx.reviewThreshold = 0.4;
    tx.declineThreshold = 0.8;
    return tx;
  }

  @Test
  void appliesTheScoringModelsThresholdsAndCarriesProvenance() throws Exception {
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new DecisionPolicy()))) {
      harness.open();
      float[] plain = FeatureSpec.CURRENT.defaults();
      harness.processElement(scored(1, 0.39, plain), 0);
      harness.processElement(scored(2, 0.4, plain), 0);
      harness.processElement(scored(3, 0.8, plain), 0);

      var decisions = harness.extractOutputValues();
      assertThat(decisions).extracting(Decision::getOutcome)
          .containsExactly(Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE);
      Decision declined = decisions.get(2);
      assertThat(declined.getTransactionId()).isEqualTo("tx-3");
      assertThat(declined.getCardToken()).isEqualTo("token-3");
      assertThat(declined.getModelVersion()).isEqualTo("m-7");
      assertThat(declined.getExecutionProvider()).isEqualTo("cpu");
      assertThat(declined.getLookupStatus()).isEqualTo(LookupStatus.NOT_CONFIGURED);
      assertThat(declined.getReasons()).first().isEqualTo(DecisionPolicy.SCORE_DECLINE);
      assertThat(decisions.get(0).getReasons()).isEmpty();
    }
  }

  @Test
  void explainsWithTheFeaturesThatStandOut() {
    float[] features = FeatureSpec.CURRENT.defaults();
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = 6;
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_HISTORY_COUNT_LOG)] = 2;
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_COUNTRY_FOR_CARD)] = 1;
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.NEW_MERCHANT_FOR_CARD)] = 0;

    assertThat(DecisionPolicy.reasons(0.5, Outcome.REVIEW, features))
        .containsExactly(DecisionPolicy.SCORE_REVIEW, "VELOCITY_1M", "NEW_COUNTRY_FOR_CARD");
  }

  @Test
  void aTransactionWithoutAModelScoreGoesToReviewAndSaysWhy() throws Exception {
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new DecisionPolicy()))) {
      harness.open();
      float[] features = FeatureSpec.CURRENT.defaults();
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.IS_NIGHT)] = 1;
      harness.processElement(scored(1, Double.NaN, features), 0);

      Decision decision = harness.extractOutputValues().get(0);
      assertThat(decision.getOutcome()).isEqualTo(Outcome.REVIEW);
      assertThat(decision.getReasons()).containsExactly(DecisionPolicy.NO_MODEL_SCORE, "NIGHT_TIME");
      assertThat(decision.getScore()).isNaN();
      assertThat(decision.getModelVersion()).as("the version that gave no score").isEqualTo("m-7");
    }
  }

  @Test
  void carriesWhenTheTransactionWasReadAndMeasuresTheTimeToDecideIt() throws Exception {
    RecordedMetrics metrics = new RecordedMetrics();
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new DecisionPolicy()),
        metrics.environment())) {
      harness.open();
      EnrichedTransaction tx = scored(1, 0.1, FeatureSpec.CURRENT.defaults());
      tx.receivedAt = System.currentTimeMillis() - 250;
      harness.processElement(tx, 0);

      Decision decision = harness.extractOutputValues().get(0);
      assertThat(decision.getReceivedAt()).isEqualTo(Instant.ofEpochMilli(tx.receivedAt));
      var latency = metrics.histogram(LATENCY).getStatistics();
      assertThat(latency.size()).isEqualTo(1);
      assertThat(latency.getMax()).as("decidedAt - receivedAt, from the same clock reading")
          .isEqualTo(decision.getDecidedAt().toEpochMilli() - tx.receivedAt).isGreaterThanOrEqualTo(250);
    }
  }

  @Test
  void anUnknownReceiveTimeIsNullAndNoLatencySample() throws Exception {
    RecordedMetrics metrics = new RecordedMetrics();
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new DecisionPolicy()),
        metrics.environment())) {
      harness.open();
      harness.processElement(scored(1, 0.1, FeatureSpec.CURRENT.defaults()), 0);

      assertThat(harness.extractOutputValues().get(0).getReceivedAt()).isNull();
      assertThat(metrics.histogram(LATENCY).getCount()).isZero();
    }
  }

  @Test
  void withAFixedRuleSetCountsWhatEachRuleDid() throws Exception {
    String rules = """
        version: fixed-1
        rules:
          - {id: night, expression: 'features.is_night > 0.0', action: DECLINE, reason: NIGHT}
          - {id: needs-device, expression: "device == 'd'", action: REVIEW, reason: DEVICE}
          - {id: trial, expression: 'has_score && score > 0.3', action: REVIEW, reason: TRIAL, mode: shadow}
        """;
    RecordedMetrics metrics = new RecordedMetrics();
    try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new DecisionPolicy(rules)),
        metrics.environment())) {
      harness.open();
      float[] night = FeatureSpec.CURRENT.defaults();
      night[FeatureSpec.CURRENT.requireIndex(FeatureSpec.IS_NIGHT)] = 1;
      harness.processElement(scored(1, 0.1, night), 0);
      harness.processElement(scored(2, 0.5, FeatureSpec.CURRENT.defaults()), 0);

      assertThat(harness.extractOutputValues()).extracting(Decision::getOutcome)
          .containsExactly(Outcome.DECLINE, Outcome.REVIEW);
      assertThat(harness.extractOutputValues()).extracting(Decision::getRuleSetVersion).containsOnly("fixed-1");
      String rule = "flink_taskmanager_job_task_operator_rules_rule_";
      assertThat(metrics.counter(rule + "fired", Map.of("rule", "night")).getCount()).isEqualTo(1);
      assertThat(metrics.counter(rule + "failed", Map.of("rule", "needs-device")).getCount())
          .as("no device: the rule cannot be evaluated").isEqualTo(2);
      assertThat(metrics.counter(rule + "shadowFired", Map.of("rule", "trial")).getCount()).isEqualTo(1);
      assertThat(metrics.counter("flink_taskmanager_job_task_operator_rules_outcomesChanged", Map.of()).getCount())
          .as("only the night rule changed what the model decided").isEqualTo(1);
    }
  }
}
