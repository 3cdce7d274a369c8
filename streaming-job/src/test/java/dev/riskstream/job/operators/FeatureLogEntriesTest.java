package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import org.junit.jupiter.api.Test;

class FeatureLogEntriesTest {

  @Test
  void copiesTheScoredVectorWithVersionScoreAndTheOutcomeThePolicyDecides() {
    EnrichedTransaction tx = new EnrichedTransaction(TestData.transaction(3).setCardNumber("token-3").build(),
        new float[] {0.25f, -1f, 7.5f});
    tx.score = 0.4;
    tx.modelVersion = "v7";
    tx.reviewThreshold = 0.2;
    tx.declineThreshold = 0.5;
    tx.lookupStatus = LookupStatus.MISS;

    FeatureLogEntry entry = new FeatureLogEntries().map(tx);
    tx.features[0] = 99f; // the entry keeps what was scored, whatever happens to the operator's object later

    assertThat(entry.getFeatures()).containsExactly(0.25f, -1f, 7.5f);
    assertThat(entry.getOutcome()).isEqualTo(Outcome.REVIEW).isEqualTo(DecisionPolicy.outcome(tx));
    assertThat(entry.getScore()).isEqualTo(0.4);
    assertThat(entry.getModelVersion()).isEqualTo("v7");
    assertThat(entry.getCardToken()).isEqualTo("token-3");
    assertThat(entry.getTransactionId()).isEqualTo(tx.transaction.getTransactionId());
    assertThat(entry.getEventTime()).isEqualTo(tx.transaction.getEventTime());
    assertThat(entry.getLookupStatus()).isEqualTo(LookupStatus.MISS);
  }
}
