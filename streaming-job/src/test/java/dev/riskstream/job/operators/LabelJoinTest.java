package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.performance.LabelledDecision;
import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.job.performance.SegmentedDecision;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelJoinTest {

  private static final Instant T0 = Instant.parse("2025-01-06T12:00:00Z");
  private static final Duration TTL = Duration.ofDays(7);

  private LabelJoin<SegmentedDecision> join;
  private KeyedTwoInputStreamOperatorTestHarness<String, SegmentedDecision, FraudLabel, LabelledDecision> harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
  }

  private KeyedTwoInputStreamOperatorTestHarness<String, SegmentedDecision, FraudLabel, LabelledDecision> harness(
      OperatorSubtaskState restoreFrom) throws Exception {
    join = LabelJoin.ofDecisions(TTL);
    return Harnesses.onRocksDb(
        new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(join),
            (SegmentedDecision d) -> d.transactionId, FraudLabel::getTransactionId, Types.STRING),
        restoreFrom);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static SegmentedDecision decision(String transactionId, Instant eventTime, double score, Outcome outcome,
      String... segments) {
    return new SegmentedDecision(transactionId, "baseline-1", eventTime.toEpochMilli(), score, outcome,
        segments.length == 0 ? new String[] {"all"} : segments);
  }

  static FraudLabel label(String transactionId, boolean fraud, Instant labelledAt) {
    return new FraudLabel(transactionId, fraud, labelledAt, "chargeback");
  }

  private void decide(SegmentedDecision decision) throws Exception {
    harness.processElement1(decision, decision.decisionTime);
  }

  private void arrive(FraudLabel label) throws Exception {
    harness.processElement2(label, label.getLabelledAt().toEpochMilli());
  }

  /** Both inputs' watermarks, so that the operator's moves to it. */
  private void watermark(Instant time) throws Exception {
    harness.processBothWatermarks(new Watermark(time.toEpochMilli()));
  }

  private long keysWith(String stateName) {
    try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend().getKeys(stateName, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  private void assertNothingWaits() {
    assertThat(keysWith(PipelineState.decisionAwaitingLabel().getName())).isZero();
    assertThat(keysWith(PipelineState.labelAwaitingDecision().getName())).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aLabelAfterItsDecisionCompletesIt() throws Exception {
    decide(decision("tx-1", T0, 0.91, Outcome.DECLINE));
    assertThat(harness.extractOutputValues()).isEmpty();
    arrive(label("tx-1", true, T0.plus(Duration.ofDays(3))));

    assertThat(harness.extractOutputValues()).singleElement().satisfies(pair -> {
      assertThat(pair.modelVersion).isEqualTo("baseline-1");
      assertThat(pair.segment).isEqualTo("all");
      assertThat(pair.decisionTime).isEqualTo(T0.toEpochMilli());
      assertThat(pair.score).isEqualTo(0.91);
      assertThat(pair.outcome).isEqualTo(Outcome.DECLINE);
      assertThat(pair.fraud).isTrue();
    });
    assertThat(join.matchedCount()).isEqualTo(1);
    assertNothingWaits();
  }

  @Test
  void aMatchIsEmittedOncePerSegmentOfTheDecisionAndCountedOnce() throws Exception {
    decide(decision("tx-7", T0, 0.4, Outcome.REVIEW, "all", "channel=ECOM", "country=DE"));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(snapshot); // the segments survive a restore with the waiting decision
    arrive(label("tx-7", true, T0.plus(Duration.ofDays(1))));

    assertThat(harness.extractOutputValues()).extracting(pair -> pair.segment)
        .containsExactly("all", "channel=ECOM", "country=DE");
    assertThat(harness.extractOutputValues()).allSatisfy(pair -> {
      assertThat(pair.decisionTime).isEqualTo(T0.toEpochMilli());
      assertThat(pair.outcome).isEqualTo(Outcome.REVIEW);
      assertThat(pair.fraud).isTrue();
    });
    assertThat(join.matchedCount()).isEqualTo(1);
    assertNothingWaits();
  }

  @Test
  void aLabelBeforeItsDecisionWaitsForIt() throws Exception {
    arrive(label("tx-2", false, T0));
    assertThat(harness.extractOutputValues()).isEmpty();
    decide(decision("tx-2", T0.minusSeconds(30), 0.02, Outcome.APPROVE));

    assertThat(harness.extractOutputValues()).singleElement().satisfies(pair -> {
      assertThat(pair.fraud).isFalse();
      assertThat(pair.decisionTime).isEqualTo(T0.minusSeconds(30).toEpochMilli());
    });
    assertThat(join.matchedCount()).isEqualTo(1);
    assertNothingWaits();
  }

  @Test
  void aDecisionWhoseLabelNeverComesIsCountedAndForgottenAfterTheTtl() throws Exception {
    decide(decision("tx-3", T0, 0.5, Outcome.REVIEW));
    watermark(T0.plus(TTL).minusMillis(1));
    assertThat(keysWith(PipelineState.decisionAwaitingLabel().getName())).isOne();

    watermark(T0.plus(TTL));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(join.unlabelledDecisionCount()).isEqualTo(1);
    assertThat(join.unmatchedCount()).isZero();
    assertNothingWaits();
  }

  @Test
  void aLabelAfterTheTtlFindsNoDecisionAndIsCountedUnmatchedWhenItExpires() throws Exception {
    decide(decision("tx-4", T0, 0.5, Outcome.REVIEW));
    watermark(T0.plus(TTL));
    arrive(label("tx-4", true, T0.plus(TTL).plusSeconds(1)));
    watermark(T0.plus(TTL).plus(TTL).plusSeconds(1));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(join.matchedCount()).isZero();
    assertThat(join.unlabelledDecisionCount()).isEqualTo(1);
    assertThat(join.unmatchedCount()).isEqualTo(1);
    assertNothingWaits();
  }

  @Test
  void whatWaitsSurvivesARestoreAndMatchesOnce() throws Exception {
    decide(decision("tx-5", T0, 0.7, Outcome.REVIEW));
    arrive(label("tx-6", true, T0));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness = harness(snapshot);
    arrive(label("tx-5", false, T0.plusSeconds(60)));
    decide(decision("tx-6", T0.minusSeconds(5), 0.95, Outcome.DECLINE));

    assertThat(harness.extractOutputValues()).extracting(pair -> pair.score).containsExactly(0.7, 0.95);
    assertNothingWaits();
  }

  @Test
  void aShadowsWouldBeDecisionIsPairedWithTheSameLabelInItsOwnSegments() throws Exception {
    SegmentedDecision decided = decision("tx-9", T0, 0.3, Outcome.APPROVE, "all", "channel=POS");
    decided.shadowVersion = "candidate-2";
    decided.shadowScore = 0.95;
    decided.shadowOutcome = Outcome.DECLINE;
    decided.shadowSegments = new String[] {"all"};
    decide(decided);
    arrive(label("tx-9", true, T0.plus(Duration.ofDays(2))));

    assertThat(harness.extractOutputValues()).hasSize(3);
    assertThat(harness.extractOutputValues()).filteredOn(pair -> !pair.shadow)
        .extracting(pair -> pair.modelVersion + "/" + pair.segment)
        .containsExactly("baseline-1/all", "baseline-1/channel=POS");
    assertThat(harness.extractOutputValues()).filteredOn(pair -> pair.shadow).singleElement().satisfies(pair -> {
      assertThat(pair.modelVersion).isEqualTo("candidate-2");
      assertThat(pair.segment).isEqualTo("all");
      assertThat(pair.score).isEqualTo(0.95);
      assertThat(pair.outcome).isEqualTo(Outcome.DECLINE);
      assertThat(pair.agreesWithDecision()).isFalse();
      assertThat(pair.fraud).isTrue();
    });
    assertThat(join.matchedCount()).as("one transaction, one match").isEqualTo(1);
    assertNothingWaits();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, RuleHits, FraudLabel, LabelledDecision> ruleJoin()
      throws Exception {
    return Harnesses.onRocksDb(new KeyedTwoInputStreamOperatorTestHarness<>(
        new KeyedCoProcessOperator<>(LabelJoin.ofRuleHits(TTL)), (RuleHits hits) -> hits.transactionId,
        FraudLabel::getTransactionId, Types.STRING), null);
  }

  @Test
  void theRulesThatFiredWaitForTheLabelAndPairOncePerRule() throws Exception {
    try (KeyedTwoInputStreamOperatorTestHarness<String, RuleHits, FraudLabel, LabelledDecision> rules = ruleJoin()) {
      rules.processElement1(new RuleHits("tx-3", "baseline-1", "rules-2", T0.toEpochMilli(), false,
          new String[] {"velocity"}, new String[] {"night-trial"}), T0.toEpochMilli());
      assertThat(rules.extractOutputValues()).isEmpty();
      FraudLabel label = label("tx-3", true, T0.plus(Duration.ofDays(2)));
      rules.processElement2(label, label.getLabelledAt().toEpochMilli());

      assertThat(rules.extractOutputValues())
          .extracting(pair -> pair.ruleId, pair -> pair.ruleShadow, pair -> pair.ruleSetVersion, pair -> pair.segment,
              pair -> pair.modelVersion, pair -> pair.fraud, pair -> pair.modelFlagged)
          .containsExactly(tuple("velocity", false, "rules-2", "all", "baseline-1", true, false),
              tuple("night-trial", true, "rules-2", "all", "baseline-1", true, false));
      assertThat(rules.numEventTimeTimers()).isZero();

      FraudLabel noRuleFired = label("tx-4", true, T0.plus(Duration.ofDays(2)));
      rules.processElement2(noRuleFired, noRuleFired.getLabelledAt().toEpochMilli());
      rules.processBothWatermarks(new Watermark(noRuleFired.getLabelledAt().toEpochMilli()));
      try (Stream<Object> waiting = rules.getOperator().getKeyedStateBackend()
          .getKeys(PipelineState.labelAwaitingDecision().getName(), VoidNamespace.INSTANCE)) {
        assertThat(waiting).as("once the watermark passes a label, no hit can come for it").isEmpty();
      }
      assertThat(rules.numEventTimeTimers()).isZero();
    }
  }

  /** The hits reach the join by their own shuffle, which can lag the label's on a loaded machine. */
  @Test
  void aLabelWaitsForTheRulesThatFiredUntilTheWatermarkPassesIt() throws Exception {
    try (KeyedTwoInputStreamOperatorTestHarness<String, RuleHits, FraudLabel, LabelledDecision> rules = ruleJoin()) {
      FraudLabel label = label("tx-5", false, T0.plus(Duration.ofSeconds(1)));
      rules.processElement2(label, label.getLabelledAt().toEpochMilli());
      rules.processBothWatermarks(new Watermark(T0.toEpochMilli()));
      rules.processElement1(new RuleHits("tx-5", "baseline-1", "rules-2", T0.toEpochMilli(), true,
          new String[] {"velocity"}, new String[0]), T0.toEpochMilli());

      assertThat(rules.extractOutputValues()).extracting(pair -> pair.ruleId, pair -> pair.fraud)
          .containsExactly(tuple("velocity", false));
      assertThat(rules.numEventTimeTimers()).isZero();

      FraudLabel forgotten = label("tx-6", true, T0.plus(Duration.ofSeconds(2)));
      rules.processElement2(forgotten, forgotten.getLabelledAt().toEpochMilli());
      rules.processBothWatermarks(new Watermark(forgotten.getLabelledAt().toEpochMilli()));
      rules.processElement1(new RuleHits("tx-6", "baseline-1", "rules-2", T0.toEpochMilli(), true,
          new String[] {"velocity"}, new String[0]), T0.toEpochMilli());
      assertThat(rules.extractOutputValues()).as("a hit behind the watermark past its label waits alone").hasSize(1);
    }
  }
}
