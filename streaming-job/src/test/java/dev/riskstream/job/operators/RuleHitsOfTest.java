package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.job.performance.RuleHits;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class RuleHitsOfTest {

  private static Decision decided(double score, List<String> fired, List<String> shadowFired) {
    EnrichedTransaction tx = new EnrichedTransaction(TestData.transaction(1).setCardNumber("token-1").build(),
        FeatureSpec.CURRENT.defaults());
    tx.score = score;
    tx.modelVersion = "m-7";
    tx.executionProvider = "cpu";
    tx.reviewThreshold = 0.4;
    tx.declineThreshold = 0.8;
    return Decision.newBuilder(DecisionPolicy.decision(tx)).setRuleSetVersion("rules-3")
        .setRulesFired(fired).setShadowRulesFired(shadowFired).build();
  }

  private static List<RuleHits> hitsOf(Decision decision) {
    List<RuleHits> hits = new ArrayList<>();
    new RuleHitsOf().flatMap(decision, new ListCollector<>(hits));
    return hits;
  }

  @Test
  void aDecisionNoRuleFiredForHasNoHits() {
    assertThat(hitsOf(decided(0.9, List.of(), List.of()))).isEmpty();
  }

  @Test
  void theHitsSayWhichRulesFiredAndWhetherTheModelAloneFlaggedTheTransaction() {
    Decision reviewedByTheModel = decided(0.5, List.of("velocity"), List.of("night-trial"));
    Decision approvedByTheModel = decided(0.1, List.of(), List.of("night-trial"));
    assertThat(reviewedByTheModel.getOutcome()).isEqualTo(Outcome.REVIEW);

    assertThat(hitsOf(reviewedByTheModel)).singleElement().satisfies(hits -> {
      assertThat(hits.transactionId).isEqualTo("tx-1");
      assertThat(hits.modelVersion).isEqualTo("m-7");
      assertThat(hits.ruleSetVersion).isEqualTo("rules-3");
      assertThat(hits.decisionTime).isEqualTo(reviewedByTheModel.getEventTime().toEpochMilli());
      assertThat(hits.modelFlagged).isTrue();
      assertThat(hits.fired).containsExactly("velocity");
      assertThat(hits.shadowFired).containsExactly("night-trial");
    });
    assertThat(hitsOf(approvedByTheModel)).singleElement()
        .satisfies(hits -> assertThat(hits.modelFlagged).isFalse());
  }
}
