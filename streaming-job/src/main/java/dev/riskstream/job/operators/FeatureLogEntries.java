package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.schemas.FeatureLogEntry;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * What the feature log keeps of each scored transaction: the vector the model scored, copied as it
 * was, with the version, score and outcome (from {@link DecisionPolicy#outcome}, the code that
 * decides), so that retraining learns from exactly what serving saw.
 */
public final class FeatureLogEntries implements MapFunction<EnrichedTransaction, FeatureLogEntry> {

  @Override
  public FeatureLogEntry map(EnrichedTransaction tx) {
    Float[] features = new Float[tx.features.length];
    for (int i = 0; i < features.length; i++) {
      features[i] = tx.features[i];
    }
    return FeatureLogEntry.newBuilder()
        .setTransactionId(tx.transaction.getTransactionId())
        .setCardToken(tx.transaction.getCardNumber())
        .setEventTime(tx.transaction.getEventTime())
        .setFeatures(java.util.Arrays.asList(features))
        .setModelVersion(tx.modelVersion)
        .setScore(tx.score)
        .setOutcome(DecisionPolicy.outcome(tx))
        .setLookupStatus(tx.lookupStatus)
        .setTransaction(tx.transaction)
        .build();
  }
}
