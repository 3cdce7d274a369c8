package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.RuleSetStatusKind;
import dev.riskstream.schemas.RuleSetUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class RuleDecisionsTest {

  private static final String BLOCK_CARD_7 = """
      version: v1
      lists:
        blocked: [token-7]
      rules:
        - {id: blocked-card, expression: card in lists.blocked, action: DECLINE, reason: BLOCKED_CARD}
      """;
  private static final String ALLOW_CARD_7 = """
      version: v2
      lists:
        trusted: [token-7]
      rules:
        - {id: trusted-card, expression: card in lists.trusted, action: ALLOW, reason: TRUSTED_CARD}
        - {id: any-large, expression: amount > 1000.0, action: REVIEW, reason: LARGE, mode: shadow}
      """;

  private static EnrichedTransaction scored(int card, double score) {
    EnrichedTransaction tx = new EnrichedTransaction(
        TestData.transaction(card).setCardNumber("token-" + card).setAmountMinor(500_000).build(),
        FeatureSpec.CURRENT.defaults());
    tx.score = score;
    tx.modelVersion = "m-1";
    tx.executionProvider = "cpu";
    tx.reviewThreshold = 0.4;
    tx.declineThreshold = 0.8;
    return tx;
  }

  private static RawRecord published(String version, String yaml) {
    byte[] value = AvroCodec.of(RuleSetUpdate.class).encode(RuleSetUpdate.newBuilder()
        .setVersion(version).setSource(yaml).setPublishedAt(Instant.EPOCH).setReason("test").build());
    return new RawRecord("rule-sets", 0, 0, 0, value);
  }

  private static OneInputStreamOperatorTestHarness<EnrichedTransaction, Decision> harness(String initial)
      throws Exception {
    return restored(initial, null);
  }

  /** A harness restored from {@code snapshot}; null: a fresh one. */
  private static OneInputStreamOperatorTestHarness<EnrichedTransaction, Decision> restored(String initial,
      OperatorSubtaskState snapshot) throws Exception {
    var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new RuleDecisions(initial)));
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    return harness;
  }

  /** A publication as it comes down the decision path. */
  private static void publish(OneInputStreamOperatorTestHarness<EnrichedTransaction, Decision> harness,
      RawRecord publication) throws Exception {
    harness.processElement(EnrichedTransaction.carrying(new ControlRecord(ControlRecord.Kind.RULE_SET, publication)), 0);
  }

  /**
   * The operator state of an earlier release, whose deciding operator took the rule sets as a second,
   * broadcast input and kept the current one in broadcast state under the same name.
   */
  private static OperatorSubtaskState earlierReleaseHolding(RuleSetUpdate current) throws Exception {
    BroadcastProcessFunction<EnrichedTransaction, RawRecord, Decision> earlier = new BroadcastProcessFunction<>() {
      @Override
      public void processElement(EnrichedTransaction tx, ReadOnlyContext ctx, Collector<Decision> out) {}

      @Override
      public void processBroadcastElement(RawRecord raw, Context ctx, Collector<Decision> out) throws Exception {
        ctx.getBroadcastState(PipelineState.ruleSets()).put(PipelineState.CURRENT_RULE_SET, current);
      }
    };
    try (var harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(earlier, PipelineState.ruleSets())) {
      harness.processBroadcastElement(published(current.getVersion(), current.getSource()), 0);
      return harness.snapshot(1, 1);
    }
  }

  private static Decision last(OneInputStreamOperatorTestHarness<EnrichedTransaction, Decision> harness) {
    List<Decision> decisions = harness.extractOutputValues();
    return decisions.get(decisions.size() - 1);
  }

  private static List<RuleSetStatus> statuses(OneInputStreamOperatorTestHarness<?, ?> harness) {
    return harness.getSideOutput(PipelineState.RULE_STATUS).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void decidesWithTheInitialSetUntilOneIsPublishedThenWithThePublishedOne() throws Exception {
    try (var harness = harness(BLOCK_CARD_7)) {
      harness.processElement(scored(7, 0.1), 0);
      assertThat(last(harness).getOutcome()).isEqualTo(Outcome.DECLINE);
      assertThat(last(harness).getRuleSetVersion()).isEqualTo("v1");
      assertThat(last(harness).getRulesFired()).containsExactly("blocked-card");
      assertThat(last(harness).getReasons()).containsExactly("BLOCKED_CARD");

      publish(harness, published("v2", ALLOW_CARD_7));
      harness.processElement(scored(7, 0.95), 0);

      Decision allowed = last(harness);
      assertThat(allowed.getOutcome()).as("an allow rule overrides the model's decline").isEqualTo(Outcome.APPROVE);
      assertThat(allowed.getRuleSetVersion()).isEqualTo("v2");
      assertThat(allowed.getRulesFired()).containsExactly("trusted-card");
      assertThat(allowed.getShadowRulesFired()).as("shadow rules report, change nothing").containsExactly("any-large");
      assertThat(allowed.getReasons()).startsWith("TRUSTED_CARD");
      assertThat(statuses(harness)).singleElement().satisfies(status -> {
        assertThat(status.getStatus()).isEqualTo(RuleSetStatusKind.ACTIVATED);
        assertThat(status.getVersion()).isEqualTo("v2");
        assertThat(status.getActiveVersion()).isEqualTo("v2");
      });
    }
  }

  @Test
  void refusesASetThatDoesNotCompileAndKeepsDecidingWithTheCurrentOne() throws Exception {
    try (var harness = harness(BLOCK_CARD_7)) {
      publish(harness, published("v3", BLOCK_CARD_7.replace("v1", "v3")
          .replace("card in lists.blocked", "card in lists.blokced")));
      publish(harness, new RawRecord("rule-sets", 0, 9, 0, "not avro".getBytes()));
      publish(harness, published("v4", BLOCK_CARD_7));
      harness.processElement(scored(7, 0.1), 0);

      assertThat(last(harness).getRuleSetVersion()).isEqualTo("v1");
      assertThat(last(harness).getOutcome()).isEqualTo(Outcome.DECLINE);
      assertThat(statuses(harness)).extracting(RuleSetStatus::getVersion, RuleSetStatus::getStatus,
              RuleSetStatus::getActiveVersion)
          .containsExactly(
              tuple("v3", RuleSetStatusKind.REJECTED, "v1"),
              tuple("(unreadable)", RuleSetStatusKind.REJECTED, "v1"),
              tuple("v4", RuleSetStatusKind.REJECTED, "v1"));
      assertThat(statuses(harness).get(0).getReason())
          .isEqualTo("rule 'blocked-card' expression 1:9: unknown name 'lists.blokced' (the set's lists: blocked)");
      assertThat(statuses(harness).get(2).getReason()).isEqualTo("published as version v4 but its YAML says v1");
    }
  }

  @Test
  void aRestoredJobDecidesWithThePublishedSetItHad() throws Exception {
    OperatorSubtaskState snapshot;
    try (var harness = harness(null)) {
      harness.processElement(scored(7, 0.1), 0);
      assertThat(last(harness).getRuleSetVersion()).as("no rules yet").isNull();
      assertThat(last(harness).getOutcome()).isEqualTo(Outcome.APPROVE);
      publish(harness, published("v1", BLOCK_CARD_7));
      snapshot = harness.snapshot(1, 1);
    }
    try (var restored = restored(null, snapshot)) {
      restored.processElement(scored(7, 0.1), 0);

      assertThat(last(restored).getRuleSetVersion()).isEqualTo("v1");
      assertThat(last(restored).getOutcome()).isEqualTo(Outcome.DECLINE);
    }
  }

  @Test
  void aJobRestoredFromAnEarlierReleasesSavepointDecidesWithTheSetPublishedThen() throws Exception {
    RuleSetUpdate v1 = RuleSetUpdate.newBuilder().setVersion("v1").setSource(BLOCK_CARD_7)
        .setPublishedAt(Instant.EPOCH).setReason("test").build();
    try (var restored = restored(null, earlierReleaseHolding(v1))) {
      restored.processElement(scored(7, 0.1), 0);

      assertThat(last(restored).getRuleSetVersion()).isEqualTo("v1");
      assertThat(last(restored).getOutcome()).isEqualTo(Outcome.DECLINE);
    }
  }

  @Test
  void aReviewRuleDoesNotSoftenTheModelsDecline() throws Exception {
    String reviewAll = "version: r1\nrules:\n  - {id: all, expression: 'true', action: REVIEW, reason: ALL}\n";
    try (var harness = harness(reviewAll)) {
      harness.processElement(scored(1, 0.9), 0);
      harness.processElement(scored(2, 0.1), 0);

      assertThat(harness.extractOutputValues()).extracting(Decision::getOutcome)
          .containsExactly(Outcome.DECLINE, Outcome.REVIEW);
      assertThat(harness.extractOutputValues().get(0).getReasons())
          .containsExactly(DecisionPolicy.SCORE_DECLINE, "ALL");
    }
  }

  @Test
  void faultInjectionARestoredSetThatNoLongerCompilesIsReportedAndTheInitialSetDecides() throws Exception {
    RuleSetUpdate stale = RuleSetUpdate.newBuilder().setVersion("old-9").setPublishedAt(Instant.EPOCH).setReason("test")
        .setSource("version: old-9\nrules:\n  - {id: gone, expression: features.retired > 1.0, action: DECLINE, reason: X}\n")
        .build();
    try (var harness = restored(BLOCK_CARD_7, earlierReleaseHolding(stale))) {
      harness.processElement(scored(7, 0.1), 0);
      harness.processElement(scored(8, 0.1), 0);

      assertThat(harness.extractOutputValues()).extracting(Decision::getRuleSetVersion).containsOnly("v1");
      assertThat(statuses(harness)).as("reported once, not for every transaction").singleElement()
          .satisfies(status -> {
            assertThat(status.getVersion()).isEqualTo("old-9");
            assertThat(status.getStatus()).isEqualTo(RuleSetStatusKind.REJECTED);
            assertThat(status.getReason()).startsWith("restored, but does not compile in this job: ")
                .contains("unknown name 'features.retired'");
            assertThat(status.getActiveVersion()).isEqualTo("v1");
          });
    }
  }
}
